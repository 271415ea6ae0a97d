"""The incubator's public URLs under /organizations/ (outside /admin/): an
organization's account requests and invitations."""

urlpatterns = []
