"""The funding admin URLs (under /admin/), included by `wagtail_hooks.py`."""

from django.urls import path

from core.views import ImportView
from funding.views import awards, calls, finance, purchases, reviews

urlpatterns = [
    path(
        "funding/awards/import/",
        ImportView.as_view(kind="awards"),
        name="funding_award_import",
    ),
    path(
        "funding/purchases/import/",
        ImportView.as_view(kind="purchases"),
        name="funding_purchase_import",
    ),
    path(
        "funding/awards/<int:pk>/",
        awards.AwardDeskView.as_view(),
        name="funding_award_desk",
    ),
    path(
        "funding/disbursements/<int:pk>/<str:step>/",
        awards.DisbursementActionView.as_view(),
        name="funding_disbursement_action",
    ),
    path(
        "funding/purchase-payments/<int:pk>/<str:step>/",
        purchases.PurchasePaymentActionView.as_view(),
        name="funding_purchase_payment_action",
    ),
    path(
        "funding/payments/",
        finance.FinanceDeskView.as_view(),
        name="funding_finance_desk",
    ),
    path(
        "funding/payments/<str:step>/",
        finance.PaymentBatchView.as_view(),
        name="funding_finance_batch",
    ),
    path(
        "funding/notices/<int:pk>/close/",
        awards.NoticeCloseView.as_view(),
        name="funding_notice_close",
    ),
    path(
        "funding/purchases/figures/",
        purchases.PurchaseRollupView.as_view(),
        name="funding_purchase_rollup",
    ),
    path("funding/calls/", calls.CallListView.as_view(), name="funding_calls"),
    path(
        "funding/calls/<int:pk>/",
        calls.CallDeskView.as_view(),
        name="funding_call_desk",
    ),
    path(
        "funding/calls/<int:pk>/ranking.xlsx",
        calls.RankingExportView.as_view(),
        name="funding_ranking_export",
    ),
    path(
        "funding/applications/<int:pk>/decide/",
        calls.ApplicationDecideView.as_view(),
        name="funding_application_decide",
    ),
    path(
        "funding/applications/<int:pk>/assign/",
        calls.ApplicationAssignView.as_view(),
        name="funding_application_assign",
    ),
    path(
        "funding/my-reviews/",
        reviews.MyReviewsView.as_view(),
        name="funding_my_reviews",
    ),
    path(
        "funding/my-reviews/export.xlsx",
        reviews.MyReviewsExportView.as_view(),
        name="funding_my_reviews_export",
    ),
    path(
        "funding/my-reviews/<int:pk>/",
        reviews.ReviewScoreView.as_view(),
        name="funding_review_score",
    ),
    path(
        "funding/my-reviews/<int:pk>/attachments/<int:number>/",
        reviews.ReviewAttachmentView.as_view(),
        name="funding_review_attachment",
    ),
]
