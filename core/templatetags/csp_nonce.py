"""`{% csp_nonce %}`: the nonce of the request being answered.

For the few inline scripts Wagtail's widgets and panels write without the request at
hand (core/csp.py `current_nonce`).
"""

from django import template

from core.csp import current_nonce

register = template.Library()


@register.simple_tag
def csp_nonce():
    """The request's Content-Security-Policy nonce (a str; "" outside a request)."""
    return current_nonce()
