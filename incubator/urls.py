"""The incubator's public URLs under /organizations/ (outside /admin/): an
organization's account requests and invitations."""

from django.urls import path

from incubator.views.portal_accounts import AccountRegisterView, InvitationAcceptView

urlpatterns = [
    path(
        "register/",
        AccountRegisterView.as_view(),
        name="incubator_account_register",
    ),
    path(
        "invitations/<str:token>/",
        InvitationAcceptView.as_view(),
        name="incubator_invitation_accept",
    ),
]
