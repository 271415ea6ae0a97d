"""The admin screens of notifications: the list, mark read (one / all) and preferences.

Every screen shows only the signed-in user's own notifications: another user's id
answers 404. Marking read is a POST (with the CSRF token). The rules are in
`core.notifications`; these views only list and record the user's choices.
"""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core.models import Notification
from core.notifications import (
    kinds_for,
    notification_mark_read,
    notification_preferences_save,
    notifications_mark_all_read,
    notifications_shown_to,
    preferences_for,
    unread_count,
)

#: Notifications per page of the list.
PER_PAGE = 50


class NotificationListView(WagtailAdminTemplateMixin, TemplateView):
    """The signed-in user's notifications, newest first, unread in bold, each
    linking to the screen that does the work (opening it marks it read)."""

    template_name = "core/notifications/list.html"
    page_title = gettext_lazy("Notifications")
    header_icon = "mail"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(notifications_shown_to(self.request.user), PER_PAGE).get_page(
            self.request.GET.get("p")
        )
        context.update(
            page=page,
            unread=unread_count(self.request.user),
            preferences_url=reverse("core_notification_preferences"),
        )
        return context


@require_POST
def notification_open(request, pk):
    """Mark one of the user's notifications read and go to its screen (the list
    when it has none). Another user's notification answers 404."""
    try:
        notification = notification_mark_read(user=request.user, pk=pk)
    except Notification.DoesNotExist:
        raise Http404 from None
    if request.POST.get("go") and notification.link.startswith("/"):
        return redirect(notification.link)
    return redirect("core_notifications")


@require_POST
def notifications_read_all(request):
    """Mark every unread notification of the user read."""
    count = notifications_mark_all_read(user=request.user)
    messages.success(
        request, _("%(count)s notifications marked read.") % {"count": count}
    )
    return redirect("core_notifications")


class PreferencesForm(forms.Form):
    """Two check boxes per kind: in the admin, by e-mail."""

    def __init__(self, *args, initial_choices, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = []
        self.kind_values = [kind.value for kind in kinds]
        for kind in kinds:
            in_admin, email = initial_choices[kind.value]
            self.fields[f"{kind.value}__in_admin"] = forms.BooleanField(
                label=_("In the admin"), required=False, initial=in_admin
            )
            self.fields[f"{kind.value}__email"] = forms.BooleanField(
                label=_("By e-mail"), required=False, initial=email
            )
            self.kinds.append(
                (
                    kind.label,
                    self[f"{kind.value}__in_admin"],
                    self[f"{kind.value}__email"],
                )
            )

    def choices(self):
        """`{kind: (in_admin, email)}` from the cleaned data."""
        return {
            kind: (
                self.cleaned_data[f"{kind}__in_admin"],
                self.cleaned_data[f"{kind}__email"],
            )
            for kind in self.kind_values
        }


class NotificationPreferencesView(WagtailAdminTemplateMixin, FormView):
    """Which kinds the signed-in user is told of, in the admin and by e-mail."""

    template_name = "core/notifications/preferences.html"
    page_title = gettext_lazy("Notification settings")
    header_icon = "cog"
    form_class = PreferencesForm

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("core_notifications"), "label": _("Notifications")},
            {"url": "", "label": self.page_title},
        ]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["initial_choices"] = preferences_for(self.request.user)
        kwargs["kinds"] = kinds_for(self.request.user)
        return kwargs

    def form_valid(self, form):
        notification_preferences_save(user=self.request.user, choices=form.choices())
        messages.success(self.request, _("Notification settings saved."))
        return redirect("core_notification_preferences")
