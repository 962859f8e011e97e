"""Benchmarks of the portal at district scale (see docs/performance.md)."""

# the key the bench data are chained with: the generator and the suite default to it, so
# that data generated without AUDIT_KEY in the environment still verify in the suite
AUDIT_KEY = "bench-only-audit-key-not-for-production"
