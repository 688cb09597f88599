"""Fixtures for the QuickBooks sandbox (filled by its owner)."""
