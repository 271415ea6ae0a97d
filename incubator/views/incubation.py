"""Admin viewsets of incubation: bases, residencies, service activities, assessments.

Every listing shows only the bases the user operates (department users see all),
and every object view refuses a record of another base with 404 — edit, delete,
usage and history alike (`core.viewsets.ScopedViewSet` over the `*_visible_to`
functions of `incubator/permissions.py`)."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import ObjectList
from wagtail.admin.widgets import HeaderButton
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    IndexView,
    SnippetViewSetGroup,
)

from core.forms import errors_to_form
from core.viewsets import ScopedViewSet
from incubator.errors import IncubationError
from incubator.filters import ActivityFilterSet, BaseFilterSet, ResidencyFilterSet
from incubator.forms import (
    ActivityForm,
    AssessmentForm,
    IncubationBaseForm,
    ResidencyForm,
)
from incubator.imports.residencies import EXPORT_FIELDS as RESIDENCY_EXPORT_FIELDS
from incubator.models import (
    Assessment,
    IncubationBase,
    Milestone,
    Residency,
    ServiceActivity,
)
from incubator.models.bases import (
    DEFAULT_CRITERIA,
    DEFAULT_MILESTONES,
    AssessmentCriterion,
    MilestoneTemplate,
)
from incubator.permissions import (
    activities_visible_to,
    assessments_visible_to,
    bases_visible_to,
    residencies_visible_to,
)
from incubator.services.assessments import assessment_create
from incubator.services.residencies import residency_admit


class IncubationViewSet(ScopedViewSet):
    """A scoped viewset whose edit form is `base_form_class` over the model's
    panels (the forms narrow their choices to the bases the user operates)."""

    base_form_class = None

    def get_edit_handler(self):
        if self.base_form_class is None:
            return super().get_edit_handler()
        return ObjectList(
            self.model.panels, base_form_class=self.base_form_class
        ).bind_to_model(self.model)


# --- bases ----------------------------------------------------------------------


class BaseCreateView(CreateView):
    def save_instance(self):
        base = super().save_instance()
        if not base.criteria.exists():
            for order, (kind, weight) in enumerate(DEFAULT_CRITERIA):
                AssessmentCriterion.objects.create(
                    base=base, kind=kind, weight=weight, sort_order=order
                )
        if not base.milestone_templates.exists():
            for order, (title, days) in enumerate(DEFAULT_MILESTONES):
                MilestoneTemplate.objects.create(
                    base=base, title=title, due_after_days=days, sort_order=order
                )
        return base


class BaseIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("region__parent__parent", "operator")
            .with_occupancy()
        )

    @property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(_("Board"), url=reverse("incubator_board"), icon_name="view"),
        ]

    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            Button(
                _("Board"),
                url=reverse("incubator_board") + f"?base={instance.pk}",
                icon_name="view",
                priority=30,
            ),
        ]


class IncubationBaseViewSet(IncubationViewSet):
    model = IncubationBase
    icon = "home"
    menu_label = _("Incubation bases")
    base_form_class = IncubationBaseForm
    add_view_class = BaseCreateView
    index_view_class = BaseIndexView
    list_display = ["name", "level", "region", "operator", "capacity", "occupancy"]
    filterset_class = BaseFilterSet
    search_fields = ["name", "funding_sources"]
    related_histories = ("criteria", "milestone_templates")
    list_export = [
        "name",
        "get_level_display",
        "region.full_name",
        "operator",
        "capacity",
        "occupancy",
        "funding_sources",
    ]
    export_headings = {
        "name": _("name"),
        "get_level_display": _("level"),
        "region.full_name": _("region"),
        "operator": _("operating organization"),
        "capacity": _("capacity"),
        "occupancy": _("in residence"),
        "funding_sources": _("funding sources"),
    }
    export_filename = "incubation-bases"

    def visible_to(self, user):
        return IncubationBase.objects.filter(pk__in=bases_visible_to(user))


# --- residencies ----------------------------------------------------------------


class ResidencyIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("organization", "base")
            .prefetch_related("milestones")
        )

    @property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.request.user.has_perm("incubator.add_residency"):
            buttons.append(
                HeaderButton(
                    _("Import"),
                    url=reverse("incubator_residency_import"),
                    icon_name="upload",
                )
            )
        buttons.append(
            HeaderButton(_("Board"), url=reverse("incubator_board"), icon_name="view")
        )
        return buttons

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            Button(
                _("Residency page"),
                url=reverse("incubator_residency_page", args=[instance.pk]),
                icon_name="home",
                priority=5,
            )
        )
        if self.request.user.has_perm("incubator.change_residency"):
            buttons.append(
                Button(
                    _("Move stage"),
                    url=reverse("incubator_residency_move", args=[instance.pk]),
                    icon_name="resubmit",
                    priority=15,
                )
            )
        return buttons


class ResidencyCreateView(CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        residency = residency_admit(
            organization=data["organization"],
            base=data["base"],
            user=self.request.user,
            applied_on=data.get("applied_on"),
            planned_entry_on=data.get("planned_entry_on"),
            planned_graduation_on=data.get("planned_graduation_on"),
            mentors=data.get("mentors", ""),
            workspace=data.get("workspace", ""),
            notes=data.get("notes", ""),
        )
        formset = self.form.formsets.get("milestones")
        for form in formset.forms if formset is not None else []:
            cleaned = getattr(form, "cleaned_data", None) or {}
            if cleaned.get("title") and not cleaned.get("DELETE"):
                Milestone.objects.create(
                    residency=residency,
                    title=cleaned["title"],
                    due_on=cleaned["due_on"],
                    done_on=cleaned.get("done_on"),
                    note=cleaned.get("note", ""),
                )
        return residency

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except IncubationError as exc:
            return self.form_invalid(errors_to_form(form, exc, view=self))


class ResidencyEditView(EditView):
    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        buttons.append(
            HeaderButton(
                _("Move stage"),
                url=reverse("incubator_residency_move", args=[self.object.pk]),
                icon_name="resubmit",
            )
        )
        return buttons


class ResidencyViewSet(IncubationViewSet):
    model = Residency
    icon = "group"
    menu_label = _("Residents")
    base_form_class = ResidencyForm
    add_view_class = ResidencyCreateView
    scoped_edit_view_class = ResidencyEditView
    index_view_class = ResidencyIndexView
    list_display = [
        "organization",
        "base",
        "stage",
        "stage_changed_on",
        "days_in_stage_display",
        "planned_graduation_on",
        "milestone_progress_display",
    ]
    list_per_page = 50
    filterset_class = ResidencyFilterSet
    search_fields = ["organization__name", "mentors", "workspace"]
    related_histories = ("milestones", "transitions")
    list_export = [field for field, _label in RESIDENCY_EXPORT_FIELDS]
    export_headings = dict(RESIDENCY_EXPORT_FIELDS)
    export_filename = "residents"

    def visible_to(self, user):
        return residencies_visible_to(user)


# --- activities -----------------------------------------------------------------


class ActivityIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("base")
            .annotate(participants_counted=Count("participants"))
        )


class ServiceActivityViewSet(IncubationViewSet):
    model = ServiceActivity
    index_view_class = ActivityIndexView
    icon = "date"
    menu_label = _("Service activities")
    base_form_class = ActivityForm
    list_display = ["held_on", "kind", "topic", "base", "hours", "participant_count"]
    filterset_class = ActivityFilterSet
    search_fields = ["topic", "speaker"]
    list_export = ["held_on", "get_kind_display", "topic", "base", "hours", "speaker"]
    export_headings = {
        "held_on": _("date"),
        "get_kind_display": _("kind"),
        "topic": _("topic"),
        "base": _("incubation base"),
        "hours": _("hours"),
        "speaker": _("speaker / host"),
    }
    export_filename = "service-activities"

    def visible_to(self, user):
        return activities_visible_to(user)


# --- assessments ----------------------------------------------------------------


class AssessmentCreateView(CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return assessment_create(
            residency=data["residency"],
            assessors=data["assessors"],
            user=self.request.user,
            held_on=data.get("held_on"),
            note=data.get("note", ""),
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except IncubationError as exc:
            return self.form_invalid(errors_to_form(form, exc, view=self))


class AssessmentIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("residency__organization", "residency__base")
        )

    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            Button(
                _("Scores"),
                url=reverse("incubator_assessment_score", args=[instance.pk]),
                icon_name="tasks",
                priority=15,
            ),
        ]


class AssessmentViewSet(IncubationViewSet):
    model = Assessment
    icon = "tasks"
    menu_label = _("Graduation assessments")
    base_form_class = AssessmentForm
    add_view_class = AssessmentCreateView
    index_view_class = AssessmentIndexView
    list_display = ["residency", "held_on", "result", "passed_display"]
    related_histories = ("scores",)
    search_fields = ["residency__organization__name"]
    list_export = ["residency", "held_on", "pass_mark", "result", "passed_display"]
    export_headings = {
        "residency": _("residency"),
        "held_on": _("assessment date"),
        "pass_mark": _("pass mark"),
        "result": _("weighted result"),
        "passed_display": _("outcome"),
    }
    export_filename = "graduation-assessments"

    def visible_to(self, user):
        return assessments_visible_to(user)


class IncubationGroup(SnippetViewSetGroup):
    """The admin menu 孵化管理: bases, residents, activities, assessments."""

    items = (
        IncubationBaseViewSet,
        ResidencyViewSet,
        ServiceActivityViewSet,
        AssessmentViewSet,
    )
    menu_icon = "home"
    menu_label = _("Incubation")
    menu_order = 210
