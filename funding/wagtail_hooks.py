from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from core.viewsets import HistorySnippetViewSet
from funding import views
from funding.choices import ApplicationStatus
from funding.filters import ApplicationFilterSet
from funding.models import (
    Application,
    Call,
    DeclaredConflict,
    Fund,
    ReviewerProfile,
)


class FundViewSet(HistorySnippetViewSet):
    model = Fund
    icon = "doc-full"
    menu_label = _("Funds")
    list_display = ["name", "source", "year", "budget", "region"]
    list_filter = ["source", "year"]
    search_fields = ["name"]
    search_backend_name = None
    copy_view_enabled = False


def _desk_link(call):
    return format_html(
        '<a href="{}">{}</a>',
        reverse("funding_call_desk", args=[call.pk]),
        _("Open the desk"),
    )


class CallViewSet(HistorySnippetViewSet):
    model = Call
    icon = "date"
    menu_label = _("Calls")
    list_display = [
        "name",
        "fund",
        "opens_on",
        "closes_on",
        "total_budget",
        "max_per_award",
        "blind_review",
        Column("desk", label=_("Review and awards"), accessor=_desk_link),
    ]
    list_filter = ["fund"]
    search_fields = ["name"]
    search_backend_name = None
    related_histories = ("criteria",)
    copy_view_enabled = False


APPLICATION_EXPORT = [
    ("call", _("Call")),
    ("organization", _("Applicant")),
    ("title", _("Title")),
    ("requested_amount", _("Requested amount (yuan)")),
    ("target_region", _("Target region")),
    ("beneficiaries", _("Beneficiaries")),
    ("beneficiary_count", _("Number of beneficiaries")),
    ("get_status_display", _("Status")),
    ("approved_amount", _("Approved amount (yuan)")),
    ("decision_note", _("Decision note")),
]


class ApplicationIndexView(IndexView):
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
    list_display = ["title", "organization", "call", "requested_amount", "status"]
    filterset_class = ApplicationFilterSet
    search_fields = ["title", "organization__name"]
    search_backend_name = None
    list_export = [f for f, _label in APPLICATION_EXPORT]
    export_headings = dict(APPLICATION_EXPORT)
    export_filename = "applications"
    related_histories = ("budget_lines", "attachments", "reviews")
    copy_view_enabled = False


class ReviewerProfileViewSet(SnippetViewSet):
    model = ReviewerProfile
    icon = "user"
    menu_label = _("Reviewer profiles")
    list_display = ["user", "organization", "work_unit", "expertise"]
    copy_view_enabled = False


class DeclaredConflictViewSet(SnippetViewSet):
    model = DeclaredConflict
    icon = "warning"
    menu_label = _("Declared conflicts")
    list_display = ["reviewer", "organization", "reason"]
    copy_view_enabled = False


class FundingGroup(SnippetViewSetGroup):
    items = (
        FundViewSet,
        CallViewSet,
        ApplicationViewSet,
        ReviewerProfileViewSet,
        DeclaredConflictViewSet,
    )
    menu_icon = "doc-full-inverse"
    menu_label = _("Funding")
    menu_order = 300


register_snippet(FundingGroup)


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission, **kwargs):
        self.permission = permission
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def register_desk_menu_item():
    return PermissionMenuItem(
        _("Review and awards"),
        reverse("funding_calls"),
        icon_name="tasks",
        order=310,
        permission=views.MANAGE,
    )


@hooks.register("register_admin_menu_item")
def register_my_reviews_menu_item():
    return PermissionMenuItem(
        _("My reviews"),
        reverse("funding_my_reviews"),
        icon_name="edit",
        order=100,
        permission=views.SCORE,
    )


@hooks.register("register_admin_urls")
def register_funding_urls():
    return [
        path("funding/calls/", views.CallListView.as_view(), name="funding_calls"),
        path(
            "funding/calls/<int:pk>/",
            views.CallDeskView.as_view(),
            name="funding_call_desk",
        ),
        path(
            "funding/calls/<int:pk>/ranking.xlsx",
            views.RankingExportView.as_view(),
            name="funding_ranking_export",
        ),
        path(
            "funding/applications/<int:pk>/decide/",
            views.ApplicationDecideView.as_view(),
            name="funding_application_decide",
        ),
        path(
            "funding/applications/<int:pk>/assign/",
            views.ApplicationAssignView.as_view(),
            name="funding_application_assign",
        ),
        path(
            "funding/my-reviews/",
            views.MyReviewsView.as_view(),
            name="funding_my_reviews",
        ),
        path(
            "funding/my-reviews/export.xlsx",
            views.MyReviewsExportView.as_view(),
            name="funding_my_reviews_export",
        ),
        path(
            "funding/my-reviews/<int:pk>/",
            views.ReviewScoreView.as_view(),
            name="funding_review_score",
        ),
        path(
            "funding/my-reviews/<int:pk>/attachments/<int:number>/",
            views.ReviewAttachmentView.as_view(),
            name="funding_review_attachment",
        ),
    ]


class StatusFormatter(LogFormatter):
    label = _("Status changed")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        labels = dict(ApplicationStatus.choices)
        message = _("Status: %(from)s → %(to)s") % {
            "from": labels.get(data.get("from"), data.get("from")),
            "to": labels.get(data.get("to"), data.get("to")),
        }
        if data.get("note"):
            message = f"{message}（{data['note']}）"
        return message


@hooks.register("register_log_actions")
def register_funding_log_actions(actions):
    actions.register_action("funding.status")(StatusFormatter)
    actions.register_action(
        "funding.review_assigned", _("Assign reviewer"), _("Reviewer assigned")
    )
    actions.register_action(
        "funding.review_submitted", _("Submit review"), _("Review submitted")
    )
    actions.register_action(
        "funding.review_conflict", _("Declare conflict"), _("Conflict declared")
    )
    actions.register_action(
        "funding.review_withdrawn", _("Withdraw review"), _("Review withdrawn")
    )
    actions.register_action(
        "funding.review_closed", _("Close review"), _("Review closed")
    )
    actions.register_action(
        "funding.line_drawn", _("Draw funding line"), _("Funding line drawn")
    )
    actions.register_action("funding.approved", _("Approve"), _("Approved"))
    actions.register_action("funding.rejected", _("Reject"), _("Rejected"))
