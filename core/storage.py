"""Where uploaded files live, so that no private file is ever on a public path.

- `private_storage()`: outcome evidence, pairing agreements and spreadsheet import
  files. On disk under PRIVATE_MEDIA_ROOT (outside MEDIA_ROOT), or the "private"
  S3 storage; their URL is the view that checks who is asking.
- `MediaStorage` (STORAGES["default"] on disk): MEDIA_ROOT holds only what may be
  public — Wagtail's images and renditions. Wagtail documents (application
  attachments, award agreements and reports: files with personal data) are stored
  by the same storage under PRIVATE_MEDIA_ROOT/documents/, and only ever leave
  through Wagtail's document view after its collection check.

The development server must never serve MEDIA_ROOT whole at /media/ (the internal
documents and import files would be in it): PUBLIC_MEDIA_PREFIXES
(config/settings/base.py) is all that /media/ may serve in any profile
(config/urls.py).
"""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from django.utils.functional import LazyObject


def private_media_root():
    """PRIVATE_MEDIA_ROOT as a Path (default: `private_media/` beside the project)."""
    location = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
    return Path(location or Path(settings.BASE_DIR) / "private_media")


class PrivateFileSystemStorage(FileSystemStorage):
    """Files whose URL is the admin view that checks who may download them."""

    def url(self, name):
        return reverse("projects_private_file", kwargs={"name": name})


class PrivateStorage(LazyObject):
    """The storage of private files: settings.STORAGES["private"] when set (the
    bucket in production), else PRIVATE_MEDIA_ROOT on disk."""

    def _setup(self):
        if "private" in settings.STORAGES:
            from django.core.files.storage import storages

            self._wrapped = storages["private"]
            return
        self._wrapped = PrivateFileSystemStorage(location=private_media_root())


_private_storage = PrivateStorage()


def private_storage():
    """The storage of private files (a callable, so migrations name it, not a path)."""
    return _private_storage


# Names stored by the default storage that are private: kept outside MEDIA_ROOT.
PRIVATE_DEFAULT_PREFIXES = ("documents/",)


class MediaStorage(FileSystemStorage):
    """The default storage on disk: public media in MEDIA_ROOT, Wagtail documents
    (stored as `documents/…`, names unchanged) under PRIVATE_MEDIA_ROOT."""

    def _private(self, name):
        return name.replace("\\", "/").startswith(PRIVATE_DEFAULT_PREFIXES)

    def _private_backend(self):
        return FileSystemStorage(
            location=private_media_root(),
            file_permissions_mode=self.file_permissions_mode,
            directory_permissions_mode=self.directory_permissions_mode,
        )

    def path(self, name):
        if self._private(name):
            return self._private_backend().path(name)
        return super().path(name)

    def _save(self, name, content):
        if self._private(name):
            return self._private_backend()._save(name, content)
        return super()._save(name, content)

    def url(self, name):
        if self._private(name):
            raise NotImplementedError(f"{name} is private: it has no public URL.")
        return super().url(name)
