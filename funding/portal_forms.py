"""The forms of applying online: the standard fields, the budget lines, the call's
own questions (built from a form version's blocks) and the attachments.

They check what a form can (types, the call's maximum, file type and size); the
rules of submitting (deadline, required answers, eligibility) are in
`funding.services.portal`.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.models import Region
from core.money import yuan_text
from funding.blocks import list_values
from funding.models import Application
from funding.services.portal import check_file

#: Budget rows the form always offers (filled ones count; empty ones are ignored).
BUDGET_ROWS = 6


class StandardFieldsForm(forms.ModelForm):
    """Title, summary, amount, target region and beneficiaries, linked projects."""

    class Meta:
        model = Application
        fields = [
            "title",
            "summary",
            "requested_amount",
            "target_region",
            "beneficiaries",
            "beneficiary_count",
            "linked_projects",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, call, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        # The divisions of the organization's own province: a short list.
        region = organization.region
        queryset = Region.objects.order_by("code")
        if region is not None:
            queryset = queryset.filter(code__startswith=region.code[:2])
        self.fields["target_region"].queryset = queryset
        self.fields["requested_amount"].help_text = _(
            "At most %(max)s yuan for this call."
        ) % {"max": yuan_text(call.max_per_award)}

    def clean_requested_amount(self):
        amount = self.cleaned_data["requested_amount"]
        if amount is not None and amount > self.call.max_per_award:
            raise ValidationError(
                _("At most %(max)s yuan may be requested from this call.")
                % {"max": yuan_text(self.call.max_per_award)}
            )
        return amount


class BudgetLineForm(forms.Form):
    item = forms.CharField(label=_("item"), max_length=200, required=False)
    amount = forms.DecimalField(
        label=_("amount (yuan)"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("item") and data.get("amount") is None:
            self.add_error("amount", _("Give the amount of this budget line."))
        if data.get("amount") is not None and not data.get("item"):
            self.add_error("item", _("Name what this amount is for."))
        return data


BudgetLineFormSet = forms.formset_factory(
    BudgetLineForm, extra=0, min_num=BUDGET_ROWS, max_num=50
)


def budget_formset(application, data=None):
    """The budget rows of `application` (None or unsaved: empty rows)."""
    initial = []
    if application is not None and application.pk:
        initial = [
            {"item": line.item, "amount": line.amount}
            for line in application.budget_lines.all()
        ]
    formset = BudgetLineFormSet(data=data, initial=initial, prefix="budget")
    if data is None and len(initial) >= BUDGET_ROWS:
        formset.extra = 2
    return formset


def budget_lines_of(formset):
    """[(item, amount)] of the filled rows of a valid budget formset."""
    return [
        (f.cleaned_data["item"], f.cleaned_data["amount"])
        for f in formset.forms
        if f.cleaned_data.get("item")
    ]


def _number_text(number):
    """A Decimal as plain text: 300 not 3E+2, 12.5 not 12.50."""
    return format(number.normalize(), "f")


class AnswersForm(forms.Form):
    """The call's own questions of one form version; a field per question (a table
    has one per cell), named after the block id (`q_<id>`, `q_<id>_<row>_<col>`)."""

    def __init__(self, *args, blocks, answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.blocks = blocks
        self.tables = {}
        answers = answers or {}
        for block in blocks:
            value = block["value"]
            kind = block["type"]
            answer = answers.get(block["id"])
            label = value.get("label", "")
            if value.get("required"):
                label = f"{label} *"
            common = {
                "label": label,
                "help_text": value.get("help_text", ""),
                "required": False,  # required answers are checked at submit
            }
            if kind == "table":
                self._table(block, answer)
                continue
            if kind == "text":
                widget = (
                    forms.Textarea(attrs={"rows": 3})
                    if value.get("multiline")
                    else forms.TextInput
                )
                field = forms.CharField(max_length=5000, widget=widget, **common)
            elif kind == "number":
                field = forms.DecimalField(max_digits=16, decimal_places=2, **common)
            elif kind == "choice":
                choices = [(c, c) for c in list_values(value.get("choices"))]
                field = forms.ChoiceField(
                    choices=[("", "---------"), *choices], **common
                )
            elif kind == "file":
                field = forms.FileField(**common)
                if answer:
                    field.help_text = _(
                        "Uploaded: %(name)s. Choose a file only to replace it."
                    ) % {"name": answer.get("name", "")}
                answer = None
            else:
                continue
            field.initial = answer
            self.fields[f"q_{block['id']}"] = field

    def _table(self, block, answer):
        value = block["value"]
        columns = list_values(value.get("columns"))
        answer = answer or []
        cells = []
        for r in range(value.get("rows") or 5):
            row = []
            for c, column in enumerate(columns):
                name = f"q_{block['id']}_{r}_{c}"
                initial = answer[r][c] if r < len(answer) and c < len(answer[r]) else ""
                self.fields[name] = forms.CharField(
                    label=f"{value.get('label', '')} · {column} · {r + 1}",
                    max_length=500,
                    required=False,
                    initial=initial,
                )
                row.append(name)
            cells.append(row)
        self.tables[block["id"]] = (columns, cells)

    def items(self):
        """The questions in order for the template: ("field", bound field) or
        ("table", (block, columns, rows of bound fields))."""
        items = []
        for block in self.blocks:
            if block["id"] in self.tables:
                columns, cells = self.tables[block["id"]]
                rows = [[self[name] for name in row] for row in cells]
                items.append(("table", (block, columns, rows)))
            elif f"q_{block['id']}" in self.fields:
                items.append(("field", self[f"q_{block['id']}"]))
        return items

    def clean(self):
        data = super().clean()
        for block in self.blocks:
            key = f"q_{block['id']}"
            if block["type"] == "file" and data.get(key):
                try:
                    check_file(data[key])
                except ValidationError as exc:
                    self.add_error(key, exc)
        return data

    def answers(self):
        """({block id: answer}, [(block id, title, upload)]) from valid data."""
        answers, files = {}, []
        for block in self.blocks:
            key = f"q_{block['id']}"
            kind = block["type"]
            if kind == "table":
                _columns, cells = self.tables[block["id"]]
                answers[block["id"]] = [
                    [self.cleaned_data.get(name, "") for name in row] for row in cells
                ]
            elif kind == "file":
                upload = self.cleaned_data.get(key)
                if upload:
                    files.append((block["id"], block["value"].get("label", ""), upload))
            elif kind == "number":
                number = self.cleaned_data.get(key)
                answers[block["id"]] = "" if number is None else _number_text(number)
            elif key in self.fields:
                answers[block["id"]] = self.cleaned_data.get(key) or ""
        return answers, files


class AttachmentForm(forms.Form):
    """An attachment beyond the questions: a title and a file (checked by content,
    at most `funding.services.portal.MAX_FILE_SIZE`)."""

    attachment_title = forms.CharField(
        label=_("Attachment title"), max_length=200, required=False
    )
    attachment_file = forms.FileField(
        label=_("Attachment file"),
        required=False,
        help_text=_("PDF, Word, Excel, PowerPoint or an image; at most 20 MB."),
    )

    remove_attachments = forms.TypedMultipleChoiceField(
        label=_("Remove attachments"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, attachments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remove_attachments"].choices = [
            (a.pk, a.title) for a in attachments
        ]
        if not attachments:
            del self.fields["remove_attachments"]

    def clean_attachment_file(self):
        upload = self.cleaned_data.get("attachment_file")
        if upload:
            check_file(upload)
        return upload


class MoreInfoForm(forms.Form):
    """Staff's "要求补充材料": what the organization must add or correct."""

    note = forms.CharField(
        label=_("What information is needed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
