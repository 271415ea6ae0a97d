"""Wagtail 8's own admin strings that its zh_Hans catalogue does not translate yet.

Shown across the admin (forms, listings, dashboard, dialogs). They are only marked here (never shown from here) so that
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
    # wagtail/admin/templates/wagtailadmin/pages/listing/_page_title_column_header.html
    gettext_noop("%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s"),
    # wagtail/admin/templatetags/wagtailadmin_tags.py
    gettext_noop("%(time)s by %(user_display_name)s"),
    # wagtail/admin/templates/wagtailadmin/shared/editing_sessions/module.html
    gettext_noop("A network error occurred"),
    # wagtail/admin/templates/wagtailadmin/generic/form.html
    gettext_noop("Actions (footer)"),
    # wagtail/admin/templatetags/wagtailadmin_tags.py
    gettext_noop("Add or show comments"),
    # wagtail/admin/views/pages/listing.py
    gettext_noop("Any"),
    # wagtail/admin/views/reports/locked_pages.py
    gettext_noop("Anyone"),
    # wagtail/admin/templates/wagtailadmin/shared/autosave/indicator.html
    gettext_noop("Autosave is paused"),
    # wagtail/admin/views/reports/workflows.py
    gettext_noop("By workflow"),
    # wagtail/admin/templates/wagtailadmin/userbar/item_content_checker.html
    gettext_noop("Checks"),
    # wagtail/admin/templates/wagtailadmin/panels/publishing/schedule_publishing_panel.html
    gettext_noop("Choose when this %(model_name)s should go live and/or expire"),
    # wagtail/admin/templates/wagtailadmin/panels/publishing/schedule_publishing_panel.html
    gettext_noop("Choose when this page should go live and/or expire"),
    # wagtail/admin/templatetags/wagtailadmin_tags.py
    gettext_noop("Close modal dialogs (like this one)"),
    # wagtail/admin/templates/wagtailadmin/shared/side_panels/checks.html
    gettext_noop("Content metrics"),
    # wagtail/admin/templates/wagtailadmin/shared/side_panels/preview.html
    gettext_noop(
        "Correct the validation errors to resume preview (saving will highlight errors)"
    ),
    # wagtail/admin/templatetags/wagtailadmin_tags.py
    gettext_noop("Cut"),
    # wagtail/admin/views/pages/listing.py
    gettext_noop("Date updated"),
    # wagtail/admin/templates/wagtailadmin/tables/ordering_header.html
    gettext_noop("Disable custom ordering"),
    # wagtail/admin/templates/wagtailadmin/shared/avatar.html
    gettext_noop("Edit account avatar"),
    # wagtail/admin/views/pages/listing.py
    gettext_noop("Edited by"),
    # wagtail/users/models.py
    gettext_noop("Enable custom keyboard shortcuts specific to Wagtail."),
    # wagtail/admin/views/pages/listing.py
    gettext_noop("Exploring"),
    # wagtail/admin/ui/tables/orderable.py
    gettext_noop(
        "Focus on the drag button and press up or down arrows to move the item, then press enter to submit the change."
    ),
    # wagtail/images/templates/wagtailimages/images/layout_toggle_button.html
    gettext_noop("Grid layout"),
    # wagtail/admin/views/pages/listing.py
    gettext_noop("Has child pages"),
    # wagtail/admin/templates/wagtailadmin/shared/side_panels/checks.html
    gettext_noop("How we calculate our metrics"),
    # wagtail/admin/templates/wagtailadmin/pages/explorable_index_results.html
    gettext_noop(
        "If you just want to add pages to an existing site, create them as children of the homepage instead."
    ),
    # wagtail/admin/templatetags/wagtailadmin_tags.py
    gettext_noop("Insert or edit a link"),
    # wagtail/admin/views/pages/history.py
    gettext_noop("Is commenting action"),
    # wagtail/admin/templates/wagtailadmin/tables/ordering_cell.html
    gettext_noop("Item %(index)s of %(total)s"),
    # wagtail/images/templates/wagtailimages/images/layout_toggle_button.html
    gettext_noop("List layout"),
    # wagtail/admin/views/reports/locked_pages.py
    gettext_noop("Locked by"),
    # wagtail/admin/templates/wagtailadmin/shared/side_panels/includes/status/locked.html
    gettext_noop("Locking: "),
    # wagtail/admin/templatetags/wagtailadmin_tags.py
    gettext_noop("Monospace (code)"),
    # wagtail/users/models.py
    gettext_noop("More contrast"),
    # wagtail/images/views/images.py
    gettext_noop("Oldest"),
    # wagtail/admin/views/pages/listing.py
    gettext_noop("Page type"),
    # wagtail/admin/templatetags/wagtailadmin_tags.py
    gettext_noop("Paste"),
    # wagtail/admin/templatetags/wagtailadmin_tags.py
    gettext_noop("Paste without formatting"),
    # wagtail/admin/templates/wagtailadmin/shared/side_panels/checks.html
    gettext_noop("Readability"),
    # wagtail/admin/templates/wagtailadmin/shared/side_panels/checks.html
    gettext_noop("Reading time"),
    # wagtail/admin/templatetags/wagtailadmin_tags.py
    gettext_noop("Save changes"),
    # wagtail/admin/templates/wagtailadmin/shared/autosave/indicator.html
    gettext_noop("Saved"),
    # wagtail/admin/templates/wagtailadmin/pages/action_menu/publish.html
    gettext_noop("Schedule to publish"),
    # wagtail/admin/views/home.py
    gettext_noop("Search all pages…"),
    # wagtail/admin/templates/wagtailadmin/shared/keyboard_shortcuts_dialog.html
    gettext_noop("Section"),
    # wagtail/admin/views/workflows.py
    gettext_noop("Show disabled"),
    # wagtail/admin/templates/wagtailadmin/shared/side_panels/checks.html
    gettext_noop("Show issue"),
    # wagtail/admin/templatetags/wagtailadmin_tags.py
    gettext_noop("Show keyboard shortcuts"),
    # wagtail/users/models.py
    gettext_noop("Snug"),
    # wagtail/admin/ui/tables/__init__.py
    gettext_noop("Sort by '%(label)s' in ascending order."),
    # wagtail/admin/ui/tables/__init__.py
    gettext_noop("Sort by '%(label)s' in descending order."),
    # wagtail/admin/templatetags/wagtailadmin_tags.py
    gettext_noop("Strike-through"),
    # wagtail/admin/templatetags/wagtailadmin_tags.py
    gettext_noop("Text editing"),
    # wagtail/admin/templatetags/wagtailadmin_tags.py
    gettext_noop("Text formatting"),
    # wagtail/admin/templates/wagtailadmin/pages/explorable_index_results.html
    gettext_noop(
        "The root level is where you can add new sites to your Wagtail installation. Pages created here will not be accessible at any URL until they are associated with a site."
    ),
    # wagtail/admin/views/account.py
    gettext_noop("Theme preferences"),
    # wagtail/admin/templates/wagtailadmin/panels/publishing/schedule_publishing_panel.html
    gettext_noop(
        'This publishing schedule will only take effect after you select the "Schedule to publish" option'
    ),
    # wagtail/admin/templates/wagtailadmin/shared/side_panels/includes/status/workflow.html
    gettext_noop("To be created by %(user)s"),
    # wagtail/admin/ui/side_panels.py
    gettext_noop("Toggle checks"),
    # wagtail/admin/templatetags/wagtailadmin_tags.py
    gettext_noop("Toggle minimap"),
    # wagtail/admin/templates/wagtailadmin/shared/editing_sessions/module.html
    gettext_noop(
        "Troubleshoot your connection to the site before proceeding. Open the editor in a separate tab to view the last saved version."
    ),
    # wagtail/images/templates/wagtailimages/multiple/add.html
    gettext_noop(
        "Upload successful. However, your new image seems to be a duplicate of this existing image. You may delete it if it wasn't required."
    ),
    # wagtail/images/views/images.py
    gettext_noop("Usage count: (high to low)"),
    # wagtail/images/views/images.py
    gettext_noop("Usage count: (low to high)"),
    # wagtail/admin/forms/account.py
    gettext_noop("Use server language: %(language_name)s"),
    # wagtail/admin/templates/wagtailadmin/shared/editing_sessions/list.html
    gettext_noop("View latest version"),
    # wagtail/admin/templates/wagtailadmin/home/account_summary.html
    gettext_noop("Wagtail %(current_version)s editor guide"),
    # wagtail/admin/templates/wagtailadmin/shared/side_panels/checks.html
    gettext_noop(
        "We calculate reading time from word count, using different reading speeds for different languages."
    ),
    # wagtail/admin/templates/wagtailadmin/shared/side_panels/checks.html
    gettext_noop(
        "We extract the main content from the page preview, remove all formatting, and calculate the number of words."
    ),
    # wagtail/admin/templates/wagtailadmin/shared/side_panels/checks.html
    gettext_noop(
        "We use a readability formula based on length of words and sentences. Long sentences and words result in a worse readability score."
    ),
    # wagtail/admin/templates/wagtailadmin/shared/side_panels/checks.html
    gettext_noop("Words"),
    # wagtail/admin/templates/wagtailadmin/shared/keyboard_shortcuts_dialog.html
    gettext_noop("account"),
    # wagtail/admin/templatetags/wagtailadmin_tags.py
    gettext_noop("at %(time)s"),
    # wagtail/admin/templatetags/wagtailadmin_tags.py
    gettext_noop("at %(time)s by %(user_display_name)s"),
    # wagtail/admin/templatetags/wagtailadmin_tags.py (an edit before today)
    gettext_noop("%(time_period)s ago by %(user_display_name)s"),
    # wagtail/users/models.py
    gettext_noop("contrast"),
    # wagtail/admin/templates/wagtailadmin/shared/workflow_history/detail.html
    gettext_noop("%(action)s at <b>%(at)s</b>"),
    # wagtail/admin/templates/wagtailadmin/shared/workflow_history/detail.html
    gettext_noop("%(action)s by <b>%(who)s</b>"),
    # wagtail/admin/templates/wagtailadmin/shared/workflow_history/detail.html
    gettext_noop("%(action)s by <b>%(who)s</b> at <b>%(at)s</b>"),
    # wagtail/admin/templates/wagtailadmin/shared/unsaved_changes_warning.html
    gettext_noop("Autosave is <span>paused</span>"),
    # wagtail/admin/templates/wagtailadmin/shared/dialog/confirm_site_name.html
    gettext_noop("Please type <b>%(wagtail_site_name)s</b> to confirm."),
    # wagtail/admin/templates/wagtailadmin/shared/keyboard_shortcuts_dialog.html
    gettext_noop(
        "Keyboard shortcuts are currently disabled; manage your %(account_link)s to enable them."
    ),
    # wagtail/admin/templates/wagtailadmin/shared/keyboard_shortcuts_dialog.html
    gettext_noop(
        "Keyboard shortcuts are currently enabled; manage your %(account_link)s to disable them."
    ),
    # wagtail/admin/templates/wagtailadmin/shared/side_panels/checks.html
    gettext_noop(
        'See our <a href="%(guide_link)s" target="_blank">content checks guide</a> for more information on how content metrics are calculated.'
    ),
    # wagtail/users/models.py
    gettext_noop("admin theme"),
    # wagtail/users/models.py
    gettext_noop("density"),
    # wagtail/admin/templates/wagtailadmin/pages/confirm_delete.html
    ngettext_lazy(
        "Deleting this page will also delete %(descendant_count)s child page.",
        "Deleting this page will also delete %(descendant_count)s more child pages.",
        "descendant_count",
    ),
    # wagtail/admin/templates/wagtailadmin/shared/usage_summary.html
    ngettext_lazy(
        "This %(model_name)s is referenced %(usage_count)s time.",
        "This %(model_name)s is referenced %(usage_count)s times.",
        "usage_count",
    ),
    # wagtail/admin/templates/wagtailadmin/pages/confirm_unpublish.html
    ngettext_lazy(
        "This page has one subpage. Unpublish this too",
        "This page has %(live_descendant_count)s subpages. Unpublish these too",
        "live_descendant_count",
    ),
    # wagtail/admin/templates/wagtailadmin/home/site_summary_pages.html
    ngettext_lazy(
        '%(total)s Page <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Pages <span class="w-sr-only">created in %(site_name)s</span>',
        "total",
    ),
    # wagtail/images/templates/wagtailimages/homepage/site_summary_images.html
    ngettext_lazy(
        '%(total)s Image <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Images <span class="w-sr-only">created in %(site_name)s</span>',
        "total",
    ),
    # wagtail/documents/templates/wagtaildocs/homepage/site_summary_documents.html
    ngettext_lazy(
        '%(total)s Document <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Documents <span class="w-sr-only">created in %(site_name)s</span>',
        "total",
    ),
    # wagtail/admin/templates/wagtailadmin/shared/dialog/confirm_site_name.html
    ngettext_lazy(
        "This action will delete <b>%(total_pages_formatted)s</b> page in total.",
        "This action will delete <b>%(total_pages_formatted)s</b> pages in total.",
        "total_pages_formatted",
    ),
    # wagtail/models/draft_state.py (the status of a published page; Wagtail's 在用)
    gettext_noop("live"),
    # wagtail/admin/templates/wagtailadmin/panels/publishing/schedule_publishing_panel.html
    gettext_noop("Anyone with editing permissions can create schedules"),
    # wagtail/admin/templates/wagtailadmin/panels/publishing/schedule_publishing_panel.html
    gettext_noop("But only those with publishing permissions can make them effective."),
    # wagtail/admin/templates/wagtailadmin/pages/explorable_index_results.html
    gettext_noop(
        "Pages created here will not be accessible at any URL. To add pages to an "
        "existing site, create them as children of the homepage."
    ),
    # wagtail/admin/templates/wagtailadmin/shared/usage_summary.html
    gettext_noop(
        "One or more references to this %(model_name)s prevent it from being deleted."
    ),
    # wagtail/admin/views/generic/base.py (a listing searched or filtered to nothing)
    gettext_noop("No %(model_name)s match your query."),
]
