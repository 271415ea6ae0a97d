"""The confirmation step before a bulk or irreversible action: a summary of what will
happen, a token of what was shown, and the check that the confirming POST saw it.

A view asks an app selector for a `Confirmation` (the figures, computed from the
database now), then calls `confirmation_check`: the first POST (no token) gets the
summary page; a POST whose token is not the token of the summary as it is now (the
data changed since the page was shown, or the action was already done: a replay) is
refused with a message and the fresh summary; only a POST with the current token
goes on to the service, which stays the one place of the rule."""

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.money import wan_yuan_text, yuan_text

#: The name of the hidden field that carries the token of the summary shown.
TOKEN_FIELD = "confirm_token"  # noqa: S105 (a form field name)


def money_summary(value):
    """An amount in 元 as a summary states it, to the fen and in 万元:
    ``money_summary(Decimal("276000"))`` → "276,000.00 元（27.60 万元）"."""
    value = Decimal(value or 0)
    return _("%(yuan)s yuan (%(wan)s × 10,000 yuan)") % {
        "yuan": yuan_text(value),
        "wan": wan_yuan_text(value),
    }


@dataclass
class Confirmation:
    """What a bulk or irreversible action will do, as the confirmation page shows it.

    `action`: the button and title ("Close the review"); `subject`: the record it
    acts on; `lines`: sentences of what will happen, figures written out;
    `headings`/`rows`: an optional table of the records concerned (tuples of
    cells); `facts`: JSON-able data the token is computed from — everything the
    decision rests on (ids, statuses, amounts), so that any change makes an earlier
    page stale; `refusal`: why the action cannot be done now (no button then);
    `serious`: the button is drawn as a destructive one; `ask_reason`: the page asks
    for a reason (posted as ``reason``)."""

    action: str
    subject: str
    lines: list = field(default_factory=list)
    headings: tuple = ()
    rows: list = field(default_factory=list)
    facts: object = None
    refusal: str = ""
    serious: bool = False
    ask_reason: bool = False

    @property
    def token(self):
        """A digest (hex, 32 characters) of the action, the subject and the facts."""
        payload = json.dumps(
            [str(self.action), str(self.subject), self.facts],
            sort_keys=True,
            default=str,
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode()).hexdigest()[:32]


def confirmation_check(request, confirmation):
    """True when the POST confirms exactly this summary (its token is the current
    one). False when the page must be shown: no token yet, or a stale one — then an
    error message says that nothing was done and why (shown above the fresh
    summary)."""
    token = request.POST.get(TOKEN_FIELD)
    if not token:
        return False
    if token != confirmation.token:
        messages.error(
            request,
            _(
                "Nothing was done: the figures changed since the confirmation was "
                "shown (or the action was already done). Check the summary below."
            ),
        )
        return False
    return True


class ReasonForm(forms.Form):
    """The reason a confirmation asks for (a rejection, a termination)."""

    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3})
    )


def _frame(view, confirmation):
    """The admin frame of `view` (header, breadcrumbs) with the action appended."""
    request = view.request
    crumbs = [dict(item) for item in view.get_breadcrumbs_items()]
    if crumbs and not crumbs[-1].get("url"):
        crumbs[-1]["url"] = request.path
    crumbs.append({"url": "", "label": confirmation.action})
    return {
        "view": view,
        "page_title": confirmation.action,
        "page_subtitle": confirmation.subject,
        "header_title": f"{confirmation.action}: {confirmation.subject}",
        "header_icon": view.get_header_icon(),
        "breadcrumbs_items": crumbs,
        "header_buttons": [],
    }


def confirmation_page(
    view, confirmation, *, fields=None, back_url="", back_button=None, stale=False
):
    """The confirmation page (core/confirm.html) in `view`'s admin frame: the
    summary, hidden `fields` (the first POST's action and ids, posted again with the
    token), the confirm button, or the refusal without a button. Status 409 when
    `stale` (a token was posted that is no longer the current one), else 200."""
    request = view.request
    context = _frame(view, confirmation)
    context.update(
        confirmation=confirmation,
        fields=sorted((fields or {}).items()),
        token_field=TOKEN_FIELD,
        back_url=back_url or request.path,
        back_button=back_button,
        action_url=request.get_full_path(),
        reason_form=ReasonForm(initial={"reason": request.POST.get("reason", "")})
        if confirmation.ask_reason
        else None,
    )
    return TemplateResponse(
        request, "core/confirm.html", context, status=409 if stale else 200
    )


def confirm_or_show(view, confirmation, *, fields=None, back_url="", back_button=None):
    """None when `view.request` confirms `confirmation` (its token is the current
    one and nothing refuses the action): go on with the service call. Otherwise the
    response to return: the summary page (first POST), or the refusal of a stale
    token with the fresh summary; nothing is written either way."""
    request = view.request
    if confirmation_check(request, confirmation) and not confirmation.refusal:
        return None
    return confirmation_page(
        view,
        confirmation,
        fields=fields,
        back_url=back_url,
        back_button=back_button,
        stale=bool(request.POST.get(TOKEN_FIELD)),
    )
