"""Registers the public site's moderation tasks with the dashboard inbox
(`cms.selectors.inbox`). Registration only."""

from wagtail import hooks

from cms.selectors import inbox
from core.inbox import INBOX_HOOK

hooks.register(INBOX_HOOK, inbox.tasks)
