"""Settings profiles: base, dev, test, production and bench."""
