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

    def _post_clean(self):
        # A file the content check refused never reaches the document, so Wagtail's
        # extension check (AbstractDocument.clean) then judged an empty name and
        # added "文件扩展“”是不被允许" under the refusal — false for "report.pdf".
        # The refusal alone is kept.
        refusal = list(self.errors.get("file", []))
        super()._post_clean()
        if refusal:
            self._errors["file"] = self.error_class(refusal)


class ImageForm(BaseImageForm):
    """Wagtail's image form with the content check (images only: no SVG)
    (WAGTAILIMAGES_IMAGE_FORM_BASE)."""

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file and "file" in self.changed_data:
            check_upload(file, allowed=IMAGES)
        return file
