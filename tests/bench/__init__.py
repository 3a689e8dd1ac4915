"""Benchmarks, kept out of the normal test run (``make bench``; pytest collects no ``bench_*.py`` file)."""
