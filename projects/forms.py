"""Admin forms: choices limited to what the user may see, rules checked on save."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm

from core.forms import ImportUploadForm
from core.people import label_by_name
from projects.choices import ReportStatus
from projects.errors import ProjectsError
from projects.funding_sources import funding_link_check_eligible
from projects.models import Pairing
from projects.models.indicators import FIXED_FIELDS, indicator_fixed_reason
from projects.models.projects import funding_links_check_capacity
from projects.permissions import (
    pairings_visible_to,
    projects_visible_to,
    user_sees_all_pairings,
)


class PairingForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "coordinators" in self.fields:
            from django.contrib.auth import get_user_model
            from django.db.models import Q

            from core import roles

            # Offer the rural-revitalization coordinators (and administrators).
            self.fields["coordinators"].queryset = (
                get_user_model()
                .objects.filter(
                    Q(groups__name=roles.GROUP_NAMES[roles.COORDINATOR])
                    | Q(is_superuser=True)
                    | Q(
                        pk__in=self.instance.coordinators.all()
                        if self.instance.pk
                        else []
                    )
                )
                .distinct()
                .order_by("last_name", "first_name", "username")
            )
            label_by_name(self.fields["coordinators"])

    def save(self, commit=True):
        instance = super().save(commit=commit)
        user = self.for_user
        if commit and user is not None and not user_sees_all_pairings(user):
            # A coordinator who records a pairing coordinates it.
            instance.coordinators.add(user)
        return instance


class ProjectForm(WagtailAdminModelForm):
    """A project and its funding links. The links' award/purchase chooser offers
    only the records of the project's pairing's organization and its alliances;
    each link is checked against the pairing chosen in this
    same form, and the links together never exceed what a record holds."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pairings = Pairing.objects.all()
        if self.for_user is not None and "pairing" in self.fields:
            pairings = pairings_visible_to(self.for_user)
            self.fields["pairing"].queryset = pairings.select_related(
                "organization", "county", "village"
            )
        formset = self.formsets.get("funding_links")
        if formset is not None:
            # Every link form of this form (the empty one too) offers the records
            # of this project's pairing; a new project: those of the user's pairings.
            chosen = self.data.get(self.add_prefix("pairing")) if self.is_bound else ""
            scope = None
            if str(chosen).isdigit() and len(str(chosen)) < 16:
                scope = list(pairings.filter(pk=chosen))
            if not scope and self.instance.pairing_id:
                scope = [self.instance.pairing]
            if not scope:
                scope = list(pairings)
            formset.form = type(
                formset.form.__name__, (formset.form,), {"funding_pairings": scope}
            )

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("funding_links")
        pairing = cleaned.get("pairing")
        if formset is not None and formset.is_valid():
            links = [
                f
                for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            if pairing is not None:
                for form in links:
                    try:
                        funding_link_check_eligible(form.instance, pairing)
                    except ProjectsError as exc:
                        form.add_error(None, exc)
            if formset.is_valid():
                try:
                    funding_links_check_capacity(
                        self.instance, [f.instance for f in links]
                    )
                except ProjectsError as exc:
                    self.add_error(None, exc)
        return cleaned


class OutcomeReportForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "project" in self.fields:
            self.fields["project"].queryset = projects_visible_to(self.for_user)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and not self.instance.is_editable:
            raise forms.ValidationError(
                _("A report that is “%(status)s” can no longer be changed.")
                % {"status": self.instance.get_status_display()}
            )
        return cleaned

    def save(self, commit=True):
        if self.instance.pk is None:
            # The author is whoever first wrote the report, and stays so.
            self.instance.created_by = self.for_user
            self.instance.status = ReportStatus.DRAFT
        return super().save(commit=commit)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("What must be revised"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class IndicatorForm(WagtailAdminModelForm):
    """The catalogue entry: once approved figures use the indicator, its
    aggregation rule and unit are shown disabled with the reason (the rule is
    `projects.models.indicators.indicator_check_fixed`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        reason = indicator_fixed_reason(self.instance)
        if reason:
            for name in FIXED_FIELDS:
                if name in self.fields:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _(
                        "Fixed: see why under “aggregation”."
                    )
            if "aggregation" in self.fields:
                self.fields["aggregation"].help_text = reason


class OutcomeImportForm(ImportUploadForm):
    """The outcome report upload, with “import as approved” for users who may
    approve reports (the view removes the box for anyone else)."""

    approve = forms.BooleanField(
        label=gettext_lazy("Import as approved (historical figures)"),
        required=False,
        help_text=gettext_lazy(
            "For periods that have ended and were already checked: the reports are "
            "recorded as approved by you, and their history says so."
        ),
    )


# --- 我的机构 → 成效报告: the organization's own reports -------------------------------


class PortalReportCreateForm(forms.Form):
    """The period of a new report; the period type is the project's reporting
    frequency (`OutcomeReport.clean`)."""

    year = forms.IntegerField(
        label=gettext_lazy("Year"), min_value=2000, max_value=2100
    )
    number = forms.IntegerField(
        label=gettext_lazy("Period"),
        min_value=1,
        max_value=4,
        help_text=gettext_lazy("Quarter 1–4, half 1–2, or 1 for a year."),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PortalLineForm(forms.Form):
    """Target and actual of one indicator (numerator and denominator for a ratio);
    the line's rules are `OutcomeLine.clean`, run here so the user sees each error
    beside its field."""

    target = forms.DecimalField(
        label=pgettext_lazy("outcome", "Target"),
        required=False,
        max_digits=16,
        decimal_places=2,
    )
    actual = forms.DecimalField(
        label=gettext_lazy("Actual"), required=False, max_digits=16, decimal_places=2
    )
    numerator = forms.DecimalField(
        label=gettext_lazy("Numerator"),
        required=False,
        max_digits=16,
        decimal_places=2,
    )
    denominator = forms.DecimalField(
        label=gettext_lazy("Denominator"),
        required=False,
        max_digits=16,
        decimal_places=2,
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=200)
    delete = forms.BooleanField(label=gettext_lazy("Remove this line"), required=False)

    def __init__(self, *args, line, **kwargs):
        super().__init__(*args, **kwargs)
        self.line = line
        self.indicator = line.indicator
        if self.indicator.is_ratio:
            del self.fields["actual"]
        else:
            del self.fields["numerator"]
            del self.fields["denominator"]
        number_error = _(
            "Only numbers are accepted (e.g. 1200 or 0.5); text such as “N/A” is not."
        )
        for name in ("target", "actual", "numerator", "denominator"):
            if name in self.fields:
                self.fields[name].error_messages["invalid"] = number_error

    def clean(self):
        from projects.models import OutcomeLine

        data = super().clean()
        if data.get("delete") or self.errors:
            return data
        probe = OutcomeLine(
            indicator=self.indicator,
            **{
                name: data.get(name)
                for name in ("target", "actual", "numerator", "denominator")
            },
        )
        try:
            probe.clean()
        except forms.ValidationError as exc:
            for name, messages in exc.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        return data


class PortalReportForm(forms.Form):
    """The report's note and one more indicator to report on."""

    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    add_indicator = forms.ModelChoiceField(
        label=gettext_lazy("Add an indicator"),
        required=False,
        queryset=None,
        empty_label=gettext_lazy("— none —"),
    )
    remove_evidence = forms.MultipleChoiceField(
        label=gettext_lazy("remove on saving"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, indicators, evidence=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["add_indicator"].queryset = indicators
        self.fields["remove_evidence"].choices = [
            (str(item.pk), item.title or str(item.pk)) for item in evidence
        ]


class PortalEvidenceForm(forms.Form):
    """One evidence file (photos, receipts, documents, sign-in sheets); the file is
    checked by the product's upload rules when it is stored."""

    indicator = forms.ModelChoiceField(
        label=gettext_lazy("Indicator"),
        required=False,
        queryset=None,
        empty_label=gettext_lazy("— the whole report —"),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"))
    title = forms.CharField(
        label=gettext_lazy("Title"),
        required=False,
        max_length=200,
        # required with a file (`clean`): said before the file is chosen, since a
        # refused form gives the chosen file back to nobody
        help_text=gettext_lazy(
            "Required when you attach a file: what it shows, e.g. the activity's "
            "sign-in sheet."
        ),
    )
    file = forms.FileField(label=gettext_lazy("Evidence file"), required=False)

    def __init__(self, *args, indicators, **kwargs):
        from projects.choices import EvidenceKind

        super().__init__(*args, prefix="evidence", **kwargs)
        self.fields["indicator"].queryset = indicators
        self.fields["kind"].choices = [c for c in EvidenceKind.choices if c[0]]

    def clean(self):
        data = super().clean()
        if data.get("file") and not (data.get("title") or "").strip():
            self.add_error("title", _("Say what the file shows."))
        return data
