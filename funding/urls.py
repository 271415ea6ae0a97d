"""The funding URLs of the public site (outside /admin/): the published notice's PDF."""

from django.urls import path

from funding.views.documents import PublicNoticePdfView

urlpatterns = [
    path(
        "notices/<int:pk>.pdf",
        PublicNoticePdfView.as_view(),
        name="funding_public_notice_pdf",
    ),
]
