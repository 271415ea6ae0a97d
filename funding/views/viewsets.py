"""The funding snippets (资金管理 menu): one viewset per model, their listings,
exports and create/edit screens, grouped in `FundingGroup`.

Create and edit screens whose write is a service call go through the services
(`ServiceCreateView`, `AwardEditView`, `EvaluationEditView`); a conflict or a
reviewer profile saved here takes effect on the reviews already assigned
(`ConflictEnforcingMixin`).
"""

from decimal import Decimal

from django.contrib import messages
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.formats import localize
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import HeaderButton
from wagtail.log_actions import log
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from cms.services.announcements import announcement_page_schedule
from core.choosers import GuardedChooserViewSet
from core.confirmations import TOKEN_FIELD, confirm_or_show
from core.imports import get_importer
from core.money import money_output_field
from core.search import PERSON
from core.viewsets import (
    SEARCH_RESULTS_TEMPLATE,
    HistorySnippetViewSet,
    MoneyColumn,
    PlainCellsIndexMixin,
    SubstringSearchIndexMixin,
    money_column,
)
from funding.filters import ApplicationFilterSet
from funding.forms import (
    ApplicationForm,
    AwardForm,
    CallForm,
    DeclaredConflictForm,
    PerformanceEvaluationForm,
    PublicNoticeForm,
    PurchasePaymentForm,
    ReviewerProfileForm,
    ServicePurchaseForm,
    reviewer_label,
)
from funding.imports.awards import AwardImporter
from funding.imports.purchases import PurchaseImporter
from funding.models import (
    Application,
    Award,
    Call,
    DeclaredConflict,
    Disbursement,
    Fund,
    PerformanceEvaluation,
    PublicNotice,
    PurchasePayment,
    ReviewerProfile,
    ServicePurchase,
)
from funding.models.awards import DisbursementStatus
from funding.permissions import APPROVE as APPROVE_STEP
from funding.permissions import (
    APPROVE_DISBURSEMENT,
    APPROVE_PURCHASE,
    MANAGE,
    MANAGE_AWARDS,
    PAY_DISBURSEMENT,
    PAY_PURCHASE,
    payment_next_step,
)
from funding.selectors.confirmations import notice_publish_confirmation
from funding.services import awards as award_services
from funding.services import purchases as purchase_services
from funding.services import tranches as tranche_services
from funding.services.assignment import reviewer_conflicts_enforce
from funding.views.performance import FrameworkViewSet, IndicatorEvaluationViewSet


class ServiceCreateView(CreateView):
    """A create screen whose write is a service call (`form.save_with_service`)."""

    def save_instance(self):
        instance = self.form.save_with_service(self.request.user)
        log(instance, "wagtail.create", user=self.request.user)
        note = getattr(instance, "calendar_note", "")
        if note:  # a notice counted with weekends only (core/workdays.py)
            messages.warning(self.request, note)
        return instance


class NoticePublishView(ServiceCreateView):
    """Publishing a public notice puts every approved application of the call on
    notice at once: the valid form first shows how many and how much
    (`notice_publish_confirmation`); the confirming POST publishes. A form the
    service refuses (no approved application) is refused on the form itself."""

    def form_valid(self, form):
        data = form.cleaned_data
        confirmation = notice_publish_confirmation(
            data["call"], starts_on=data["starts_on"], working_days=data["working_days"]
        )
        if not confirmation.refusal:
            asked = confirm_or_show(
                self,
                confirmation,
                fields={
                    name: value
                    for name, value in self.request.POST.items()
                    if name not in ("csrfmiddlewaretoken", TOKEN_FIELD)
                },
            )
            if asked:
                return asked
        return super().form_valid(form)


class AwardEditView(EditView):
    def save_instance(self):
        award = self.form.instance
        stored = Award.objects.get(pk=award.pk).agreement_signed_on
        signed_on = award.agreement_signed_on
        if stored is None and signed_on is not None:
            award.agreement_signed_on = None  # signed through the service below
        super().save_instance()
        user = self.request.user
        tranche_services.award_schedule_recompute(award, user=user)
        if stored is None and signed_on is not None:
            award_services.award_sign(award, signed_on=signed_on, user=user)
        award.refresh_from_db()
        return award


class EvaluationEditView(EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        evaluation = purchase_services.evaluation_record(
            self.form.instance.purchase,
            score=data["score"],
            evaluated_on=data["evaluated_on"],
            evaluator=data["evaluator"],
            comment=data.get("comment", ""),
            user=self.request.user,
        )
        log(evaluation, "wagtail.edit", user=self.request.user)
        return evaluation


class FundViewSet(HistorySnippetViewSet):
    model = Fund
    icon = "doc-full"
    menu_label = _("Funds")
    list_display = ["name", "source", "year", money_column(Fund, "budget"), "region"]
    list_filter = ["source", "year"]
    search_fields = ["name"]
    search_backend_name = None
    copy_view_enabled = False


class PermittedColumn(Column):
    """A column of links to a screen only holders of `permission` may open; the
    listing leaves it out for everyone else (`PermittedColumnsMixin`), so a role
    sees only the actions it can take (finance is not offered the award desk)."""

    def __init__(self, name, *, permission, **kwargs):
        super().__init__(name, **kwargs)
        self.permission = permission


class PermittedColumnsMixin:
    """Drops each `PermittedColumn` whose permission the signed-in user lacks."""

    @cached_property
    def columns(self):
        user = self.request.user
        return [
            column
            for column in super().columns
            if not isinstance(column, PermittedColumn)
            or user.has_perm(column.permission)
        ]


def _desk_link(call):
    return format_html(
        '<a href="{}">{}</a>',
        reverse("funding_call_desk", args=[call.pk]),
        _("Open the desk"),
    )


class CallIndexView(PermittedColumnsMixin, IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("fund")


class CallCreateView(CreateView):
    """Creating a call announces it: after the commit, its page is made in the
    public site's 申报通知 (published or moderated, as the site settings say)."""

    def save_instance(self):
        call = super().save_instance()
        announcement_page_schedule(call, user=self.request.user)
        return call


class CallViewSet(HistorySnippetViewSet):
    model = Call
    index_view_class = CallIndexView
    add_view_class = CallCreateView
    icon = "date"
    menu_label = _("Calls")
    list_display = [
        "name",
        "fund",
        "opens_on",
        "closes_on",
        money_column(Call, "total_budget"),
        money_column(Call, "max_per_award"),
        "blind_review",
        PermittedColumn(
            "desk",
            label=_("Review and awards"),
            accessor=_desk_link,
            permission=MANAGE,
        ),
    ]
    list_filter = ["fund"]
    search_fields = ["name"]
    search_backend_name = None
    related_histories = ("criteria",)
    edit_handler = ObjectList(Call.panels, base_form_class=CallForm)
    copy_view_enabled = False


APPLICATION_EXPORT = [
    ("call", _("Call")),
    ("organization", _("Applicant")),
    ("title", _("Project title")),
    ("requested_amount", _("Requested amount (yuan)")),
    ("target_region", _("Target region")),
    ("beneficiaries", _("Beneficiaries")),
    ("beneficiary_count", _("Number of beneficiaries")),
    ("get_status_display", _("Status")),
    ("approved_amount", _("Approved amount (yuan)")),
    ("decision_note", _("Decision note")),
]


class ApplicationIndexView(SubstringSearchIndexMixin, PlainCellsIndexMixin, IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("call", "organization", "target_region")
        )


class ApplicationViewSet(HistorySnippetViewSet):
    model = Application
    icon = "form"
    menu_label = _("Applications")
    index_view_class = ApplicationIndexView
    list_display = [
        "title",
        "organization",
        "call",
        money_column(Application, "requested_amount"),
        "status",
        "submitted_online",
    ]
    filterset_class = ApplicationFilterSet
    # searched by substring through core.search (FTS5 / pg_trgm indexes)
    search_fields = ["title", "organization__name"]
    search_backend_name = None
    index_results_template_name = SEARCH_RESULTS_TEMPLATE
    list_export = [f for f, _label in APPLICATION_EXPORT]
    export_headings = dict(APPLICATION_EXPORT)
    export_filename = "applications"
    related_histories = ("budget_lines", "attachments", "reviews")
    edit_handler = ObjectList(Application.panels, base_form_class=ApplicationForm)
    copy_view_enabled = False


class ConflictEnforcingMixin:
    """Create/edit of a declared conflict or a reviewer profile: in the same
    transaction as the save, the reviewer's conflicts take effect on the reviews
    already assigned (`reviewer_conflicts_enforce`), and the
    manager is told what changed."""

    def save_instance(self):
        instance = super().save_instance()
        reviewer = getattr(instance, "reviewer", None) or instance.user
        self.conflict_outcome = reviewer_conflicts_enforce(
            reviewer, user=self.request.user
        )
        return instance

    def save_action(self):
        response = super().save_action()
        outcome = getattr(self, "conflict_outcome", None)
        if outcome:
            messages.warning(self.request, outcome.message())
        return response


class ConflictCreateView(ConflictEnforcingMixin, CreateView):
    pass


class ConflictEditView(ConflictEnforcingMixin, EditView):
    pass


class ReviewerProfileViewSet(SnippetViewSet):
    model = ReviewerProfile
    add_view_class = ConflictCreateView
    edit_view_class = ConflictEditView
    edit_handler = ObjectList(
        [
            FieldPanel("user"),
            FieldPanel("organization"),
            FieldPanel("work_unit"),
            FieldPanel("expertise"),
        ],
        base_form_class=ReviewerProfileForm,
    )
    chooser_viewset_class = GuardedChooserViewSet
    icon = "user"
    menu_label = _("Reviewer profiles")
    list_display = ["user", "organization", "work_unit", "expertise"]
    search_fields = ["user__last_name", "user__first_name", "user__username"]
    search_backend_name = None
    chooser_search_fields = [PERSON + "user", "work_unit", "expertise"]
    chooser_search_placeholder = _("Full name, login or work unit")
    copy_view_enabled = False


class DeclaredConflictViewSet(SnippetViewSet):
    model = DeclaredConflict
    add_view_class = ConflictCreateView
    edit_view_class = ConflictEditView
    chooser_viewset_class = GuardedChooserViewSet
    icon = "warning"
    menu_label = _("Declared conflicts")
    edit_handler = ObjectList(
        [FieldPanel("reviewer"), FieldPanel("organization"), FieldPanel("reason")],
        base_form_class=DeclaredConflictForm,
    )
    list_display = [
        Column(
            "reviewer",
            label=_("Reviewer"),
            accessor=lambda conflict: reviewer_label(conflict.reviewer),
        ),
        "organization",
        "reason",
    ]
    copy_view_enabled = False


def _notice_close(notice):
    if notice.closed_on:
        return _("Closed on %(day)s") % {"day": notice.closed_on}
    return format_html(
        '<a class="button button-small" href="{}">{}</a>',
        reverse("funding_notice_close", args=[notice.pk]),
        _("Close the notice"),
    )


def _notice_end(notice):
    note = notice.calendar_note
    if not note:
        return localize(notice.ends_on)
    return format_html(
        '{}<span class="w-block w-text-critical-200" title="{}">{}</span>',
        localize(notice.ends_on),
        note,
        _("Weekends only: check"),
    )


def _notice_print(notice):
    return format_html(
        '<a href="{}" target="_blank" rel="noopener">{}</a>',
        reverse("funding_notice_pdf", args=[notice.pk]),
        _("Print the notice"),
    )


class PublicNoticeViewSet(HistorySnippetViewSet):
    model = PublicNotice
    icon = "info-circle"
    menu_label = _("Public notices")
    add_view_class = NoticePublishView
    edit_handler = ObjectList(
        [
            FieldPanel("call"),
            FieldPanel("title"),
            FieldRowPanel([FieldPanel("starts_on"), FieldPanel("working_days")]),
            FieldPanel("objection_contact"),
        ],
        base_form_class=PublicNoticeForm,
    )
    list_display = [
        "title",
        "call",
        "starts_on",
        "working_days",
        Column(
            "ends_on",
            label=PublicNotice._meta.get_field("ends_on").verbose_name,
            accessor=_notice_end,
        ),
        Column("close", label=_("Close"), accessor=_notice_close),
        Column("print", label=_("Print (PDF)"), accessor=_notice_print),
    ]
    search_fields = ["title"]
    search_backend_name = None
    copy_view_enabled = False


def _award_desk_link(award):
    return format_html(
        '<a href="{}">{}</a>',
        reverse("funding_award_desk", args=[award.pk]),
        _("Open the award"),
    )


class PaidOnPageMixin:
    """The paid total of each row shown, in one query for the page. (Annotating the
    listing would sum every payment of every row before paginating; an export,
    which takes all rows, gets the annotation.)"""

    payment_model = None
    payment_key = ""  # from the payment to the listed row
    payment_filter = {}

    def _payments(self):
        return self.payment_model.objects.filter(**self.payment_filter)

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        if not self.is_export:
            return queryset
        reverse_name = {"tranche__award": "tranches__disbursements"}.get(
            self.payment_key, "payments"
        )
        paid = Sum(
            f"{reverse_name}__amount",
            filter=Q(
                **{f"{reverse_name}__{k}": v for k, v in self.payment_filter.items()}
            ),
        )
        return queryset.annotate(
            paid_sum=Coalesce(
                paid,
                Decimal("0"),
                output_field=money_output_field(),
            )
        )

    def paginate_queryset(self, queryset, page_size):
        paginator, page, rows, is_paginated = super().paginate_queryset(
            queryset, page_size
        )
        rows = list(rows)
        paid = dict(
            self._payments()
            .filter(**{f"{self.payment_key}__in": [r.pk for r in rows]})
            .values_list(self.payment_key)
            .annotate(total=Sum("amount"))
            .values_list(self.payment_key, "total")
            .order_by()
        )
        for row in rows:
            row.paid_sum = paid.get(row.pk) or Decimal("0")
        page.object_list = rows
        return paginator, page, rows, is_paginated


class ImportButtonMixin:
    """An "Import" button in the listing's header, for users who may run the
    import kind `import_kind` (its screen is `import_url_name`)."""

    import_kind = ""
    import_url_name = ""

    @property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.request.user.has_perms(
            get_importer(self.import_kind).permissions_required
        ):
            buttons.append(
                HeaderButton(
                    _("Import"), url=reverse(self.import_url_name), icon_name="upload"
                )
            )
        return buttons


class AwardIndexView(
    PermittedColumnsMixin, ImportButtonMixin, PaidOnPageMixin, IndexView
):
    payment_model = Disbursement
    payment_key = "tranche__award"
    payment_filter = {"status": DisbursementStatus.PAID}
    import_kind = "awards"
    import_url_name = "funding_award_import"

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("application__organization", "application__call__fund")
        )


# The award listing's export: the import's columns (`AWARD_COLUMNS`), so that an
# exported file imports back (as past awards, updated by key).
AWARD_EXPORT = AwardImporter.export_fields()


class AwardViewSet(HistorySnippetViewSet):
    model = Award
    icon = "doc-full"
    menu_label = _("Awards")
    index_view_class = AwardIndexView
    edit_view_class = AwardEditView
    edit_handler = ObjectList(Award.panels, base_form_class=AwardForm)
    list_display = [
        "__str__",
        money_column(Award, "approved_amount"),
        Column("status", label=_("Status"), accessor="get_status_display"),
        "agreement_signed_on",
        MoneyColumn("paid", label=_("Paid (yuan)"), accessor="paid_sum"),
        PermittedColumn(
            "desk",
            label=_("Award"),
            accessor=_award_desk_link,
            permission=MANAGE_AWARDS,
        ),
    ]
    list_filter = ["notice", "application__status"]
    search_fields = ["application__title", "application__organization__name"]
    search_backend_name = None
    list_export = [f for f, _label in AWARD_EXPORT]
    export_headings = dict(AWARD_EXPORT)
    export_filename = "awards"
    related_histories = ("tranches", "objections", "reports")
    copy_view_enabled = False


class PaymentActionColumn(Column):
    """The next step on a payment for the signed-in user: a button, or the reason
    they may not take it (`funding.permissions.payment_next_step`)."""

    def __init__(self, name, *, url_name, approve_perm, pay_perm, **kwargs):
        super().__init__(name, **kwargs)
        self.url_name = url_name
        self.approve_perm = approve_perm
        self.pay_perm = pay_perm

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        step, refusal = payment_next_step(
            instance,
            request.user,
            approve_perm=self.approve_perm,
            pay_perm=self.pay_perm,
        )
        if step is None:
            context["value"] = ""
        elif refusal:
            context["value"] = format_html('<span class="help">{}</span>', refusal)
        else:
            label = (
                _("Approve (fund manager)")
                if step == APPROVE_STEP
                else _("Approve and pay (finance)")
            )
            context["value"] = format_html(
                '<a class="button button-small" href="{}">{}</a>',
                reverse(self.url_name, args=[instance.pk, step]),
                label,
            )
        return context


class DisbursementIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related(
                "tranche__award__application__organization",
                "recorded_by",
                "approved_by",
                "paid_by",
            )
        )


DISBURSEMENT_EXPORT = [
    ("award", _("Award")),
    ("tranche", _("Tranche")),
    ("amount", _("Amount (yuan)")),
    ("get_status_display", _("Status")),
    ("recorded_by", _("Recorded by")),
    ("approved_by", _("Approved by (fund manager)")),
    ("paid_by", _("Paid by (finance)")),
    ("paid_on", _("Paid on")),
    ("rejection_reason", _("Rejection reason")),
]


class DisbursementViewSet(HistorySnippetViewSet):
    model = Disbursement
    icon = "doc-full"
    menu_label = _("Disbursements")
    index_view_class = DisbursementIndexView
    list_display = [
        "__str__",
        money_column(Disbursement, "amount"),
        "status",
        "recorded_by",
        "approved_by",
        "paid_by",
        PaymentActionColumn(
            "act",
            label=_("Approval"),
            url_name="funding_disbursement_action",
            approve_perm=APPROVE_DISBURSEMENT,
            pay_perm=PAY_DISBURSEMENT,
        ),
    ]
    list_filter = ["status"]
    list_export = [f for f, _label in DISBURSEMENT_EXPORT]
    export_headings = dict(DISBURSEMENT_EXPORT)
    export_filename = "disbursements"
    copy_view_enabled = False


# The purchase listing's export: the import's columns (`PURCHASE_COLUMNS`).
PURCHASE_EXPORT = PurchaseImporter.export_fields()


class PurchaseIndexView(ImportButtonMixin, PaidOnPageMixin, IndexView):
    payment_model = PurchasePayment
    payment_key = "purchase"
    payment_filter = {"status": DisbursementStatus.PAID}
    import_kind = "purchases"
    import_url_name = "funding_purchase_import"

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("supplier", "region", "evaluation")
        )


class ServicePurchaseViewSet(HistorySnippetViewSet):
    model = ServicePurchase
    icon = "form"
    menu_label = _("Service purchases")
    edit_handler = ObjectList(
        ServicePurchase.panels, base_form_class=ServicePurchaseForm
    )
    index_view_class = PurchaseIndexView
    list_display = [
        "title",
        "purchasing_department",
        "procurement_method",
        money_column(ServicePurchase, "contract_amount"),
        "signed_on",
        Column("supplier", label=_("Supplier"), accessor="supplier_display"),
        MoneyColumn("paid", label=_("Paid (yuan)"), accessor="paid_sum"),
    ]
    list_filter = ["service_category", "procurement_method", "supplier_kind"]
    search_fields = ["title", "purchasing_department", "supplier_name"]
    search_backend_name = None
    list_export = [f for f, _label in PURCHASE_EXPORT]
    export_headings = dict(PURCHASE_EXPORT)
    export_filename = "service-purchases"
    related_histories = ("deliverables", "instalments", "payments")
    copy_view_enabled = False


class PurchasePaymentIndexView(IndexView):
    def get_base_queryset(self):
        # Payments still awaiting a step first, on every database (the model's
        # "-paid_on" puts unpaid rows last on SQLite and first on PostgreSQL);
        # a sortable column header still reorders.
        return (
            super()
            .get_base_queryset()
            .select_related(
                "purchase", "instalment", "recorded_by", "approved_by", "paid_by"
            )
            .order_by(F("paid_on").desc(nulls_first=True), "-pk")
        )


class PurchasePaymentViewSet(HistorySnippetViewSet):
    model = PurchasePayment
    icon = "doc-full"
    menu_label = _("Purchase payments")
    add_view_class = ServiceCreateView
    edit_handler = ObjectList(
        [
            FieldPanel("purchase"),
            FieldPanel("instalment"),
            FieldPanel("amount"),
            FieldPanel("note"),
        ],
        base_form_class=PurchasePaymentForm,
    )
    index_view_class = PurchasePaymentIndexView
    list_display = [
        "purchase",
        "instalment",
        money_column(PurchasePayment, "amount"),
        "status",
        "recorded_by",
        "approved_by",
        "paid_by",
        "paid_on",
        PaymentActionColumn(
            "act",
            label=_("Approval"),
            url_name="funding_purchase_payment_action",
            approve_perm=APPROVE_PURCHASE,
            pay_perm=PAY_PURCHASE,
        ),
    ]
    list_filter = ["status"]
    list_export = [
        "purchase",
        "instalment",
        "amount",
        "get_status_display",
        "recorded_by",
        "approved_by",
        "paid_by",
        "paid_on",
        "note",
        "rejection_reason",
    ]
    export_headings = {
        "purchase": _("Service"),
        "instalment": _("Instalment"),
        "amount": _("Amount (yuan)"),
        "get_status_display": _("Status"),
        "recorded_by": _("Recorded by"),
        "approved_by": _("Approved by (fund manager)"),
        "paid_by": _("Paid by (finance)"),
        "paid_on": _("Paid on"),
        "note": _("Note"),
        "rejection_reason": _("Rejection reason"),
    }
    export_filename = "purchase-payments"
    copy_view_enabled = False


class PerformanceEvaluationViewSet(HistorySnippetViewSet):
    model = PerformanceEvaluation
    icon = "tick"
    menu_label = _("Performance evaluations")
    add_view_class = ServiceCreateView
    edit_view_class = EvaluationEditView
    edit_handler = ObjectList(
        [
            FieldPanel("purchase"),
            FieldRowPanel([FieldPanel("evaluated_on"), FieldPanel("evaluator")]),
            FieldPanel("score"),
            FieldPanel("comment"),
        ],
        base_form_class=PerformanceEvaluationForm,
    )
    list_display = ["purchase", "evaluated_on", "evaluator", "score", "grade"]
    list_export = [
        "purchase",
        "evaluated_on",
        "evaluator",
        "score",
        "get_grade_display",
    ]
    export_headings = {
        "purchase": _("Service"),
        "evaluated_on": _("Evaluated on"),
        "evaluator": _("Evaluator"),
        "score": _("Score (of 100)"),
        "get_grade_display": _("Grade"),
    }
    export_filename = "performance-evaluations"
    copy_view_enabled = False


class FundingGroup(SnippetViewSetGroup):
    items = (
        FundViewSet,
        CallViewSet,
        ApplicationViewSet,
        ReviewerProfileViewSet,
        DeclaredConflictViewSet,
        PublicNoticeViewSet,
        AwardViewSet,
        DisbursementViewSet,
        ServicePurchaseViewSet,
        PurchasePaymentViewSet,
        PerformanceEvaluationViewSet,
        FrameworkViewSet,
        IndicatorEvaluationViewSet,
    )
    menu_icon = "doc-full-inverse"
    menu_label = _("Funding")
    menu_order = 300
