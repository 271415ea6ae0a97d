"""Private files on S3-compatible storage (used when AWS_STORAGE_BUCKET_NAME is set;
see config/settings/base.py, STORAGES["private"])."""

from django.urls import reverse
from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """Evidence and agreements in the bucket, private objects (private ACL, no public
    URL): their URL is the view that checks who may download them, which streams
    the file from the bucket."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        return reverse("projects_private_file", kwargs={"name": name})
