"""Login throttling: after too many failed logins for one account, or from one
address, further attempts are refused for a while, with a message that says so.

Counts live in Django's cache (set a shared cache such as Redis when several web
processes serve the site)."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.forms import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm

MAX_FAILURES = getattr(settings, "LOGIN_MAX_FAILURES", 5)
# One office often shares one address: allow more failures per address than per account.
MAX_FAILURES_PER_ADDRESS = MAX_FAILURES * 4
LOCK_SECONDS = getattr(settings, "LOGIN_LOCK_SECONDS", 15 * 60)


def _client_address(request):
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def _keys(username, request):
    return [
        f"login-fail:user:{(username or '').lower()}",
        f"login-fail:ip:{_client_address(request)}",
    ]


def login_is_locked(username, request):
    user_key, address_key = _keys(username, request)
    return (cache.get(user_key) or 0) >= MAX_FAILURES or (
        cache.get(address_key) or 0
    ) >= MAX_FAILURES_PER_ADDRESS


@receiver(user_login_failed)
def _count_failure(sender, credentials, request=None, **kwargs):
    for key in _keys(credentials.get("username"), request):
        cache.add(key, 0, LOCK_SECONDS)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, LOCK_SECONDS)


@receiver(user_logged_in)
def _reset_on_success(sender, request, user, **kwargs):
    cache.delete(_keys(user.get_username(), request)[0])


class ThrottledLoginForm(LoginForm):
    def clean(self):
        if login_is_locked(self.data.get("username"), self.request):
            raise ValidationError(
                _(
                    "Too many failed logins. Please wait %(minutes)s minutes and try again."
                ),
                code="throttled",
                params={"minutes": LOCK_SECONDS // 60},
            )
        return super().clean()
