"""Uploads held back until an action is confirmed.

A form whose action asks for confirmation first (`core.confirmations`) cannot send
its file again with the confirming POST. Instead of storing the upload as a
document on the first POST (left behind when the person goes back), the file is
*staged*: kept under ``staged/`` of the private storage (never a public path, never
a Document), named by a signed token the confirmation page carries. Confirming
takes the file out of the stage (`staged_take`); "No, go back" discards it
(`staged_discard`); a stage left behind (the tab closed) is removed after
`STAGE_MAX_AGE` by `staged_purge`, which every new stage runs first."""

import datetime
import posixpath
import secrets

from django.core import signing
from django.core.files.base import ContentFile
from django.utils import timezone

from core.storage import private_storage

#: Where staged files lie in the private storage.
STAGE_DIR = "staged"
#: How long a staged file waits for its confirmation (seconds: one day).
STAGE_MAX_AGE = 24 * 60 * 60

_SALT = "core.staging"


def stage_upload(upload, *, user):
    """Keep `upload` (an UploadedFile, already checked by the caller) until the
    action is confirmed; returns the token (a signed string) that names it, valid
    for `user` only and `STAGE_MAX_AGE` seconds."""
    staged_purge()
    base = posixpath.basename(upload.name or "file")[-100:]
    name = private_storage().save(f"{STAGE_DIR}/{secrets.token_hex(16)}", upload)
    return signing.dumps({"n": name, "o": base, "u": user.pk}, salt=_SALT)


def _staged(token, user):
    """(stored name, original name) of a valid token of `user`, else None."""
    try:
        data = signing.loads(token or "", salt=_SALT, max_age=STAGE_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != user.pk:
        return None
    name = str(data.get("n") or "")
    if not name.startswith(f"{STAGE_DIR}/") or not private_storage().exists(name):
        return None
    return name, str(data.get("o") or "file")


def staged_take(token, *, user):
    """The staged file as a ContentFile named by its original name, removed from
    the stage; None when the token is not valid (forged, another user's, expired,
    already taken)."""
    found = _staged(token, user)
    if found is None:
        return None
    name, original = found
    with private_storage().open(name, "rb") as stored:
        content = ContentFile(stored.read(), name=original)
    private_storage().delete(name)
    return content


def staged_discard(token, *, user):
    """Remove the staged file of `token` (nothing when it is not valid)."""
    found = _staged(token, user)
    if found is not None:
        private_storage().delete(found[0])


def staged_purge(now=None):
    """Remove the staged files older than `STAGE_MAX_AGE`; returns how many."""
    storage = private_storage()
    if not storage.exists(STAGE_DIR):
        return 0
    limit = (now or timezone.now()) - datetime.timedelta(seconds=STAGE_MAX_AGE)
    removed = 0
    for filename in storage.listdir(STAGE_DIR)[1]:
        name = f"{STAGE_DIR}/{filename}"
        if storage.get_modified_time(name) < limit:
            storage.delete(name)
            removed += 1
    return removed
