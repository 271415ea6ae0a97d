"""Wagtail 8's own admin strings that its zh_Hans catalogue does not translate yet.

Shown on the edit forms. They are only marked here (never shown from here) so that
`make messages` keeps them in core's catalogue, where their Chinese is written;
core comes before wagtail.admin in INSTALLED_APPS, so its translation wins.
Each comment names where Wagtail uses the string.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

WAGTAIL_STRINGS = [
    # wagtail/admin/templates/wagtailadmin/base.html
    gettext_noop("Go to the first error"),
    # wagtail/admin/templates/wagtailadmin/shared/unsaved_changes_warning.html
    gettext_noop("Save your changes before leaving"),
    # wagtail/admin/views/generic/models.py
    gettext_noop("New: %(model_name)s"),
    # wagtail/images/templates/wagtailimages/multiple/add.html
    gettext_noop(
        "Please provide an image description to comply with best practices for accessibility."
    ),
    # wagtail/admin/templates/wagtailadmin/shared/side_panels/includes/status/locked.html
    gettext_noop(
        "Anyone can edit this %(model_name)s – lock it to prevent others from editing"
    ),
    # wagtail/admin/templates/wagtailadmin/shared/side_panels/includes/status/locked.html
    gettext_noop("Anyone can edit this %(model_name)s"),
    # wagtail/admin/ui/side_panels.py
    ngettext_lazy("Referenced %(count)s time", "Referenced %(count)s times", "count"),
    # wagtail/admin/templates/wagtailadmin/shared/side_panels/checks.html
    gettext_noop("This data explained"),
    # wagtail/admin/wagtail_hooks.py
    gettext_noop("Shortcuts"),
    # wagtail/admin/templates/wagtailadmin/shared/side_panels/includes/status/privacy.html
    gettext_noop("Choose who can view the live version of this page"),
    # wagtail/models/view_restrictions.py
    gettext_noop("Private, accessible with a shared password"),
    # wagtail/models/view_restrictions.py
    gettext_noop("Private, accessible to any logged-in users"),
    # wagtail/admin/wagtail_hooks.py
    gettext_noop("Page types usage"),
]
