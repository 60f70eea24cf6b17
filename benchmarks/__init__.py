"""numerix against NumPy and JAX: `python -m benchmarks.run` from the repository root writes BENCHMARKS.md."""
