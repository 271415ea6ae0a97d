"""Template tags of the core app."""
