"""Benchmarks run with `butik bench NAME`; each prints its figures."""
