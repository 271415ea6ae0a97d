"""Management commands of the benchmark."""
