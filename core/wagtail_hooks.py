"""Core admin registration: regions, the import job screen, the admin search, admin
CSS/JS, documents, the task inbox of the dashboard (`core.inbox`), notifications (menu
item with the unread count, account menu link), avatars and the help menu."""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core.admin_search import HOOK, AdminSearchView, PlatformSearchArea, pages_section
from core.avatars import avatar_data_url
from core.choosers import RegionChooserViewSet
from core.inbox import panels_with_inbox
from core.models import Region
from core.notification_views import (
    NotificationListView,
    NotificationPreferencesView,
    notification_open,
    notifications_read_all,
)
from core.notifications import unread_count
from core.views import ImportJobView


@register_snippet
class RegionViewSet(SnippetViewSet):
    model = Region
    chooser_viewset_class = RegionChooserViewSet
    icon = "site"
    menu_label = _("Administrative divisions")
    add_to_settings_menu = True
    list_display = ["code", "name", "level", "parent", "is_key_county"]
    list_filter = ["level", "is_key_county"]
    search_fields = ["code", "name"]
    search_backend_name = None
    list_per_page = 100
    copy_view_enabled = False


@hooks.register("register_admin_urls")
def register_import_job_urls():
    return [
        path("imports/<int:pk>/", ImportJobView.as_view(), name="core_import_job"),
        path(
            "notifications/",
            NotificationListView.as_view(),
            name="core_notifications",
        ),
        path(
            "notifications/<int:pk>/read/",
            notification_open,
            name="core_notification_open",
        ),
        path(
            "notifications/read-all/",
            notifications_read_all,
            name="core_notifications_read_all",
        ),
        path(
            "notifications/settings/",
            NotificationPreferencesView.as_view(),
            name="core_notification_preferences",
        ),
        path("search/", AdminSearchView.as_view(), name="core_admin_search"),
    ]


class NotificationsMenuItem(MenuItem):
    """通知 in the sidebar, with the signed-in user's unread count after it."""

    def render_component(self, request):
        component = super().render_component(request)
        count = unread_count(request.user)
        if count:
            component.label = _("Notifications (%(count)s unread)") % {"count": count}
        return component


@hooks.register("register_admin_menu_item")
def register_notifications_menu_item():
    return NotificationsMenuItem(
        _("Notifications"),
        reverse("core_notifications"),
        name="notifications",
        icon_name="mail",
        order=50,
    )


@hooks.register("register_account_menu_item")
def notification_settings_account_item(request):
    """The notification settings from the account page."""
    return {
        "url": reverse("core_notification_preferences"),
        "label": _("Notification settings"),
        "help_text": _(
            "Choose which notifications you get in the admin and by e-mail."
        ),
    }


@hooks.register("register_admin_search_area")
def register_platform_search_area():
    """The sidebar's search box searches everything (`core.admin_search`)."""
    return PlatformSearchArea()


@hooks.register(HOOK)
def register_pages_search_section():
    return pages_section()


@hooks.register("insert_global_admin_css")
def admin_css():
    """Admin-wide layout fixes (core/static/core/css/admin.css): wide listings
    scroll sideways on a phone instead of hiding their right-hand columns."""
    return format_html(
        '<link rel="stylesheet" href="{}">', static("core/css/admin.css")
    )


@hooks.register("insert_global_admin_js")
def admin_js():
    """A form marked data-confirm="question" asks the question before it is sent
    (core/static/core/js/confirm.js), for irreversible steps."""
    return format_html('<script src="{}" defer></script>', static("core/js/confirm.js"))


@hooks.register("insert_global_admin_js")
def date_input_js():
    """Dates typed as 2024年3月5日 or 2024/3/5 reach the date pickers as 2024-03-05
    (core/static/core/js/date-input.js)."""
    return format_html(
        '<script src="{}" defer></script>', static("core/js/date-input.js")
    )


@hooks.register("before_serve_document", order=-10)
def refuse_internal_document(document, request):
    """Internal documents are downloaded only by the roles that need them, whatever
    collection they are in (core/documents.py)."""
    from core.documents import document_serve_refusal

    return document_serve_refusal(document, request)


@hooks.register("construct_homepage_panels")
def add_inbox_panel(request, panels):
    """The task inbox first on every user's dashboard (`core.inbox.InboxPanel`),
    Wagtail's moderation panels folded into it."""
    panels_with_inbox(request.user, panels)


@hooks.register("get_avatar_url")
def drawn_avatar(user, size):
    """Every avatar is drawn here from the person's name (core/avatars.py) unless they
    uploaded a picture; WAGTAIL_GRAVATAR_PROVIDER_URL is None, so no Gravatar."""
    if user is None or not hasattr(user, "last_name"):
        return None  # no person (a system entry): Wagtail's blank figure
    profile = getattr(user, "wagtail_userprofile", None)
    if profile is not None and profile.avatar:
        return None
    return avatar_data_url(user, size)


@hooks.register("construct_help_menu")
def no_links_off_site(request, menu_items):
    """The help menu keeps only what this site serves: Wagtail's "what's new" and
    editor-guide links point to guide.wagtail.org (English, and outside the
    deployment, which must work without the outside internet)."""
    menu_items[:] = [
        item
        for item in menu_items
        if not str(getattr(item, "url", "") or "").startswith(("http:", "https:", "//"))
    ]
