"""Wagtail's document and image admin forms with the content check of
core/uploads.py (set as WAGTAILDOCS_DOCUMENT_FORM_BASE and
WAGTAILIMAGES_IMAGE_FORM_BASE: single and multiple upload, and replacing a file)."""

from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from core.uploads import IMAGES, check_upload


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form (single and multiple upload, replacing a file) with
    the content check: every document — application attachments, award agreements
    and reports, editors' documents — goes through it (WAGTAILDOCS_DOCUMENT_FORM_BASE).
    """

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file and "file" in self.changed_data:
            check_upload(file)
        return file


class ImageForm(BaseImageForm):
    """Wagtail's image form with the content check (images only: no SVG)
    (WAGTAILIMAGES_IMAGE_FORM_BASE)."""

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file and "file" in self.changed_data:
            check_upload(file, allowed=IMAGES)
        return file
