"""Core admin registration: regions, the import job screen, admin CSS/JS, documents,
the task inbox of the dashboard (`core.inbox`)."""

from django.templatetags.static import static
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core.choosers import GuardedChooserViewSet
from core.inbox import panels_with_inbox
from core.models import Region
from core.views import ImportJobView


@register_snippet
class RegionViewSet(SnippetViewSet):
    model = Region
    chooser_viewset_class = GuardedChooserViewSet
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
    return [path("imports/<int:pk>/", ImportJobView.as_view(), name="core_import_job")]


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
