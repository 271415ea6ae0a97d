"""Wagtail's chooser widgets under the Content-Security-Policy.

Wagtail 8's `BaseChooser.render` (the page, image, document, snippet and task
choosers of every edit form) writes its initialising script inline as
`<script>new PageChooser(...)</script>`, which `script-src 'self' 'nonce-…'` refuses.
`install()` makes it write the same script with the request's nonce
(core/csp.py `current_nonce`). Only the script Wagtail builds itself gets the nonce,
and `</` inside it is written `<\\/` so that a title in the widget's data cannot
close the tag and start one of its own. The inline panels and date inputs get their
nonce from templates in core/templates/wagtailadmin/."""

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.admin.widgets.chooser import BaseChooser

from core.csp import current_nonce


def _render(self, name, value, attrs=None, renderer=None):
    """`BaseChooser.render` (Wagtail 8.0) with the nonce on its script."""
    try:
        id_ = attrs["id"]
    except (KeyError, TypeError) as e:
        raise TypeError(
            "BaseChooser cannot be rendered without an 'id' attribute"
        ) from e
    value_data = self.get_value_data(value)
    widget_html = self.render_html(name, value_data, attrs)
    js = self.render_js_init(id_, name, value_data).replace("</", "<\\/")
    script = format_html(
        '<script nonce="{}">{}</script>',
        current_nonce(),
        mark_safe(js),  # noqa: S308 - Wagtail's own JSON-built call
    )
    return mark_safe(f"{widget_html}{script}")  # noqa: S308 - widget_html is Wagtail's rendered template


def install():
    """Replace `BaseChooser.render` (called once, from CoreConfig.ready)."""
    BaseChooser.render = _render
