"""numerix.runtime: the NumPy backend's rules, the evaluator, and IREE compilation and invocation."""
