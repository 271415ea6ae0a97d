"""The platform's own name for templates: {% platform_name %}."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def platform_name():
    """The platform's name as its users know it (settings.WAGTAIL_SITE_NAME,
    社会组织孵化与资金项目管理平台), for titles, the login page and the sidebar."""
    return settings.WAGTAIL_SITE_NAME
