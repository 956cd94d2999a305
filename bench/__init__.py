"""The benchmark harness behind `make bench` (see the README's "Benchmark" section)."""
