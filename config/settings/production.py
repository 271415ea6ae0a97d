"""Production profile: every secret and host comes from the environment.

The infrastructure (DATABASE_URL and DATABASE_REPLICA_URLS, REDIS_URL, the S3 bucket,
email, logging) is read in `base.py`; this profile adds what only production needs:
a real SECRET_KEY, static files compressed with hashed names, and HTTPS everywhere.
Every variable is listed in docs/deployment.md.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_list, env_str

DEBUG = False

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY or SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured("Set SECRET_KEY in the environment for production.")
# Old keys still accepted for sessions and signed values while rotating SECRET_KEY.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Static files are served by WhiteNoise from STATIC_ROOT (collectstatic), compressed
# and with content hashes in their names (cached forever by browsers and proxies).
STORAGES = {
    **STORAGES,  # noqa: F405 - the media storages chosen in base.py
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# HTTPS: the proxy terminates TLS and says so in X-Forwarded-Proto (it must set the
# header itself, never pass on the client's).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
# Wagtail's live preview shows the page in a same-origin iframe, so SAMEORIGIN (not
# DENY) is deliberate.
SILENCED_SYSTEM_CHECKS = ["security.W019"]
