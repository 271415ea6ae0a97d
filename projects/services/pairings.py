"""Writes of the pairings' derived flag `crosses_provinces` (跨省协作): set on every
save of a pairing (`Pairing.save`), and here for the writes that bypass it — an
organization moved to another region (a `post_save` receiver, `projects.apps`),
the bulk writes of the pairing import and of `bench_generate`, and repairs.
`verify_rollups` checks the flags against the regions."""

from django.db import transaction
from django.db.models import Q

from projects.models import Pairing


@transaction.atomic
def pairings_provinces_refresh(pairings=None):
    """Set `crosses_provinces` of `pairings` (a queryset of Pairing; all when
    None) from their organization's region and their county: two UPDATEs, only of
    the rows whose flag changes. Returns how many flags changed."""
    pairings = Pairing.objects.all() if pairings is None else pairings
    # worked out over the same pairings only (an organization's few, or all)
    cross = pairings.cross_province_recomputed().values("pk")
    changed = pairings.filter(crosses_provinces=True).exclude(pk__in=cross)
    changed = changed.update(crosses_provinces=False)
    crossing = pairings.filter(crosses_provinces=False, pk__in=cross)
    return changed + crossing.update(crosses_provinces=True)


def pairings_provinces_follow(sender, instance, created=False, raw=False, **kwargs):
    """`post_save` receiver of Organization: its pairings' flags follow its
    region (an organization just created has no pairings)."""
    if created or raw:
        return
    pairings_provinces_refresh(Pairing.objects.filter(organization=instance))


def pairings_provinces_follow_region(
    sender, instance, created=False, raw=False, update_fields=None, **kwargs
):
    """`post_save` receiver of Region: a division's code corrected (its first two
    digits name the province) moves the flags of the pairings in that county and
    of the organizations registered in it (a division just created has none; a
    save of other fields only, as `load_regions` does, changes nothing)."""
    if created or raw or (update_fields is not None and "code" not in update_fields):
        return
    pairings_provinces_refresh(
        Pairing.objects.filter(Q(county=instance) | Q(organization__region=instance))
    )
