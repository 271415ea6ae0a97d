"""Reading settings from the environment: lists, flags and numbers, one way."""

import os
from urllib.parse import urlsplit


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


def s3_storages():
    """The media storages on S3-compatible storage ("default" and "private"), or
    nothing when no bucket is named (AWS_STORAGE_BUCKET_NAME)."""
    bucket = env_str("AWS_STORAGE_BUCKET_NAME")
    if not bucket:
        return {}
    s3 = {
        "bucket_name": bucket,
        "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
        "region_name": env_str("AWS_S3_REGION_NAME") or None,
        "access_key": env_str("AWS_ACCESS_KEY_ID") or None,
        "secret_key": env_str("AWS_SECRET_ACCESS_KEY") or None,
        "addressing_style": env_str("AWS_S3_ADDRESSING_STYLE") or None,
        "signature_version": env_str("AWS_S3_SIGNATURE_VERSION", "s3v4"),
        # "" for buckets with ACLs disabled (AWS "bucket owner enforced").
        "default_acl": env_str("AWS_DEFAULT_ACL", "private") or None,
        "querystring_auth": True,
        "querystring_expire": env_int("AWS_QUERYSTRING_EXPIRE", 3600),
        "file_overwrite": False,  # like the file system: a new upload gets a new name
    }
    custom_domain = env_str("AWS_S3_CUSTOM_DOMAIN")
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **s3,
                "location": env_str("AWS_LOCATION", "media"),
                "custom_domain": custom_domain or None,
                # django-storages signs no URL behind a custom domain.
                "querystring_auth": not custom_domain,
            },
        },
        "private": {
            "BACKEND": "projects.storage.PrivateS3Storage",
            "OPTIONS": {
                **s3,
                "bucket_name": env_str("AWS_PRIVATE_STORAGE_BUCKET_NAME") or bucket,
                "location": env_str("AWS_PRIVATE_LOCATION", "private"),
            },
        },
    }


def _origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def media_origins(media_url=""):
    """The origins (["https://host"]) browsers load public media from when they are
    not this site: the S3 bucket's host (or its custom domain, e.g. a CDN), an
    absolute MEDIA_URL, and any listed in CSP_MEDIA_ORIGINS. The
    Content-Security-Policy allows images from these (config/settings/base.py).
    Private files never come from these: they are streamed by this site."""
    origins = []
    bucket = env_str("AWS_STORAGE_BUCKET_NAME")
    if bucket:
        custom_domain = env_str("AWS_S3_CUSTOM_DOMAIN")
        endpoint = env_str("AWS_S3_ENDPOINT_URL")
        region = env_str("AWS_S3_REGION_NAME")
        if custom_domain:
            origins.append(f"https://{custom_domain}")
        elif endpoint:
            parts = urlsplit(endpoint)
            if env_str("AWS_S3_ADDRESSING_STYLE") == "virtual":
                origins.append(f"{parts.scheme}://{bucket}.{parts.netloc}")
            else:
                # "path" style, or boto's choice: the bucket in the path or as a
                # sub-domain of the endpoint.
                origins.append(_origin(endpoint))
                origins.append(f"{parts.scheme}://{bucket}.{parts.netloc}")
        else:
            origins.append(f"https://{bucket}.s3.amazonaws.com")
            if region:
                origins.append(f"https://{bucket}.s3.{region}.amazonaws.com")
    if _origin(media_url):
        origins.append(_origin(media_url))
    origins.extend(env_list("CSP_MEDIA_ORIGINS"))
    return list(dict.fromkeys(origins))
