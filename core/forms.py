"""The import upload form: the file checked by content and size before it is stored."""

from django import forms
from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from core.spreadsheet_files import (
    ImportFileError,
    check_import_limits,
    import_file_kind,
)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_(
            "An Excel (.xlsx) or CSV file whose first row holds the column names."
        ),
        validators=[FileExtensionValidator(["xlsx", "xlsm", "csv"])],
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_FILE_SIZE:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.")
                % {"size": settings.IMPORT_MAX_FILE_SIZE // (1024 * 1024)}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        # By content, not by name, and within the limits, before a job or the file
        # is stored; the worker checks again.
        upload.seek(0)
        data = upload.read()
        upload.seek(0)
        try:
            check_import_limits(data, import_file_kind(data, upload.name))
        except ImportFileError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload
