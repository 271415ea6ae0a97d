"""Registers the public site's moderation tasks with the dashboard inbox
(`cms.selectors.inbox`) and its settings screen. Registration only."""

from wagtail import hooks
from wagtail.contrib.settings.registry import register_setting

from cms.models import PublicSiteSettings
from cms.selectors import inbox
from core.inbox import INBOX_HOOK

hooks.register(INBOX_HOOK, inbox.tasks)
register_setting(PublicSiteSettings, icon="site")
