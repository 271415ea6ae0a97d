"""Performance evaluation by indicators (绩效评价) in the admin: indicator
frameworks (versioned; a used version is frozen), evaluations of purchases and
completed awards, each evaluator's scores, and the conclusion that feeds the
purchase's performance evaluation (and so its final-payment gate).

Rules: `funding/services/performance.py`; sums: `funding/selectors/performance.py`.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.widgets import HeaderButton
from wagtail.snippets.views.snippets import CreateView, EditView
from wagtail.snippets.widgets import AdminSnippetChooser

from core.viewsets import HistorySnippetViewSet
from funding.errors import FundingError
from funding.models.awards import Award
from funding.models.performance import (
    EvaluationStatus,
    IndicatorEvaluation,
    IndicatorFramework,
)
from funding.models.purchases import ServicePurchase
from funding.selectors.performance import evaluation_summary
from funding.services import performance as services
from funding.services.purchases import grade_for
from funding.views.base import PermissionView, error_text
from incubator.models import Organization

MANAGE_EVALUATIONS = "funding.change_indicatorevaluation"


class FrameworkForm(WagtailAdminModelForm):
    """Refuses weights that do not add up to 100 (the message shows the sum) and
    any change to a version an evaluation has used."""

    def clean(self):
        cleaned = super().clean()
        refusal = services.framework_frozen_refusal(self.instance)
        if refusal:
            raise ValidationError(refusal)
        indicators = self.formsets.get("indicators")
        if indicators is not None and indicators.is_valid():
            rows = [
                (form.cleaned_data.get("first_level"), form.cleaned_data.get("weight"))
                for form in indicators.forms
                if form.cleaned_data
                and not form.cleaned_data.get("DELETE")
                and form.cleaned_data.get("weight") is not None
            ]
            refusal = services.framework_weights_refusal(rows)
            if refusal:
                raise ValidationError(refusal)
        return cleaned


class FrameworkEditView(EditView):
    """A used version shows why it is frozen and offers the next version."""

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        revised = IndicatorFramework.objects.filter(previous=self.object).exists()
        if self.object.is_used and not revised:
            buttons.append(
                HeaderButton(
                    _("Make a new version"),
                    url=reverse("funding_framework_revise", args=[self.object.pk]),
                    icon_name="copy",
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        refusal = services.framework_frozen_refusal(self.object)
        if refusal:
            messages.warning(self.request, refusal)
        return context


class FrameworkViewSet(HistorySnippetViewSet):
    """Indicator frameworks 绩效评价指标体系, one row per version."""

    model = IndicatorFramework
    icon = "list-ol"
    menu_label = gettext_lazy("Indicator frameworks")
    edit_view_class = FrameworkEditView
    list_display = [
        "name",
        "department",
        "version",
        BooleanColumn("is_used", label=gettext_lazy("used by an evaluation")),
    ]
    search_fields = ["name", "department"]
    search_backend_name = None
    copy_view_enabled = False
    related_histories = ("indicators",)
    edit_handler = ObjectList(IndicatorFramework.panels, base_form_class=FrameworkForm)


class FrameworkReviseView(PermissionView):
    """POST: the next version of a framework (GET: what it will do)."""

    permission = "funding.add_indicatorframework"
    template_name = "funding/framework_revise.html"
    page_title = gettext_lazy("Make a new version")

    def dispatch(self, request, *args, **kwargs):
        self.framework = get_object_or_404(IndicatorFramework, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "framework": self.framework}

    def post(self, request, *args, **kwargs):
        try:
            revised = services.framework_revise(self.framework, user=request.user)
        except FundingError as exc:
            messages.error(request, error_text(exc))
            return redirect("wagtailsnippets_funding_indicatorframework:list")
        messages.success(
            request,
            _("Version %(version)s made; edit it below.")
            % {"version": revised.version},
        )
        return redirect("wagtailsnippets_funding_indicatorframework:edit", revised.pk)


class EvaluationForm(WagtailAdminModelForm):
    class Meta:
        model = IndicatorEvaluation
        fields = ["framework", "purchase", "award", "evaluated_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purchase"].queryset = ServicePurchase.objects.all()
        self.fields["award"].queryset = Award.objects.filter(
            completed_on__isnull=False
        ).select_related("application")

    def save_with_service(self, user):
        data = self.cleaned_data
        try:
            return services.indicator_evaluation_start(
                framework=data["framework"],
                purchase=data.get("purchase"),
                award=data.get("award"),
                evaluated_on=data["evaluated_on"],
                user=user,
            )
        except FundingError as exc:
            if hasattr(exc, "error_dict"):
                raise ValidationError(exc.message_dict) from None
            raise ValidationError(exc.messages) from None


class EvaluationCreateView(CreateView):
    """Opening an evaluation goes through the service (rules checked there)."""

    def form_valid(self, form):
        try:
            self.object = form.save_with_service(self.request.user)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Evaluation opened: add each evaluator's scores.")
        )
        return redirect("funding_indicator_evaluation", self.object.pk)


class EvaluationEditView(EditView):
    """An evaluation is worked on its own page (scores, conclusion)."""

    def get(self, request, *args, **kwargs):
        return redirect("funding_indicator_evaluation", self.object.pk)

    post = get


class IndicatorEvaluationViewSet(HistorySnippetViewSet):
    model = IndicatorEvaluation
    icon = "tick-inverse"
    menu_label = gettext_lazy("Evaluations by indicators")
    add_view_class = EvaluationCreateView
    edit_view_class = EvaluationEditView
    list_display = ["__str__", "evaluated_on", "status", "total", "grade"]
    list_filter = ["status", "grade"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("framework"),
            FieldRowPanel([FieldPanel("purchase"), FieldPanel("award")]),
            FieldPanel("evaluated_on"),
        ],
        base_form_class=EvaluationForm,
    )


class SheetForm(forms.Form):
    """One evaluator's scores: a field per indicator (0 … its weight)."""

    evaluator = forms.CharField(label=gettext_lazy("evaluator"), max_length=100)
    organization = forms.ModelChoiceField(
        label=gettext_lazy("third-party organization"),
        queryset=Organization.objects.all(),
        required=False,
        widget=AdminSnippetChooser(Organization),
        help_text=gettext_lazy("When the evaluator works for a third-party agency."),
    )
    comment = forms.CharField(
        label=gettext_lazy("comment"), max_length=500, required=False
    )

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            self.fields[f"score_{indicator.pk}"] = forms.CharField(
                label=f"{indicator.second_level} / {indicator.name}",
                help_text=_("0 to %(weight)s") % {"weight": indicator.weight},
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )

    def score_fields(self):
        return [(i, self[f"score_{i.pk}"]) for i in self.indicators]


class EvaluationPageView(PermissionView):
    """The evaluation: each evaluator's scores by indicator, the totals, the
    scoring form (while open) and the conclusion."""

    permission = "funding.view_indicatorevaluation"
    template_name = "funding/indicator_evaluation.html"
    page_title = gettext_lazy("Evaluation by indicators")

    def dispatch(self, request, *args, **kwargs):
        self.evaluation = get_object_or_404(
            IndicatorEvaluation.objects.select_related("framework"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.evaluation.subject)

    def get_parent(self):
        return (
            reverse("wagtailsnippets_funding_indicatorevaluation:list"),
            _("Evaluations by indicators"),
        )

    def form(self, data=None):
        return SheetForm(
            data, indicators=list(self.evaluation.framework.indicators.all())
        )

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        summary = evaluation_summary(self.evaluation)
        can_manage = self.request.user.has_perm(MANAGE_EVALUATIONS)
        is_open = self.evaluation.status == EvaluationStatus.OPEN
        context.update(
            evaluation=self.evaluation,
            summary=summary,
            form=form or self.form(),
            can_score=can_manage and is_open,
            can_conclude=can_manage and is_open and summary["sheets"],
        )
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm(MANAGE_EVALUATIONS):
            raise PermissionDenied
        form = self.form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.evaluator_sheet_record(
                    self.evaluation,
                    evaluator=data["evaluator"],
                    organization=data.get("organization"),
                    comment=data.get("comment", ""),
                    scores={i.pk: data[f"score_{i.pk}"] for i in form.indicators},
                    user=request.user,
                )
            except FundingError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, exc.messages)
            else:
                messages.success(
                    request,
                    _("The scores of %(name)s are recorded.")
                    % {"name": data["evaluator"]},
                )
                return redirect("funding_indicator_evaluation", self.evaluation.pk)
        messages.error(request, _("The scores were not saved; see the errors below."))
        return self.render_to_response(self.get_context_data(form=form))


class EvaluationConcludeView(PermissionView):
    """GET: the total and grade the conclusion will record (a confirmation);
    POST: conclude (irreversible)."""

    permission = MANAGE_EVALUATIONS
    template_name = "funding/indicator_evaluation_conclude.html"
    page_title = gettext_lazy("Conclude the evaluation")

    def dispatch(self, request, *args, **kwargs):
        self.evaluation = get_object_or_404(IndicatorEvaluation, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        summary = evaluation_summary(self.evaluation)
        total = summary["total"]
        grade = grade_for(total) if total is not None else None
        context.update(
            evaluation=self.evaluation,
            summary=summary,
            grade_label=dict(IndicatorEvaluation._meta.get_field("grade").choices).get(
                grade
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        try:
            evaluation = services.indicator_evaluation_conclude(
                self.evaluation, user=request.user
            )
        except FundingError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(
                request,
                _("Concluded: %(total)s points, %(grade)s.")
                % {"total": evaluation.total, "grade": evaluation.get_grade_display()},
            )
        return redirect("funding_indicator_evaluation", self.evaluation.pk)
