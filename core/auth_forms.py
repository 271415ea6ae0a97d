"""The admin login form (WAGTAILADMIN_USER_LOGIN_FORM)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    """Wagtail's login form with a translated password label (Wagtail gives the
    field none, so Django showed the English "Password") and a plain refusal of a
    wrong name or password (Wagtail's Chinese read "用户 用户名 密码不匹配")."""

    error_messages = {
        **WagtailLoginForm.error_messages,
        "invalid_login": _("Wrong user name or password. Please try again."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")
