"""Formats of the Chinese UI (settings.FORMAT_MODULE_PATH)."""
