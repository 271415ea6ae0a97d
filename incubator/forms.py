"""Admin forms of the incubation screens: each narrows its choices to the bases
the user operates and turns the rules of `incubator/services/residencies.py` into form errors."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from core import roles
from core.people import label_by_name, people_in_roles
from incubator.choices import OrganizationType, RegistrationLevel, SpotCheckResult
from incubator.errors import IncubationError
from incubator.lifecycle import TRANSITIONS
from incubator.models import Residency, Stage
from incubator.models.bases import WEIGHT_TOTAL
from incubator.permissions import bases_visible_to, sees_all_bases
from incubator.selectors.assessments import assessor_candidates
from incubator.selectors.residencies import where_resides
from incubator.services.assessments import assessors_check
from incubator.services.residencies import NEEDS_REASON


class IncubationBaseForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "operators" in self.fields:
            # the base's staff are people of the operator role (and whoever
            # already is), shown by name
            current = self.instance.operators.all() if self.instance.pk else []
            self.fields["operators"].queryset = get_user_model().objects.filter(
                Q(pk__in=people_in_roles(roles.OPERATOR).values("pk"))
                | Q(pk__in=[u.pk for u in current])
            )
            label_by_name(self.fields["operators"])
        user = self.for_user
        if user is not None and not sees_all_bases(user):
            # Operators adjust their base (rubric, milestones, capacity is theirs
            # to report) but do not hand it to other people.
            for name in ("operators", "operator", "parent", "level", "region", "name"):
                if name in self.fields:
                    self.fields[name].disabled = True

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("criteria")
        if formset is not None and formset.is_valid():
            weights = [
                form.cleaned_data.get("weight") or 0
                for form in formset.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")
            ]
            if weights and sum(weights) != WEIGHT_TOTAL:
                self.add_error(
                    None,
                    _(
                        "The criterion weights add up to %(total)s; they must add up "
                        "to 100."
                    )
                    % {"total": sum(weights)},
                )
        return cleaned


class ResidencyForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "base" in self.fields and self.for_user is not None:
            self.fields["base"].queryset = bases_visible_to(self.for_user)
        if self.instance.pk:
            # Where and who are fixed once admitted; a move is a new residency.
            for name in ("organization", "base"):
                if name in self.fields:
                    self.fields[name].disabled = True

    def clean_organization(self):
        organization = self.cleaned_data["organization"]
        if not self.instance.pk and organization is not None:
            active = where_resides(organization)
            if active is not None:
                raise forms.ValidationError(
                    _(
                        "%(organization)s already resides at %(base)s (stage: "
                        "%(stage)s); an organization can have only one active "
                        "residency."
                    )
                    % {
                        "organization": organization,
                        "base": active.base,
                        "stage": active.get_stage_display(),
                    }
                )
        return organization


class StageMoveForm(forms.Form):
    to_stage = forms.ChoiceField(label=gettext_lazy("move to"))
    moved_on = forms.DateField(
        label=gettext_lazy("date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Leave empty for today."),
    )
    reason = forms.CharField(
        label=gettext_lazy("reason"),
        required=False,
        max_length=255,
        help_text=gettext_lazy("Required when withdrawing or terminating."),
    )
    note = forms.CharField(
        label=gettext_lazy("note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, residency, **kwargs):
        super().__init__(*args, **kwargs)
        # Every stage is offered so that a refused move explains itself; the
        # allowed ones come first.
        allowed = TRANSITIONS[Stage(residency.stage)]
        self.fields["to_stage"].choices = [(s.value, s.label) for s in allowed] or [
            ("", "—")
        ]
        self.needs_reason = [s.value for s in allowed if s in NEEDS_REASON]


class ActivityForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None:
            bases = bases_visible_to(self.for_user)
            self.fields["base"].queryset = bases
            self.fields["participants"].queryset = Residency.objects.filter(
                base__in=bases
            ).select_related("organization", "base")
        self.fields["participants"].widget = forms.CheckboxSelectMultiple()
        self.fields["participants"].queryset = self.fields[
            "participants"
        ].queryset.select_related("organization", "base")

    def clean(self):
        cleaned = super().clean()
        base = cleaned.get("base")
        participants = cleaned.get("participants") or []
        strangers = [r for r in participants if base and r.base_id != base.pk]
        if strangers:
            self.add_error(
                "participants",
                _("These residents are not at %(base)s: %(names)s")
                % {
                    "base": base,
                    "names": "、".join(str(r.organization) for r in strangers),
                },
            )
        return cleaned


class AssessmentForm(WagtailAdminModelForm):
    """Assessors are offered from `assessor_candidates` of the bases the user may
    see (of the assessment's own base once it exists) and checked against the
    chosen residency's base on save."""

    def _assessor_candidates(self, base=None):
        keep = self.instance.assessors.all() if self.instance.pk else ()
        if base is None and self.instance.pk:
            base = self.instance.residency.base
        if base is not None:
            bases = [base]
        elif self.for_user is not None:
            bases = bases_visible_to(self.for_user)
        else:
            bases = []
        return assessor_candidates(bases=bases, keep=keep)

    def clean(self):
        cleaned = super().clean()
        residency = cleaned.get("residency") or (
            self.instance.residency if self.instance.pk else None
        )
        chosen = cleaned.get("assessors")
        if residency is not None and chosen:
            keep = self.instance.assessors.all() if self.instance.pk else ()
            try:
                assessors_check(base=residency.base, assessors=chosen, keep=keep)
            except IncubationError as exc:
                self.add_error("assessors", exc.messages)
        return cleaned

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "residency" in self.fields:
            qs = Residency.objects.filter(
                base__in=bases_visible_to(self.for_user)
            ).select_related("organization", "base")
            if not self.instance.pk:
                qs = qs.filter(stage=Stage.ASSESSING)
            self.fields["residency"].queryset = qs
        if "assessors" in self.fields:
            self.fields["assessors"].queryset = self._assessor_candidates()
            label_by_name(self.fields["assessors"])
        if self.instance.pk:
            self.fields["residency"].disabled = True
            if self.instance.is_concluded:
                for field in self.fields.values():
                    field.disabled = True


class ScoreForm(forms.Form):
    """One assessor's scores, one field per criterion of the base's rubric."""

    def __init__(self, *args, criteria, existing=None, **kwargs):
        super().__init__(*args, **kwargs)
        existing = existing or {}
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = forms.DecimalField(
                label=f"{criterion.get_kind_display()}（{_('weight')} {criterion.weight}）",
                max_digits=5,
                decimal_places=2,
                initial=existing.get(criterion.pk, (None, ""))[0],
                help_text=_("0 to %(max)s") % {"max": criterion.max_score},
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("comment"),
                required=False,
                max_length=255,
                initial=existing.get(criterion.pk, (None, ""))[1],
            )

    def scores(self):
        return {c.pk: self.cleaned_data[f"score_{c.pk}"] for c in self.criteria}

    def comments(self):
        return {c.pk: self.cleaned_data[f"comment_{c.pk}"] for c in self.criteria}


# --- spot checks and credit decisions ------------------------------------------------


class SpotCheckCampaignForm(WagtailAdminModelForm):
    """A campaign's scope as checkboxes (stored as lists); a drawn campaign is
    frozen: its scope and rates are part of the draw's record."""

    scope_levels = forms.MultipleChoiceField(
        label=gettext_lazy("registration levels"),
        choices=RegistrationLevel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None ticked: every level."),
    )
    scope_types = forms.MultipleChoiceField(
        label=gettext_lazy("organization types"),
        choices=OrganizationType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None ticked: every type."),
    )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.instance.is_drawn:
            raise forms.ValidationError(
                _("This campaign has been drawn: its scope and rates are frozen.")
            )
        return cleaned


class CreditDecisionForm(WagtailAdminModelForm):
    """A credit decision; once stored, only its reason and authority may be
    corrected, and not after publication."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("organization", "decision_type", "decided_on"):
                if name in self.fields:
                    self.fields[name].disabled = True

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.instance.published_at:
            raise forms.ValidationError(
                _("This decision has been published: it cannot be changed.")
            )
        return cleaned


class SpotCheckResultForm(forms.Form):
    """The result of one spot check (问题, 整改要求, 结果)."""

    result = forms.ChoiceField(
        label=gettext_lazy("result"), choices=SpotCheckResult.choices
    )
    checked_on = forms.DateField(
        label=gettext_lazy("checked on"), required=False, widget=AdminDateInput
    )
    problems = forms.CharField(
        label=gettext_lazy("problems found"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    rectification = forms.CharField(
        label=gettext_lazy("rectification required"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    rectify_by = forms.DateField(
        label=gettext_lazy("rectify by"), required=False, widget=AdminDateInput
    )


class DayForm(forms.Form):
    """The day whose credit decisions are shown and published."""

    date = forms.DateField(label=gettext_lazy("decision date"), widget=AdminDateInput)
