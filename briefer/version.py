"""The package version (one place; the digest state keys on it)."""

__version__ = "0.1.0"
