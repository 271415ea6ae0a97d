"""What every funding admin screen shares: the role check, breadcrumbs, posted ids."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from funding.permissions import MANAGE

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def posted_object(queryset, value):
    """The object a posted id names; 404 for an id that is missing, not a number or
    not in the queryset (a tampered form, never a server error)."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    return get_object_or_404(queryset, pk=pk)


def error_text(exc):
    """The messages of a ValidationError (or FundingError) as one line, joined by
    "；", for `messages.error`."""
    if hasattr(exc, "error_dict"):
        return "；".join(m for msgs in exc.message_dict.values() for m in msgs)
    return "；".join(exc.messages)


class PermissionView(WagtailAdminTemplateMixin, TemplateView):
    permission = MANAGE
    parent_url_name = None
    parent_label = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_parent(self):
        """(url, label) of the screen this one belongs to, or None."""
        return None

    def get_breadcrumbs_items(self):
        items = list(self.breadcrumbs_items)
        parent = self.get_parent()
        if parent:
            items.append({"url": parent[0], "label": parent[1]})
        items.append({"url": "", "label": self.get_page_title()})
        return items

    def get_header_title(self):
        subtitle = self.get_page_subtitle()
        title = self.get_page_title()
        return f"{title}: {subtitle}" if subtitle else title


class PermissionMenuItem(MenuItem):
    """A menu item shown to users holding `permission`."""

    def __init__(self, *args, permission, **kwargs):
        self.permission = permission
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return request.user.has_perm(self.permission)
