"""The funding URLs of the public site (outside /admin/): the published notice's PDF
and its objection form."""

from django.urls import path

from funding.views.documents import PublicNoticePdfView
from funding.views.public_objections import PublicObjectionView

urlpatterns = [
    path(
        "notices/<int:pk>.pdf",
        PublicNoticePdfView.as_view(),
        name="funding_public_notice_pdf",
    ),
    path(
        "notices/<int:pk>/objection/",
        PublicObjectionView.as_view(),
        name="funding_public_objection",
    ),
]
