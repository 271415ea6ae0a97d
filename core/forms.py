"""The import upload form (the file checked by content and size before it is stored),
`form_with_errors`, which shows a service's errors on a hand-built screen's form, and
`errors_to_form`, which adds a service's refusal to a bound form a view re-renders."""

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.validators import FileExtensionValidator
from django.forms.utils import ErrorDict
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


def form_with_errors(form, errors):
    """`form` (unbound, its values given as `initial`) showing `errors`, a service's
    `ValidationError.message_dict` ({field name: [message]}, "__all__" for the
    whole form), as Wagtail's field component shows a form's own errors: beside the
    field, red. A key that names no field of the form joins the form's errors.

    The hand-built screens check nothing in their forms (the rule lives in the
    service, which raised the errors); this only puts the answer where the user
    typed. Returns the form."""
    shown = ErrorDict()
    for name, messages in (errors or {}).items():
        key = name if name in form.fields else NON_FIELD_ERRORS
        shown.setdefault(key, form.error_class(renderer=form.renderer)).extend(messages)
    form._errors = shown
    return form


def errors_to_form(form, exc, *, view=None):
    """Add a service's refusal `exc` (a ValidationError or a domain error) to the
    bound `form`: each message of an error dict beside its field (a key that names no
    field of the form, and every message of a plain error, joins the form's own
    errors). With a Wagtail create/edit `view`, its header message is set the way
    Wagtail's own validation sets it. Returns the form; the view then answers
    ``form_invalid(form)``."""
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        for message in exc.messages:
            form.add_error(None, message)
    if view is not None and hasattr(view, "get_error_message"):
        view.produced_error_code = "validation_error"
        view.produced_error_message = view.get_error_message()
    return form


class FilterForm(forms.Form):
    """The filters of a hand-built screen (a GET form: board, roll-ups), drawn by
    Wagtail's field component. `fields` is a list of (name, label, choices, value):
    a choice list draws a select, None a text input; `value` is what the screen
    shows now (the screen itself reads and checks the query)."""

    def __init__(self, *, fields, **kwargs):
        super().__init__(**kwargs)
        for name, label, choices, value in fields:
            if choices is None:
                field = forms.CharField(label=label, required=False)
            else:
                field = forms.ChoiceField(label=label, choices=choices, required=False)
            self.fields[name] = field
            self.initial[name] = value
