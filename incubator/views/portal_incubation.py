"""我的机构 → 机构信息 and 我的孵化 (organization users), and the operator's screen
that confirms or returns a milestone the organization marked done.

Portal screens inherit `PortalMixin`: everything is looked up within the user's
own organization, so another organization's milestone answers 404."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from core.forms import errors_to_form
from incubator.errors import IncubationError
from incubator.models import ClaimStatus, MilestoneClaim
from incubator.permissions import base_operable_by
from incubator.selectors.portal import (
    incubation_overview,
    organization_milestone,
    organization_profile,
)
from incubator.services.milestones import milestone_claim, milestone_claim_decide
from incubator.views.portal_base import PortalMixin
from incubator.views.screens import TitledMixin


class PortalOrganizationView(PortalMixin, TitledMixin, TemplateView):
    """机构信息: the organization's own registry record, read-only, the bank
    account masked, and who of it has access."""

    template_name = "incubator/portal/organization.html"
    page_title = gettext_lazy("Organization details")
    header_icon = "group"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **organization_profile(self.organization),
        }


class ClaimForm(forms.Form):
    done_on = forms.DateField(
        label=gettext_lazy("done on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Leave empty for today."),
    )
    note = forms.CharField(
        label=gettext_lazy("what was done"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "For the base operator: what was done, and where to see it."
        ),
    )


class PortalIncubationView(PortalMixin, TitledMixin, TemplateView):
    """我的孵化: current stage, stage history, milestones (with 申请确认) and the
    service activities the organization took part in."""

    template_name = "incubator/portal/incubation.html"
    page_title = gettext_lazy("My incubation")
    header_icon = "home"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **incubation_overview(self.organization),
        }


class MilestoneClaimView(PortalMixin, TitledMixin, FormView):
    """申请确认: the organization marks one of its milestones done, with a note."""

    template_name = "incubator/portal/milestone_claim.html"
    form_class = ClaimForm
    page_title = gettext_lazy("Mark a milestone done")
    header_icon = "tick"

    def setup_milestone(self):
        self.milestone = organization_milestone(self.organization, self.kwargs["pk"])
        if self.milestone is None:
            raise Http404

    def get(self, request, *args, **kwargs):
        self.setup_milestone()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.setup_milestone()
        return super().post(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.milestone.title

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "milestone": self.milestone}

    def form_valid(self, form):
        try:
            milestone_claim(
                milestone=self.milestone,
                user=self.request.user,
                note=form.cleaned_data["note"],
                done_on=form.cleaned_data["done_on"],
            )
        except IncubationError as exc:
            errors_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("“%(milestone)s” was sent to the base operator for confirmation.")
            % {"milestone": self.milestone.title},
        )
        return redirect("incubator_portal_incubation")


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("decision"),
        choices=[
            (ClaimStatus.CONFIRMED, gettext_lazy("Confirm: the milestone is done")),
            (ClaimStatus.RETURNED, gettext_lazy("Return it to the organization")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required when returning it."),
    )


class MilestoneClaimDecideView(TitledMixin, FormView):
    """The base operator confirms or returns a milestone claim (another base's
    claim: 404)."""

    template_name = "incubator/milestone_claim_decide.html"
    form_class = DecideForm
    page_title = gettext_lazy("Milestone marked done")
    header_icon = "tick"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("incubator.change_residency"):
            raise PermissionDenied
        self.claim = get_object_or_404(
            MilestoneClaim.objects.select_related(
                "milestone__residency__base",
                "milestone__residency__organization",
                "claimed_by",
                "decided_by",
            ),
            pk=kwargs["pk"],
        )
        if not base_operable_by(request.user, self.claim.milestone.residency.base):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.claim.milestone.residency.organization)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "claim": self.claim,
            "residency": self.claim.milestone.residency,
            "waiting": self.claim.status == ClaimStatus.CLAIMED,
        }

    def form_valid(self, form):
        try:
            milestone_claim_decide(
                claim=self.claim,
                user=self.request.user,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except IncubationError as exc:
            errors_to_form(form, exc)
            return self.form_invalid(form)
        self.claim.refresh_from_db()
        messages.success(
            self.request,
            _("“%(milestone)s”: %(status)s.")
            % {
                "milestone": self.claim.milestone.title,
                "status": self.claim.get_status_display(),
            },
        )
        return redirect(
            "incubator_residency_page", pk=self.claim.milestone.residency_id
        )
