"""Fixtures for the CrocoClick sandbox (filled by its owner)."""
