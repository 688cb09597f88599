"""Benchmarks (not collected as unit tests). Run all: `python -m tests.bench`."""
