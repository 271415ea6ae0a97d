"""Supervision screens of the registration officer (登记管理机关): annual-inspection
campaigns and their results, dormant-organization clean-ups and their cases, and
the public announcement of a year's results.

The rules live in `incubator/services/` (inspections, dormant) and
`incubator/selectors/` (inspections, dormant); these views only call them."""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.widgets import AdminDateInput, Button, HeaderButton
from wagtail.snippets.views.snippets import CreateView, EditView, IndexView

from core.confirmations import confirm_or_show, confirmation_page
from core.forms import errors_to_form
from core.staging import stage_upload, staged_discard, staged_take
from core.uploads import check_upload, file_response
from core.viewsets import HistorySnippetViewSet
from incubator.choices import (
    DORMANT_DONE,
    DormantStatus,
    InspectionResult,
    OrganizationType,
    RegistrationLevel,
)
from incubator.errors import SupervisionError
from incubator.imports.inspections import EXPORT_FIELDS
from incubator.lifecycle import DORMANT_IRREVERSIBLE, DORMANT_TRANSITIONS
from incubator.models import (
    DormantCampaign,
    DormantCase,
    DormantStep,
    Inspection,
    InspectionCampaign,
)
from incubator.selectors.dormant import (
    campaign_progress,
    case_step_confirmation,
    cases_list_confirmation,
)
from incubator.selectors.inspections import (
    campaign_close_confirmation,
    campaign_rates,
    campaign_total,
    inspection_rate,
    published_results,
)
from incubator.services.dormant import (
    dormant_campaign_open,
    dormant_case_step,
    dormant_cases_list,
)
from incubator.services.inspections import (
    inspection_campaign_close,
    inspection_campaign_open,
    inspection_record,
)
from incubator.views.portal_base import SUPERVISION_MENU_HOOK
from incubator.views.screens import TitledMixin

# --- annual-inspection campaigns ---------------------------------------------------


def not_added_by_hand(message, listing):
    """A create view that creates nothing: records made by a service (an
    inspection when its campaign opens, a case when a clean-up lists the dormant)
    are not added one by one; it sends the user to `listing` with `message`."""

    class NotAddedByHand(CreateView):
        # get/post, not dispatch: the view's permission check runs first
        def get(self, request, *args, **kwargs):
            messages.info(request, str(message))
            return redirect(listing)

        post = get

    return NotAddedByHand


class CampaignCreateView(CreateView):
    """Opening a campaign lists the organizations due (`inspection_campaign_open`)."""

    def save_instance(self):
        data = self.form.cleaned_data
        return inspection_campaign_open(
            year=data["year"],
            deadline=data.get("deadline"),
            note=data.get("note", ""),
            user=self.request.user,
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except SupervisionError as exc:
            return self.form_invalid(errors_to_form(form, exc, view=self))

    def get_success_url(self):
        return reverse("incubator_inspection_campaign", args=[self.object.pk])


class CampaignEditView(EditView):
    """The deadline and note may change; the year is the campaign's identity."""

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        form.fields["year"].disabled = True
        return form


class CampaignIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .annotate(
                due=Count("inspections"),
                submitted_n=Count("inspections", filter=Q(inspections__submitted=True)),
            )
        )

    def get_list_more_buttons(self, instance):
        return [
            Button(
                _("Rates and results"),
                url=reverse("incubator_inspection_campaign", args=[instance.pk]),
                icon_name="table",
                priority=5,
            ),
            *super().get_list_more_buttons(instance),
        ]


class RateColumn(Column):
    """The campaign's inspection rate: submitted of due, in %."""

    def get_value(self, instance):
        rate = inspection_rate(instance.submitted_n, instance.due)
        if rate is None:
            return "—"
        return f"{instance.submitted_n:,} / {instance.due:,} · {rate}%"


class InspectionCampaignViewSet(HistorySnippetViewSet):
    """年检/年报 campaigns: open one per year, follow its rate, close it."""

    model = InspectionCampaign
    icon = "calendar-check"
    menu_label = gettext_lazy("Annual inspections")
    menu_hook = SUPERVISION_MENU_HOOK
    menu_order = 10
    add_view_class = CampaignCreateView
    edit_view_class = CampaignEditView
    index_view_class = CampaignIndexView
    list_display = [
        # the title opens the campaign's page (rates, results, close); edit in "…"
        TitleColumn(
            "__str__",
            label=gettext_lazy("annual inspection campaign"),
            get_url=lambda campaign: reverse(
                "incubator_inspection_campaign", args=[campaign.pk]
            ),
        ),
        "status",
        "deadline",
        RateColumn("rate", label=gettext_lazy("submitted / due · rate")),
    ]
    copy_view_enabled = False
    search_backend_name = None


# --- inspections (results of organizations) ------------------------------------------


class InspectionFilterSet(WagtailFilterSet):
    campaign = django_filters.ModelChoiceFilter(
        label=gettext_lazy("campaign"), queryset=InspectionCampaign.objects.all()
    )
    result = django_filters.ChoiceFilter(
        label=gettext_lazy("inspection result"), choices=InspectionResult.choices
    )
    submitted = django_filters.BooleanFilter(label=gettext_lazy("report submitted"))
    level = django_filters.ChoiceFilter(
        label=gettext_lazy("registration level"),
        choices=RegistrationLevel.choices,
        field_name="organization__registration_level",
    )
    org_type = django_filters.ChoiceFilter(
        label=gettext_lazy("type"),
        choices=OrganizationType.choices,
        field_name="organization__org_type",
    )

    class Meta:
        model = Inspection
        fields = []


class InspectionIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("organization", "campaign")

    @property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.request.user.has_perm("incubator.change_inspection"):
            buttons.append(
                HeaderButton(
                    _("Import"),
                    url=reverse("incubator_inspection_import"),
                    icon_name="upload",
                )
            )
        return buttons


class InspectionEditView(EditView):
    """A report and result are recorded through `inspection_record`."""

    def save_instance(self):
        data = self.form.cleaned_data
        return inspection_record(
            inspection=self.object,
            user=self.request.user,
            submitted=data["submitted"],
            submitted_on=data.get("submitted_on"),
            result=data.get("result") or "",
            decided_on=data.get("decided_on"),
            note=data.get("note", ""),
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except SupervisionError as exc:
            return self.form_invalid(errors_to_form(form, exc, view=self))


class InspectionViewSet(HistorySnippetViewSet):
    """Every organization's report and result, filtered, exported to Excel with
    Chinese headers (the import's columns), imported back."""

    model = Inspection
    icon = "list-ul"
    menu_label = gettext_lazy("Inspection results")
    menu_hook = SUPERVISION_MENU_HOOK
    menu_order = 15
    index_view_class = InspectionIndexView
    edit_view_class = InspectionEditView
    add_view_class = not_added_by_hand(
        gettext_lazy(
            "Inspection records are made when a campaign opens, one per "
            "organization due."
        ),
        "wagtailsnippets_incubator_inspectioncampaign:list",
    )
    list_display = [
        "organization",
        "campaign",
        "submitted_text",
        "submitted_on",
        "result",
    ]
    list_per_page = 50
    filterset_class = InspectionFilterSet
    search_fields = ["organization__name", "organization__uscc"]
    search_backend_name = None
    list_export = [field for field, _label in EXPORT_FIELDS]
    export_headings = dict(EXPORT_FIELDS)
    export_filename = "annual-inspections"
    copy_view_enabled = False
    inspect_view_enabled = False


class CampaignPageView(TitledMixin, TemplateView):
    """One campaign: its rate overall and by level, type and region; close it."""

    template_name = "incubator/inspection_campaign.html"
    header_icon = "calendar-check"
    page_title = gettext_lazy("Annual inspection")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("incubator.view_inspectioncampaign"):
            raise PermissionDenied
        self.campaign = get_object_or_404(InspectionCampaign, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.campaign)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = self.campaign
        results = reverse("wagtailsnippets_incubator_inspection:list")
        context.update(
            campaign=campaign,
            total=campaign_total(campaign),
            tables=[
                (_("By registration level"), campaign_rates(campaign, "level")),
                (_("By type"), campaign_rates(campaign, "type")),
                (_("By region"), campaign_rates(campaign, "region")),
            ],
            results_url=f"{results}?campaign={campaign.pk}",
            waiting_url=f"{results}?campaign={campaign.pk}&submitted=false",
            may_change=self.request.user.has_perm(
                "incubator.change_inspectioncampaign"
            ),
            public_url=reverse("incubator_public_inspections", args=[campaign.year]),
        )
        return context


class CampaignCloseView(TitledMixin, View):
    """Close a campaign after its summary (未参检 for whoever did not submit)."""

    page_title = gettext_lazy("Close the annual inspection")
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("incubator.change_inspectioncampaign"):
            raise PermissionDenied
        self.campaign = get_object_or_404(InspectionCampaign, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        back = reverse("incubator_inspection_campaign", args=[self.campaign.pk])
        return confirmation_page(
            self, campaign_close_confirmation(self.campaign), back_url=back
        )

    def post(self, request, *args, **kwargs):
        confirmation = campaign_close_confirmation(self.campaign)
        back = reverse("incubator_inspection_campaign", args=[self.campaign.pk])
        asked = confirm_or_show(self, confirmation, back_url=back)
        if asked:
            return asked
        try:
            marked = inspection_campaign_close(
                campaign=self.campaign, user=request.user
            )
        except SupervisionError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(back)
        messages.success(
            request,
            _("%(campaign)s closed: %(count)s organizations marked “Not inspected”.")
            % {"campaign": self.campaign, "count": marked},
        )
        return redirect(back)


# --- dormant organizations -------------------------------------------------------------


class DormantCampaignCreateView(CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return dormant_campaign_open(
            title=data["title"],
            started_on=data["started_on"],
            ends_on=data.get("ends_on"),
            note=data.get("note", ""),
            user=self.request.user,
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except SupervisionError as exc:
            return self.form_invalid(errors_to_form(form, exc, view=self))


class DormantCampaignIndexView(IndexView):
    def get_base_queryset(self):
        done = [s.value for s in DORMANT_DONE]
        return (
            super()
            .get_base_queryset()
            .annotate(
                found=Count("cases"),
                done=Count("cases", filter=Q(cases__status__in=done)),
            )
        )

    def get_list_more_buttons(self, instance):
        buttons = [
            Button(
                _("Cases"),
                url=reverse("wagtailsnippets_incubator_dormantcase:list")
                + f"?campaign={instance.pk}",
                icon_name="list-ul",
                priority=5,
            )
        ]
        if self.request.user.has_perm("incubator.change_dormantcampaign"):
            buttons.append(
                Button(
                    _("List the dormant organizations"),
                    url=reverse("incubator_dormant_list", args=[instance.pk]),
                    icon_name="search",
                    priority=6,
                )
            )
        return [*buttons, *super().get_list_more_buttons(instance)]


class ProgressColumn(Column):
    """Found · done · in progress of a clean-up."""

    def get_value(self, instance):
        return _("%(found)s found · %(done)s done · %(open)s in progress") % {
            "found": f"{instance.found:,}",
            "done": f"{instance.done:,}",
            "open": f"{instance.found - instance.done:,}",
        }


class DormantCampaignViewSet(HistorySnippetViewSet):
    """Clean-up campaigns of dormant organizations, with their progress."""

    model = DormantCampaign
    icon = "warning"
    menu_label = gettext_lazy("Dormant-organization clean-ups")
    menu_hook = SUPERVISION_MENU_HOOK
    menu_order = 25
    add_view_class = DormantCampaignCreateView
    index_view_class = DormantCampaignIndexView
    list_display = [
        "title",
        "started_on",
        ProgressColumn("progress", label=gettext_lazy("progress")),
    ]
    copy_view_enabled = False
    search_backend_name = None


class DormantCaseFilterSet(WagtailFilterSet):
    campaign = django_filters.ModelChoiceFilter(
        label=gettext_lazy("clean-up"), queryset=DormantCampaign.objects.all()
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("status"), choices=DormantStatus.choices
    )

    class Meta:
        model = DormantCase
        fields = []


class DormantCaseIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("organization", "campaign")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.insert(
            0,
            Button(
                _("Steps"),
                url=reverse("incubator_dormant_step", args=[instance.pk]),
                icon_name="resubmit",
                priority=5,
            ),
        )
        return buttons


class DormantCaseViewSet(HistorySnippetViewSet):
    """Every dormant organization's case: where it stands; its steps are recorded
    on the case's step screen (`DormantStepView`), never by editing."""

    model = DormantCase
    icon = "warning"
    menu_label = gettext_lazy("Dormant-organization cases")
    menu_hook = SUPERVISION_MENU_HOOK
    menu_order = 30
    index_view_class = DormantCaseIndexView
    add_view_class = not_added_by_hand(
        gettext_lazy(
            "Cases are made by listing the dormant organizations in a clean-up."
        ),
        "wagtailsnippets_incubator_dormantcampaign:list",
    )
    list_display = [
        # the organization opens the case's steps (the work); edit in "…"
        TitleColumn(
            "organization",
            label=gettext_lazy("organization"),
            get_url=lambda case: reverse("incubator_dormant_step", args=[case.pk]),
        ),
        "campaign",
        "status",
        "missed_years",
        "changed_on",
    ]
    list_per_page = 50
    filterset_class = DormantCaseFilterSet
    search_fields = ["organization__name", "organization__uscc"]
    search_backend_name = None
    list_export = [
        "organization",
        "organization.uscc",
        "campaign",
        "get_status_display",
        "missed_years",
        "found_on",
        "changed_on",
    ]
    export_headings = {
        "organization": gettext_lazy("organization"),
        "organization.uscc": gettext_lazy("unified social credit code"),
        "campaign": gettext_lazy("clean-up"),
        "get_status_display": gettext_lazy("status"),
        "missed_years": gettext_lazy("years without inspection"),
        "found_on": gettext_lazy("listed on"),
        "changed_on": gettext_lazy("last step on"),
    }
    export_filename = "dormant-cases"
    copy_view_enabled = False
    inspect_view_enabled = False


class DormantListView(TitledMixin, View):
    """List the dormant organizations in a clean-up, after its summary."""

    page_title = gettext_lazy("List the dormant organizations")
    header_icon = "search"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("incubator.change_dormantcampaign"):
            raise PermissionDenied
        self.campaign = get_object_or_404(DormantCampaign, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def _back(self):
        return (
            reverse("wagtailsnippets_incubator_dormantcase:list")
            + f"?campaign={self.campaign.pk}"
        )

    def get(self, request, *args, **kwargs):
        return confirmation_page(
            self, cases_list_confirmation(self.campaign), back_url=self._back()
        )

    def post(self, request, *args, **kwargs):
        asked = confirm_or_show(
            self, cases_list_confirmation(self.campaign), back_url=self._back()
        )
        if asked:
            return asked
        cases = dormant_cases_list(campaign=self.campaign, user=request.user)
        messages.success(
            request,
            _("%(count)s dormant organizations listed in %(campaign)s.")
            % {"count": len(cases), "campaign": self.campaign},
        )
        return redirect(self._back())


class DormantStepForm(forms.Form):
    to_status = forms.ChoiceField(label=gettext_lazy("move to"))
    on = forms.DateField(
        label=gettext_lazy("date"),
        required=False,
        widget=AdminDateInput,
        help_text=gettext_lazy("Leave empty for today."),
    )
    note = forms.CharField(
        label=gettext_lazy("note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Required for deregistration and revocation: the decision and its grounds."
        ),
    )
    file = forms.FileField(
        label=gettext_lazy("document"),
        required=False,
        help_text=gettext_lazy(
            "The record of the interview, the rectification report or the decision "
            "(PDF, Word, Excel or an image)."
        ),
    )

    # the upload held back (core.staging) while the summary of an irreversible
    # move is shown: stored as a document only when the move is confirmed
    staged = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = DORMANT_TRANSITIONS[DormantStatus(case.status)]
        self.fields["to_status"].choices = [(s.value, s.label) for s in allowed]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            check_upload(upload)
        return upload


def _stored_document(upload, case, user):
    """A Wagtail document of the upload, in the internal collection."""
    from wagtail.documents import get_document_model

    from core.roles import internal_collection

    document = get_document_model()(
        title=f"{case.organization} · {upload.name}"[:255],
        file=upload,
        collection=internal_collection(),
        uploaded_by_user=user,
    )
    document.save()
    return document


class DormantStepView(TitledMixin, FormView):
    """A case's steps so far and the next one (注销 / 撤销登记 after a summary)."""

    template_name = "incubator/dormant_step.html"
    form_class = DormantStepForm
    header_icon = "resubmit"
    page_title = gettext_lazy("Dormant-organization case")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("incubator.change_dormantcase"):
            raise PermissionDenied
        self.case = get_object_or_404(
            DormantCase.objects.select_related("organization", "campaign"),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.case.organization)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.case}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            case=self.case,
            steps=self.case.steps.select_related("actor", "document"),
            progress=campaign_progress(self.case.campaign),
            cases_url=reverse("wagtailsnippets_incubator_dormantcase:list")
            + f"?campaign={self.case.campaign_id}",
        )
        return context

    def post(self, request, *args, **kwargs):
        if request.POST.get("abandon"):
            # "No, go back" on the summary: the held-back upload is not kept
            staged_discard(request.POST.get("staged"), user=request.user)
            messages.info(
                request, _("Nothing was recorded; the uploaded document was not kept.")
            )
            return redirect("incubator_dormant_step", pk=self.case.pk)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        from django.utils import timezone

        data = form.cleaned_data
        on = data["on"] or timezone.localdate()
        if data["to_status"] in DORMANT_IRREVERSIBLE and data["note"].strip():
            staged = data.get("staged") or ""
            if data.get("file"):
                staged_discard(staged, user=self.request.user)
                staged = stage_upload(data["file"], user=self.request.user)
            asked = confirm_or_show(
                self,
                case_step_confirmation(self.case, data["to_status"], on, data["note"]),
                fields={
                    "to_status": data["to_status"],
                    "on": on.isoformat(),
                    "note": data["note"],
                    "staged": staged,
                },
                back_url=self.request.path,
                back_button=("abandon", "1", _("No, go back")),
            )
            if asked:
                return asked
            upload = staged_take(staged, user=self.request.user)
        else:
            upload = data.get("file")
        document = (
            _stored_document(upload, self.case, self.request.user) if upload else None
        )
        try:
            dormant_case_step(
                case=self.case,
                to_status=data["to_status"],
                on=on,
                note=data["note"],
                document=document,
                user=self.request.user,
            )
        except SupervisionError as exc:
            if document is not None:
                document.delete()  # uploaded with this refused step: not kept
            return self.form_invalid(errors_to_form(form, exc, view=self))
        messages.success(
            self.request,
            _("%(organization)s: “%(step)s” recorded.")
            % {
                "organization": self.case.organization,
                "step": DormantStatus(data["to_status"]).label,
            },
        )
        return redirect("incubator_dormant_step", pk=self.case.pk)


class DormantDocumentView(View):
    """The document of a step, for who may work on cases (a download)."""

    def get(self, request, pk):
        if not request.user.has_perm("incubator.change_dormantcase"):
            raise PermissionDenied
        step = get_object_or_404(DormantStep, pk=pk)
        if step.document is None:
            raise Http404
        return file_response(step.document.file)


# --- the public announcement ------------------------------------------------------------


class PublicInspectionsView(TemplateView):
    """/supervision/inspections/<year>/: the year's annual-inspection results,
    organization names and results only (年检结果公告)."""

    template_name = "incubator/public_inspections.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        found = published_results(kwargs["year"])
        if found is None:
            raise Http404
        campaign, rows = found
        context.update(campaign=campaign, year=campaign.year, rows=rows)
        return context
