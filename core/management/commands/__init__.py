"""`load_regions` and `seed_demo`."""
