"""Wagtail's account page without the moderation switches our notification settings replaced."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.account import NotificationPreferencesForm
from wagtail.admin.views.account import AccountView, NotificationsSettingsPanel

#: Wagtail's own moderation switches (UserProfile fields). Its moderation e-mails
#: are replaced by `cms.notifications`, whose kinds each person turns on or off in
#: 通知设置 (`core_notification_preferences`), so these switches would change
#: nothing.
REPLACED_SWITCHES = [
    "submitted_notifications",
    "approved_notifications",
    "rejected_notifications",
]


class CommentNotificationsForm(NotificationPreferencesForm):
    """Wagtail's notification form with only the switch Wagtail still acts on:
    e-mails about comments on pages the user edits or comments on (for the
    people who may edit pages; Wagtail's form drops it for the others)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in REPLACED_SWITCHES:
            self.fields.pop(name, None)
        field = self.fields.get("updated_comments_notifications")
        if field is not None:
            field.help_text = _(
                "E-mails when comments are added, resolved or deleted on a page "
                "you follow. Every other notification is chosen under More "
                "actions → Notification settings."
            )


class CommentNotificationsPanel(NotificationsSettingsPanel):
    """The 通知 panel of the account page with `CommentNotificationsForm`; hidden
    (as Wagtail hides it) when no switch is left."""

    form_class = CommentNotificationsForm


class PlatformAccountView(AccountView):
    """Wagtail's account page (served at its own path, before Wagtail's admin URLs),
    with `CommentNotificationsPanel` in place of Wagtail's notification panel, so
    no switch is shown that sends nothing. Choice (the issue is silent): moderation
    notices are ours (`cms.notifications`), comment e-mails stay Wagtail's."""

    def get_panels(self):
        panels = super().get_panels()
        replaced = []
        for panel in panels:
            if type(panel) is NotificationsSettingsPanel:
                panel = CommentNotificationsPanel(
                    panel.request, panel.user, panel.profile
                )
                if not panel.is_active():
                    continue
            replaced.append(panel)
        return replaced
