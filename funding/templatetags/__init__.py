"""Template tags of the funding screens."""
