"""Screens of random spot checks (双随机、一公开) and credit publication (双公示).

Admin (registration officers, `core.roles.REGISTRAR`): the inspector pool, the
campaigns (scope and rates as a snippet form; the campaign page with its draw
record, checks and verification; the draw behind a confirmation), a check's
result, the import of results, credit decisions and the day's file for the
provincial credit platform (publication behind a confirmation).
Public: the list of who a campaign checked and the result (names only).
"""

import datetime
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.widgets import Button, HeaderButton
from wagtail.log_actions import log
from wagtail.snippets.views.snippets import CreateView, IndexView

from core.confirmations import confirm_or_show, confirmation_page
from core.forms import errors_to_form
from core.viewsets import HistorySnippetViewSet
from incubator.errors import IncubationError
from incubator.forms import (
    CreditDecisionForm,
    DayForm,
    SpotCheckCampaignForm,
    SpotCheckResultForm,
)
from incubator.models import CreditDecision, Inspector, SpotCheck, SpotCheckCampaign
from incubator.selectors.credit import (
    day_decisions,
    day_exports,
    publication_confirmation,
)
from incubator.selectors.spotchecks import (
    draw_confirmation,
    public_checks,
    scope_text,
)
from incubator.services.credit import (
    credit_decision_record,
    credit_publication_export,
    credit_publication_filename,
    credit_publication_publish,
)
from incubator.services.spotchecks import (
    spotcheck_campaign_draw,
    spotcheck_result_record,
    spotcheck_verify,
)
from incubator.views.portal_base import SUPERVISION_MENU_HOOK
from incubator.views.screens import TitledMixin

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- snippet viewsets -------------------------------------------------------------------


class InspectorViewSet(HistorySnippetViewSet):
    """执法检查人员名录: the pool spot checks draw inspectors from."""

    model = Inspector
    icon = "user"
    menu_label = gettext_lazy("Inspector pool")
    menu_hook = SUPERVISION_MENU_HOOK
    menu_order = 45
    list_display = ["name", "unit", "badge_number", "active"]
    list_filter = ["active"]
    search_fields = ["name", "unit"]
    search_backend_name = None
    copy_view_enabled = False


class CampaignIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            Button(
                _("Open campaign"),
                url=reverse("incubator_spotcheck_campaign", args=[instance.pk]),
                icon_name="view",
                priority=5,
            )
        )
        return buttons


class SpotCheckCampaignViewSet(HistorySnippetViewSet):
    """Spot-check campaigns: scope and rates here; the draw and results on the
    campaign page (`CampaignView`)."""

    model = SpotCheckCampaign
    icon = "crosshairs"
    menu_label = gettext_lazy("Random spot checks")
    menu_hook = SUPERVISION_MENU_HOOK
    menu_order = 40
    index_view_class = CampaignIndexView
    edit_handler = ObjectList(
        SpotCheckCampaign.panels, base_form_class=SpotCheckCampaignForm
    )
    list_display = ["name", "year", "status", "base_rate", "risk_rate"]
    list_filter = ["year", "status"]
    copy_view_enabled = False
    related_histories = ("checks",)


class CreditDecisionCreateView(CreateView):
    """Stores the decision through `credit_decision_record` (a list decision opens
    or closes the organization's credit-list entry); a refusal is a form error."""

    def save_instance(self):
        data = self.form.cleaned_data
        instance = credit_decision_record(
            organization=data["organization"],
            decision_type=data["decision_type"],
            reason=data["reason"],
            decided_on=data["decided_on"],
            authority=data["authority"],
            user=self.request.user,
        )
        self.form.instance = instance
        log(instance=instance, action="wagtail.create", user=self.request.user)
        return instance

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except IncubationError as exc:
            return self.form_invalid(errors_to_form(form, exc, view=self))


class CreditDecisionViewSet(HistorySnippetViewSet):
    """Credit decisions (行政决定) published each day for 双公示."""

    model = CreditDecision
    icon = "warning"
    menu_label = gettext_lazy("Credit decisions")
    menu_hook = SUPERVISION_MENU_HOOK
    menu_order = 50
    add_view_class = CreditDecisionCreateView
    edit_handler = ObjectList(CreditDecision.panels, base_form_class=CreditDecisionForm)
    list_display = [
        "organization",
        "decision_type",
        "decided_on",
        "authority",
        "published_at",
    ]
    list_filter = ["decision_type", "decided_on"]
    search_fields = ["organization__name", "reason"]
    search_backend_name = None
    copy_view_enabled = False
    delete_view_enabled = False


# --- the campaign page, the draw and a check's result -----------------------------------


class _Permission(TitledMixin):
    permission = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def list_crumb(self):
        return {
            "url": reverse("wagtailsnippets_incubator_spotcheckcampaign:list"),
            "label": SpotCheckCampaign._meta.verbose_name_plural,
        }

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            self.list_crumb(),
            {"url": "", "label": self.get_page_title()},
        ]


class CampaignView(_Permission, TemplateView):
    """A campaign: scope, rates, the draw's record and its verification, the
    checks drawn with their inspectors and results."""

    permission = "incubator.view_spotcheckcampaign"
    template_name = "incubator/spotcheck_campaign.html"
    header_icon = "crosshairs"

    def dispatch(self, request, *args, **kwargs):
        self.campaign = get_object_or_404(SpotCheckCampaign, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return str(self.campaign)

    @property
    def header_buttons(self):
        user = self.request.user
        campaign = self.campaign
        buttons = []
        if user.has_perm("incubator.change_spotcheckcampaign"):
            if not campaign.is_drawn:
                buttons.append(
                    HeaderButton(
                        _("Draw"),
                        url=reverse("incubator_spotcheck_draw", args=[campaign.pk]),
                        icon_name="crosshairs",
                    )
                )
                buttons.append(
                    HeaderButton(
                        _("Edit"),
                        url=reverse(
                            "wagtailsnippets_incubator_spotcheckcampaign:edit",
                            args=[campaign.pk],
                        ),
                        icon_name="edit",
                    )
                )
        if campaign.is_drawn and user.has_perm("incubator.change_spotcheck"):
            buttons.append(
                HeaderButton(
                    _("Import results"),
                    url=reverse("incubator_spotcheck_result_import"),
                    icon_name="upload",
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = self.campaign
        checks = (
            campaign.checks.select_related("organization")
            .prefetch_related("inspectors")
            .order_by("position")
        )
        context.update(
            campaign=campaign,
            scope=scope_text(
                campaign.scope
                if campaign.is_drawn
                else {
                    "levels": campaign.scope_levels,
                    "types": campaign.scope_types,
                    "region": campaign.scope_region.code
                    if campaign.scope_region_id
                    else None,
                }
            ),
            checks=checks,
            verification=spotcheck_verify(campaign) if campaign.is_drawn else None,
            can_record=self.request.user.has_perm("incubator.change_spotcheck"),
            public_url=reverse("incubator_public_spotchecks", args=[campaign.pk]),
        )
        return context


class DrawView(_Permission, TemplateView):
    """Draw a campaign: GET shows `draw_confirmation`, the confirming POST draws
    (`spotcheck_campaign_draw`)."""

    permission = "incubator.change_spotcheckcampaign"
    header_icon = "crosshairs"
    page_title = gettext_lazy("Draw")

    def dispatch(self, request, *args, **kwargs):
        self.campaign = get_object_or_404(SpotCheckCampaign, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def back_url(self):
        return reverse("incubator_spotcheck_campaign", args=[self.campaign.pk])

    def get(self, request, pk):
        return confirmation_page(
            self, draw_confirmation(self.campaign), back_url=self.back_url()
        )

    def post(self, request, pk):
        asked = confirm_or_show(
            self, draw_confirmation(self.campaign), back_url=self.back_url()
        )
        if asked:
            return asked
        try:
            campaign = spotcheck_campaign_draw(
                campaign=self.campaign, user=request.user
            )
        except IncubationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("Drawn: %(count)s organizations.")
                % {"count": campaign.checks.count()},
            )
        return redirect(self.back_url())


class ResultView(_Permission, FormView):
    """Record the result of one check (`spotcheck_result_record`)."""

    permission = "incubator.change_spotcheck"
    template_name = "incubator/spotcheck_result.html"
    form_class = SpotCheckResultForm
    header_icon = "tasks"
    page_title = gettext_lazy("Spot-check result")

    def dispatch(self, request, *args, **kwargs):
        self.check = get_object_or_404(
            SpotCheck.objects.select_related("organization", "campaign"),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.check.organization.name

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            self.list_crumb(),
            {
                "url": reverse(
                    "incubator_spotcheck_campaign", args=[self.check.campaign_id]
                ),
                "label": str(self.check.campaign),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_initial(self):
        check = self.check
        return {
            "result": check.result,
            "checked_on": check.checked_on or timezone.localdate(),
            "problems": check.problems,
            "rectification": check.rectification,
            "rectify_by": check.rectify_by,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(check=self.check, **kwargs)

    def form_valid(self, form):
        try:
            spotcheck_result_record(
                check=self.check, user=self.request.user, **form.cleaned_data
            )
        except IncubationError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Result of %(organization)s recorded.")
            % {"organization": self.check.organization},
        )
        return redirect("incubator_spotcheck_campaign", pk=self.check.campaign_id)


# --- credit publication ----------------------------------------------------------------


def _day(request):
    """The day asked for (?date=YYYY-MM-DD), else the latest day with a decision,
    else today; a malformed date answers 404."""
    text = request.GET.get("date") or request.POST.get("date")
    if not text:
        latest = CreditDecision.objects.order_by("-decided_on").first()
        return latest.decided_on if latest else timezone.localdate()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise Http404 from None


class CreditPublicationView(TitledMixin, TemplateView):
    """双公示: the decisions of one day, the day's file for the provincial credit
    platform (?format=xlsx) and their publication behind a confirmation."""

    template_name = "incubator/credit_publication.html"
    header_icon = "download"
    page_title = gettext_lazy("Credit publication")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("incubator.view_creditdecision"):
            raise PermissionDenied
        self.day = _day(request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx":
            # the file leaves for the platform: recorded, later decisions of the
            # day become 补报 on a later file
            return FileResponse(
                io.BytesIO(credit_publication_export(day=self.day, user=request.user)),
                as_attachment=True,
                filename=credit_publication_filename(self.day),
                content_type=XLSX,
            )
        return super().get(request, *args, **kwargs)

    def here(self):
        return f"{reverse('incubator_credit_publication')}?date={self.day.isoformat()}"

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("incubator.change_creditdecision"):
            raise PermissionDenied
        confirmation = publication_confirmation(self.day)
        asked = confirm_or_show(
            self,
            confirmation,
            fields={"date": self.day.isoformat()},
            back_url=self.here(),
        )
        if asked:
            return asked
        try:
            count = credit_publication_publish(day=self.day, user=request.user)
        except IncubationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("%(count)s decisions published; download the day's file below.")
                % {"count": count},
            )
        return redirect(self.here())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        decisions = list(day_decisions(self.day))
        context.update(
            day=self.day,
            form=DayForm(initial={"date": self.day}),
            decisions=decisions,
            waiting=sum(1 for d in decisions if d.published_at is None),
            exports=list(day_exports(self.day)),
            can_publish=self.request.user.has_perm("incubator.change_creditdecision"),
            download_url=f"{self.here()}&format=xlsx",
        )
        return context


# --- public -------------------------------------------------------------------------


class PublicSpotChecksView(TemplateView):
    """/supervision/spot-checks/<id>/: who a drawn campaign checked and the result —
    organization names, codes and results only (no inspector, no person)."""

    template_name = "incubator/public_spotchecks.html"

    def get_context_data(self, **kwargs):
        found = public_checks(kwargs["pk"])
        if found is None:
            raise Http404
        campaign, rows = found
        return super().get_context_data(campaign=campaign, rows=rows, **kwargs)


# --- menu ---------------------------------------------------------------------------


class PermissionMenuItem(MenuItem):
    """A 监督管理 menu item shown to users holding `permission`."""

    def __init__(self, *args, permission, **kwargs):
        self.permission = permission
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return request.user.has_perm(self.permission)
