"""Wagtail's document and image admin forms with the content check of core/uploads.py.

Set as WAGTAILDOCS_DOCUMENT_FORM_BASE and WAGTAILIMAGES_IMAGE_FORM_BASE: single and
multiple upload, and replacing a file.
"""

from django.core.exceptions import ValidationError
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from core.uploads import IMAGES, check_upload


class CheckedImageField(WagtailImageField):
    """Wagtail's image field, where a file that starts like an image but that Pillow
    cannot read (`GIF89a<script>…`, a truncated PNG) is the field's “not a valid
    image” error instead of a 500: Wagtail 8 catches only Willow's open, not the
    size check that reads the header (found by an attack with a forged image)."""

    def check_image_pixel_size(self, f):
        try:
            super().check_image_pixel_size(f)
        except ValidationError:
            raise
        except Exception as exc:  # noqa: BLE001 - any reader error: not an image
            raise ValidationError(
                self.error_messages["invalid_image"], code="invalid_image"
            ) from exc


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
    (WAGTAILIMAGES_IMAGE_FORM_BASE). Its file field is `CheckedImageField` in every
    form Wagtail builds on it (single, multiple and chooser upload, replacing)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if isinstance(field, WagtailImageField):
            field.__class__ = CheckedImageField

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file and "file" in self.changed_data:
            check_upload(file, allowed=IMAGES)
        return file
