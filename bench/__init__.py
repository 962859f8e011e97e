"""Benchmarks of the portal at district scale (see docs/performance.md)."""
