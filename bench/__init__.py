"""The benchmark, not the product: province-scale data (`generate`), timed runs."""
