"""Tests of the declarative forms and their validation."""
