"""The forms of the hand-built funding screens: Django fields drawn by Wagtail's field
component (`wagtailadmin/shared/field.html`), posted under the names the views read.

They draw and carry the inputs only: every rule (amounts, dates, reasons, who may do
what) stays in the services, whose errors are shown on these fields through
`core.forms.form_with_errors`. Per-row forms (one objection, one review, one
application) take `auto_id="id_<row>_<pk>_%s"` so their ids stay unique on a page.
"""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from funding.choices import Recommendation, ShortfallRule
from funding.models.awards import ReportKind

#: A date typed or picked in the browser, posted as YYYY-MM-DD (what the views read).
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
#: Money in yuan to the fen, typed with a decimal keyboard on a phone.
MONEY_WIDGET = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})


class DisbursementRecordForm(forms.Form):
    """Record a disbursement of one tranche of the award (award desk)."""

    tranche = forms.ChoiceField(label=gettext_lazy("Tranche"))
    amount = forms.CharField(label=gettext_lazy("Amount (yuan)"), widget=MONEY_WIDGET)
    note = forms.CharField(label=gettext_lazy("Note"), required=False)

    def __init__(self, *args, tranches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tranche"].choices = [(t.pk, str(t)) for t in tranches]


class ObjectionRecordForm(forms.Form):
    """An objection received during the public notice (award desk)."""

    received_on = forms.DateField(
        label=gettext_lazy("Received on"), required=False, widget=DATE_WIDGET
    )
    objector = forms.CharField(label=gettext_lazy("Objector"), required=False)
    content = forms.CharField(
        label=gettext_lazy("Objection"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ObjectionResolveForm(forms.Form):
    """Dismiss or uphold one open objection, with the reason (award desk)."""

    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            ("dismissed", gettext_lazy("Dismiss")),
            ("upheld", gettext_lazy("Uphold (refuse the award)")),
        ],
    )
    note = forms.CharField(label=gettext_lazy("Reason"))


class ReportRecordForm(forms.Form):
    """A progress or final report received for the award (award desk)."""

    kind = forms.ChoiceField(
        label=gettext_lazy("Report kind"), choices=ReportKind.choices
    )
    submitted_on = forms.DateField(
        label=gettext_lazy("Submitted on"), required=False, widget=DATE_WIDGET
    )
    summary = forms.CharField(
        label=gettext_lazy("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AwardTerminateForm(forms.Form):
    """The reason an award is terminated (award desk; confirmed before it is done)."""

    reason = forms.CharField(
        label=gettext_lazy("Reason for termination"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReasonForm(forms.Form):
    """One reason, required: returning an application for correction (call desk) or
    withdrawing a review (assignment)."""

    def __init__(self, *args, name="reason", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[name] = forms.CharField(
            label=gettext_lazy("Reason"),
            widget=forms.TextInput(attrs={"placeholder": _("Reason")}),
        )


class FundingLineForm(forms.Form):
    """The shortfall rule and the reason for it, to draw the funding line (call desk)."""

    rule = forms.ChoiceField(
        label=gettext_lazy("When the money left cannot cover the next application"),
        choices=ShortfallRule.choices,
        initial=ShortfallRule.choices[0][0],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for this choice"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DecisionForm(forms.Form):
    """Approve with an amount in yuan, or reject, one application (decision screen)."""

    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            ("approve", gettext_lazy("Approve")),
            ("reject", gettext_lazy("Reject")),
        ],
        initial="approve",
        widget=forms.RadioSelect,
    )
    amount = forms.CharField(
        label=gettext_lazy("Approved amount (yuan)"),
        required=False,
        widget=MONEY_WIDGET,
    )
    note = forms.CharField(
        label=gettext_lazy("Decision note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReviewScoreForm(forms.Form):
    """A reviewer's scores: one number and one comment per criterion
    (`score_<pk>`, `comment_<pk>`), the recommendation and the overall comment.

    `rows` are `funding.selectors.review_rows` rows (pk, name, description,
    max_score, weight); `locked` draws every input disabled; `focus` is the pk of the
    criterion the cursor starts on. The scores are checked by `review_save_draft` /
    `review_submit`, not here."""

    def __init__(self, *args, rows, locked=False, focus=None, **kwargs):
        super().__init__(*args, **kwargs)
        for row in rows:
            attrs = {
                "min": 0,
                "max": row["max_score"],
                "step": "0.5",
                "inputmode": "decimal",
            }
            if row["pk"] == focus and not locked:
                attrs["autofocus"] = True
            scale = _("0 – %(max)s points, weight %(weight)s") % {
                "max": row["max_score"],
                "weight": row["weight"],
            }
            description = row.get("description") or ""
            self.fields[f"score_{row['pk']}"] = forms.CharField(
                label=row["name"],
                help_text=f"{scale}。{description}" if description else scale,
                required=False,
                widget=forms.NumberInput(attrs=attrs),
            )
            self.fields[f"comment_{row['pk']}"] = forms.CharField(
                label=gettext_lazy("Comment"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("Comment")}),
            )
        self.fields["recommendation"] = forms.ChoiceField(
            label=gettext_lazy("Recommendation"),
            choices=Recommendation.choices,
            required=False,
            widget=forms.RadioSelect,
        )
        self.fields["comment"] = forms.CharField(
            label=gettext_lazy("Overall comment"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        for field in self.fields.values():
            field.disabled = locked

    def criterion_fields(self, rows):
        """(row, score field, comment field) per criterion, for the template."""
        return [
            (row, self[f"score_{row['pk']}"], self[f"comment_{row['pk']}"])
            for row in rows
        ]


class ConflictDeclareForm(forms.Form):
    """A reviewer declares a conflict of interest, with the reason (scoring screen)."""

    conflict_reason = forms.CharField(label=gettext_lazy("Reason"))


class ReportReturnForm(forms.Form):
    """Return a submitted report to the organization, with the reason (award desk)."""

    reason = forms.CharField(
        label=gettext_lazy("Reason for returning"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PortalReportForm(forms.Form):
    """The organization's mid-term or final report (portal): its text and a file
    (PDF, Word, Excel, images; checked by content in
    `funding.services.award_portal.report_file_check`)."""

    summary = forms.CharField(
        label=gettext_lazy("Report"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "What was done, for whom, with what money, and what came of it."
        ),
    )
    document = forms.FileField(
        label=gettext_lazy("Report file"),
        required=False,
        help_text=gettext_lazy(
            "PDF, Word, Excel or an image, at most 20 MB; a new file replaces the "
            "one attached."
        ),
    )
