"""The project configuration: settings, URLs, WSGI and gunicorn."""
