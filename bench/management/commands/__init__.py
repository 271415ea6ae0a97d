"""`bench` and `bench_generate`."""
