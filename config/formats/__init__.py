"""Number and date formats of the platform's locales where Django's own do not fit."""
