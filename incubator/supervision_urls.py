"""The public pages of supervision under /supervision/ (outside /admin/): the year's
annual-inspection results and who was spot-checked (names and results only)."""

urlpatterns = []
