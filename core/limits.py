"""Daily limits per sender that hold under concurrency: a row takes one numbered
slot of its (key, day), and a unique constraint on (key, day, slot) lets only one
row have each number — so two requests that both counted ``limit - 1`` cannot both
store the last one.

Used by the self-registration (5 a day per address,
`incubator.services.accounts.account_request_submit`) and the public objection
form (3 a day per address, `funding.services.public_objections`). The model
declares the constraint; `save_in_daily_slot` picks the slot and saves."""

from django.db import IntegrityError, transaction


def used_slots(taken, slot_field):
    """The slot numbers of the rows in `taken` (the rows of one key and day), one
    per row (None for rows stored before slots were kept)."""
    return list(taken.values_list(slot_field, flat=True))


def refuse_when_full(taken, *, slot_field, limit, refusal):
    """Raise `refusal` when the key's day already has `limit` rows: the early
    check a service makes before its other checks (no probing past the limit);
    `save_in_daily_slot` holds the limit against a race."""
    if len(used_slots(taken, slot_field)) >= limit:
        raise refusal


def save_in_daily_slot(instance, *, taken, slot_field, limit, refusal):
    """Save `instance` in the first free slot 1…`limit` of its key and day.

    `taken`: the queryset of the rows of the same key and day; `slot_field`: the
    name of the slot field (in a unique constraint with the key and the day);
    `refusal`: the exception raised when the limit is reached. A slot another
    request stored meanwhile (the constraint refuses this row) is skipped for the
    next; any other IntegrityError propagates. Returns the saved instance. Call it
    inside the caller's transaction (it uses a savepoint per try)."""
    refuse_when_full(taken, slot_field=slot_field, limit=limit, refusal=refusal)
    used = used_slots(taken, slot_field)
    for slot in range(1, limit + 1):
        if slot in used:
            continue
        setattr(instance, slot_field, slot)
        try:
            with transaction.atomic():
                instance.save()
        except IntegrityError:
            if not taken.filter(**{slot_field: slot}).exists():
                raise  # another constraint refused the row
            continue
        return instance
    raise refusal
