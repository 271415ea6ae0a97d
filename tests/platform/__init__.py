"""Cross-cutting tests: settings, permission matrix, security, load, infrastructure."""
