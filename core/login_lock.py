"""Login lockout by django-axes: the three pieces axes asks the project for.

Configured in config/settings/base.py, "Login lockout". The rule: after
AXES_FAILURE_LIMIT (5) failed logins of one account, that account cannot log in for
AXES_COOLOFF_TIME (15 minutes), even with the right password and from any address;
failures are counted per account and per (account, address), never per address alone
— hundreds of staff of one office share one address, and a stranger's guesses from
it must not lock them out. A successful login clears the account's count. Every path
that logs in goes through `django.contrib.auth.authenticate`, where axes' backend
refuses a locked account.

- `login_username`: the account a login attempt is counted against — the name
  with surrounding spaces stripped, as the login forms strip it before
  authenticating (Wagtail's `LoginForm` and Django's `AuthenticationForm`; most
  products do), and in Unicode NFKC as Django stores usernames; so " coordinator"
  and "coordinator " count against, and are locked with, "coordinator". Case is
  kept: Django compares usernames case-sensitively, so "Coordinator" is another
  account (one that does not log in as "coordinator").
- `client_address`: REMOTE_ADDR, which `core.proxy.ForwardedForMiddleware` has
  already set to the client's address behind TRUSTED_PROXY_HOPS trusted proxies.
- `lockout_response`: the login page again, with the Chinese message in place of
  "wrong password" (HTTP 429), instead of axes' bare English text.

An administrator unlocks an account with `manage.py axes_reset_username <name>`
(docs/deployment.md, "Locked-out accounts").
"""

import unicodedata

from django.conf import settings
from django.forms.forms import NON_FIELD_ERRORS
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _


def normalise_username(raw):
    """The username with surrounding whitespace stripped (as the login forms do),
    then Unicode NFKC (as Django's `UsernameField` and `User.normalize_username`
    do); None stays None. Case is kept."""
    if raw is None:
        return None
    return unicodedata.normalize("NFKC", str(raw).strip())


def login_username(request, credentials=None):
    """AXES_USERNAME_CALLABLE: the normalised username of a login attempt, from the
    credentials given to `authenticate` or else from the posted form."""
    if credentials and credentials.get("username") is not None:
        return normalise_username(credentials["username"])
    data = getattr(request, "POST", None) or {}
    return normalise_username(data.get("username"))


def client_address(request):
    """AXES_CLIENT_IP_CALLABLE: the client's address (see core/proxy.py; behind a
    proxy only when TRUSTED_PROXY_HOPS says how many to trust)."""
    return request.META.get("REMOTE_ADDR", "")


def lockout_message():
    """The refusal shown on the login page, e.g. "登录失败次数过多，请 15 分钟后再试。"."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _(
        "Too many failed logins. Please wait %(minutes)s minutes and try again."
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the login page that was about to be sent, re-drawn
    with the lockout message as the form's only general error, status 429. A login
    view that did not answer with a form (none today) gets Wagtail's login page
    with the message."""
    message = lockout_message()
    context = getattr(original_response, "context_data", None) or {}
    form = context.get("form")
    if isinstance(original_response, TemplateResponse) and hasattr(form, "errors"):
        form.errors[NON_FIELD_ERRORS] = form.error_class(
            [message], error_class="nonfield"
        )
        original_response.content = original_response.rendered_content
        original_response.status_code = 429
        return original_response

    from wagtail.admin.views.account import get_user_login_form

    form = get_user_login_form()(
        request=request, initial={"username": login_username(request, credentials)}
    )
    form.errors[NON_FIELD_ERRORS] = form.error_class([message], error_class="nonfield")
    return TemplateResponse(
        request, "wagtailadmin/login.html", {"form": form}, status=429
    ).render()
