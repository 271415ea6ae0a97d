"""Model-field helpers shared by the domain apps."""

from django.conf import settings
from django.db import models


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
