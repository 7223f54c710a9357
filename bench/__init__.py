"""Benchmarks that print numbers (accuracy, speed); `python -m bench` runs them all and prints one table."""
