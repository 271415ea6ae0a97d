"""Reading settings from the environment: lists, flags and numbers, one way."""

import os


def env_str(name, default=""):
    return os.environ.get(name, default).strip()


def env_list(name, default=""):
    """A comma-separated list; blanks dropped."""
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_bool(name, default=False):
    value = env_str(name)
    if not value:
        return default
    return value.lower() in ("1", "true", "yes", "on")


def env_int(name, default):
    value = env_str(name)
    return int(value) if value else default
