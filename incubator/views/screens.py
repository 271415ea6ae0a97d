"""Incubation screens beyond create/edit: the residency page, stage move, assessment
scoring, the board.

Each checks the base on the server and answers 404 for another base's record."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.confirmations import confirm_or_show
from core.forms import FilterForm, errors_to_form
from incubator.errors import IncubationError
from incubator.forms import ScoreForm, StageMoveForm
from incubator.models import Assessment, BaseLevel, Residency
from incubator.permissions import (
    assessments_assigned_to,
    base_operable_by,
    bases_visible_to,
    residencies_visible_to,
    sees_all_bases,
)
from incubator.selectors.assessments import assessment_result, missing_assessors
from incubator.selectors.board import base_board, department_board, filter_bases
from incubator.selectors.confirmations import (
    assessment_conclude_confirmation,
    residency_close_confirmation,
)
from incubator.selectors.residencies import (
    milestone_bar,
    residency_assessments,
    stage_durations,
    stage_timeline,
)
from incubator.services.assessments import assessment_conclude, assessment_score
from incubator.services.residencies import residency_advance


class TitledMixin(WagtailAdminTemplateMixin):
    """Breadcrumbs that end in the page's own title."""

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


def _visible_residency(request, pk):
    residency = get_object_or_404(
        Residency.objects.select_related("organization", "base"), pk=pk
    )
    if not base_operable_by(request.user, residency.base):
        raise Http404
    return residency


class StageMoveView(TitledMixin, FormView):
    """Move a residency to another stage (through `residency_advance`)."""

    template_name = "incubator/stage_move.html"
    form_class = StageMoveForm
    header_icon = "resubmit"
    page_title = gettext_lazy("Move stage")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("incubator.change_residency"):
            raise PermissionDenied
        self.residency = _visible_residency(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.residency)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "residency": self.residency}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            residency=self.residency,
            transitions=self.residency.transitions.select_related("user"),
            durations=stage_durations(self.residency),
            edit_url=reverse(
                "wagtailsnippets_incubator_residency:edit", args=[self.residency.pk]
            ),
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        confirmation = None
        if data["to_stage"] in Residency.CLOSED:
            confirmation = residency_close_confirmation(
                self.residency,
                data["to_stage"],
                on=data["moved_on"],
                reason=data["reason"],
            )
        if confirmation and not confirmation.refusal:
            # Closing a residency cannot be undone: confirmed with its summary.
            asked = confirm_or_show(
                self,
                confirmation,
                fields={
                    name: self.request.POST.get(name, "")
                    for name in ("to_stage", "moved_on", "reason", "note")
                },
            )
            if asked:
                return asked
        try:
            residency_advance(
                self.residency,
                data["to_stage"],
                user=self.request.user,
                note=data["note"],
                reason=data["reason"],
                on=data["moved_on"],
            )
        except IncubationError as exc:
            return self.form_invalid(errors_to_form(form, exc))
        messages.success(
            self.request,
            _("%(residency)s moved to “%(stage)s”.")
            % {
                "residency": self.residency.organization,
                "stage": dict(form.fields["to_stage"].choices)[data["to_stage"]],
            },
        )
        return redirect("incubator_residency_move", pk=self.residency.pk)


class AssessmentScoreView(TitledMixin, FormView):
    """An assessor scores every criterion; an operator of the base concludes."""

    template_name = "incubator/assessment_score.html"
    form_class = ScoreForm
    header_icon = "tasks"
    page_title = gettext_lazy("Graduation assessment")

    def dispatch(self, request, *args, **kwargs):
        self.assessment = get_object_or_404(
            Assessment.objects.select_related(
                "residency__base", "residency__organization"
            ),
            pk=kwargs["pk"],
        )
        base = self.assessment.residency.base
        self.is_assessor = self.assessment.assessors.filter(pk=request.user.pk).exists()
        self.may_conclude = request.user.has_perm(
            "incubator.change_assessment"
        ) and base_operable_by(request.user, base)
        if not (self.is_assessor or self.may_conclude):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.assessment)

    def get_form_kwargs(self):
        existing = {
            s.criterion_id: (s.score, s.comment)
            for s in self.assessment.scores.filter(assessor=self.request.user)
        }
        return {
            **super().get_form_kwargs(),
            "criteria": list(self.assessment.residency.base.criteria.all()),
            "existing": existing,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        criteria = list(self.assessment.residency.base.criteria.all())
        table = []
        for assessor in self.assessment.assessors.all():
            scores = {
                s.criterion_id: s.score
                for s in self.assessment.scores.filter(assessor=assessor)
            }
            table.append((assessor, [scores.get(c.pk) for c in criteria]))
        context.update(
            assessment=self.assessment,
            criteria=criteria,
            score_table=table,
            result=assessment_result(self.assessment),
            missing=missing_assessors(self.assessment),
            is_assessor=self.is_assessor,
            may_conclude=self.may_conclude,
        )
        return context

    def post(self, request, *args, **kwargs):
        if "conclude" in request.POST:
            if not self.may_conclude:
                raise PermissionDenied
            asked = confirm_or_show(
                self,
                assessment_conclude_confirmation(self.assessment),
                fields={"conclude": "1"},
            )
            if asked:
                return asked
            try:
                assessment = assessment_conclude(self.assessment, user=request.user)
            except IncubationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(
                    request,
                    _("Assessment concluded: %(result)s, %(outcome)s.")
                    % {
                        "result": assessment.result,
                        "outcome": assessment.passed_display(),
                    },
                )
            return redirect("incubator_assessment_score", pk=self.assessment.pk)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            assessment_score(
                self.assessment,
                assessor=self.request.user,
                scores=form.scores(),
                comments=form.comments(),
            )
        except IncubationError as exc:
            return self.form_invalid(errors_to_form(form, exc))
        messages.success(self.request, _("Your scores are saved."))
        return redirect("incubator_assessment_score", pk=self.assessment.pk)


class ResidencyPageView(TitledMixin, TemplateView):
    """One residency: its stage timeline, its milestones as a progress bar (overdue
    in red) and its graduation assessments with the link to score them for the
    assessors named on them. Open to whoever sees the base
    (`residencies_visible_to`) and to the assessors named on one of its
    assessments; 404 for anyone else."""

    template_name = "incubator/residency_page.html"
    header_icon = "home"

    def dispatch(self, request, *args, **kwargs):
        residencies = Residency.objects.select_related("organization", "base")
        self.residency = get_object_or_404(residencies, pk=kwargs["pk"])
        visible = residencies_visible_to(request.user).filter(pk=self.residency.pk)
        assessor = assessments_assigned_to(request.user).filter(
            residency=self.residency
        )
        if not (visible.exists() or assessor.exists()):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return str(self.residency.organization)

    def get_page_subtitle(self):
        return str(self.residency.base)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        residency = self.residency
        user = self.request.user
        operates = user.has_perm("incubator.change_residency") and base_operable_by(
            user, residency.base
        )
        context.update(
            residency=residency,
            timeline=stage_timeline(residency),
            bar=milestone_bar(residency),
            assessments=residency_assessments(residency, user),
            operates=operates,
            days_in_stage=residency.days_in_stage(),
        )
        return context


class BoardView(TitledMixin, TemplateView):
    """The board of one base, or of every visible base by level and region."""

    template_name = "incubator/board.html"
    header_icon = "view"
    page_title = gettext_lazy("Incubation board")

    def dispatch(self, request, *args, **kwargs):
        self.visible = bases_visible_to(request.user)
        if not (sees_all_bases(request.user) or self.visible.exists()):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        base = None
        base_pk = self.request.GET.get("base")
        if base_pk:
            try:
                base = self.visible.get(pk=int(base_pk))
            except (ValueError, self.visible.model.DoesNotExist) as exc:
                raise Http404 from exc
        elif not sees_all_bases(self.request.user) and self.visible.count() == 1:
            base = self.visible.get()
        level = self.request.GET.get("level") or ""
        region = self.request.GET.get("region") or ""
        if level not in BaseLevel.values:
            level = ""
        if region and not region.isdigit():
            region = ""
        scope = (
            self.visible.filter(pk=base.pk)
            if base
            else filter_bases(self.visible, level, region)
        )
        board = base_board(scope, today)
        bases = self.visible.order_by("level", "name")
        filters = FilterForm(
            fields=[
                (
                    "base",
                    _("Base"),
                    [("", _("All my bases"))] + [(b.pk, b.name) for b in bases],
                    base.pk if base else "",
                ),
                ("level", _("Level"), [("", "—"), *BaseLevel.choices], level),
                ("region", _("Division code"), None, region),
            ]
        )
        context.update(
            base=base,
            board=board,
            filters=filters,
            today=today,
            department=None if base else department_board(scope),
            chart_data=_chart_data(board),
        )
        return context


class BoardMenuItem(MenuItem):
    """The menu item of the board, shown to users who see at least one base."""

    def is_shown(self, request):
        return bases_visible_to(request.user).exists()


def _chart_data(board):
    """The board's numbers in the shape the ECharts script reads (json_script)."""
    return {
        "stages": {
            "labels": [str(stage.label) for stage, _n in board["stage_counts"]],
            "values": [n for _stage, n in board["stage_counts"]],
        },
        "graduations": {
            "labels": [str(year) for year, _n in board["graduations"]],
            "values": [n for _year, n in board["graduations"]],
        },
        "activities": {
            "years": [str(year) for year, _kinds in reversed(board["activities"])],
            "series": [
                {
                    "name": str(kind.label),
                    "values": [
                        dict(kinds)[kind]
                        for _year, kinds in reversed(board["activities"])
                    ],
                }
                for kind in (
                    [k for k, _n in board["activities"][0][1]]
                    if board["activities"]
                    else []
                )
            ],
        },
    }
