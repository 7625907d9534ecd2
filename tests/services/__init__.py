"""Tests of the application services (one SQLite file per test)."""
