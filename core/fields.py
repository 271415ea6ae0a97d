"""Model-field helpers shared by the domain apps."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _

from core.numbers import count_display


def user_fk(verbose_name, *, blank=False, editable=True):
    """A "recorded by / approved by / paid by" column: the user who did a step.

    Nullable, SET_NULL on delete (the record outlives the account), no reverse
    accessor (`related_name="+"`). `blank` and `editable` as on any field. Produces
    exactly the column the apps declared by hand before, so no migration follows."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=blank,
        editable=editable,
        related_name="+",
    )


def text_refusals(model, **values):
    """Why texts cannot be stored in their columns: `{field: [message]}` for each
    value (str) longer than the `max_length` of `model`'s field of that name
    ("最多 200 个字，现为 5,000 个字。"), or holding a NUL character (which
    PostgreSQL cannot store); empty when every one fits. A service refuses the
    text whole (a `DomainError` with this dict) instead of cutting it or letting
    the database fail. The project's rule: bad input gets a clear error in the
    user's language, and nothing stored is lost."""
    refusals = {}
    for name, value in values.items():
        text = str(value or "")
        limit = model._meta.get_field(name).max_length
        if "\x00" in text:
            refusals[name] = [_("The text contains a null character.")]
        elif limit is not None and len(text) > limit:
            refusals[name] = [
                _("At most %(max)s characters, %(count)s given.")
                % {"max": count_display(limit), "count": count_display(len(text))}
            ]
    return refusals
