"""Tests of the stdlib-only domain layer."""
