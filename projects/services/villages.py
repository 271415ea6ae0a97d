"""Loading towns and villages from the shipped division data into `Village`."""

import re
from dataclasses import dataclass, field
from itertools import groupby

from django.db import transaction
from django.utils.translation import gettext as _

from core.models import Region
from projects import divisions
from projects.errors import ProjectsError
from projects.models import Village

BATCH = 2000

_COMMITTEE = (
    ("村民委员会", "村"),
    ("村委会", "村"),
    ("居民委员会", ""),
    ("居委会", ""),
)


def village_short_name(name):
    """The name of a village as officers write it, from its committee's name:
    伴湖村村民委员会, 伴湖村委会 → 伴湖村; 首车社区居民委员会 → 首车社区. A name without a
    committee suffix is returned as it is."""
    for suffix, ending in _COMMITTEE:
        if name.endswith(suffix):
            base = name[: -len(suffix)]
            return base if not ending or base.endswith(ending) else base + ending
    return name


@dataclass
class VillageLoad:
    """What one `villages_load` run did. Counts are villages of the data:
    `created` new, `coded` recorded by hand before and now given their code,
    `updated` already loaded with a changed name or town (a newer data package),
    `unchanged`; `conflicts` the codes not written because another village of the
    county already has the same town and name; `missing_counties` {6-digit county
    code: number of villages} of the counties not in the division table (Region),
    which are skipped."""

    created: int = 0
    coded: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: list = field(default_factory=list)
    missing_counties: dict = field(default_factory=dict)

    @property
    def skipped(self):
        return sum(self.missing_counties.values())


def _prefixes(provinces, counties):
    """The code prefixes selected by province (2 digits, or 6 ending in 0000) and
    county (6 digits) codes; ProjectsError on a malformed code."""
    prefixes = []
    for code in provinces:
        code = str(code).strip()
        if re.fullmatch(r"\d{2}(0000)?", code):
            prefixes.append(code[:2])
        else:
            raise ProjectsError(
                _("“%(code)s” is not a province code (two digits, e.g. 43).")
                % {"code": code}
            )
    for code in counties:
        code = str(code).strip()
        if re.fullmatch(r"\d{6}", code):
            prefixes.append(code)
        else:
            raise ProjectsError(
                _("“%(code)s” is not a county code (six digits, e.g. 433127).")
                % {"code": code}
            )
    return prefixes


def villages_load(*, provinces=(), counties=(), progress=None):
    """Load the villages of the shipped data (`projects.divisions`) under the given
    province codes (e.g. ``["43"]``) and county codes (e.g. ``["433127"]``); the
    whole country when both are empty. Returns a `VillageLoad`.

    All or nothing (one transaction) and idempotent: a village already loaded
    (same code) is updated only when the data changed it; a village recorded by
    hand without a code, in the same county, with the same town (or no town) and
    the same name as officers write it (`village_short_name`), gets the code and
    town code instead of a second record. Villages of a county missing from the
    division table are counted, not loaded. Rows are written in batches of
    `BATCH`, one county at a time, so the whole country (620,573 villages) fits
    in little memory. `progress(county_code, load)` is called after each county.

    Raises ProjectsError for a malformed code, or a code under which the data has
    no village."""
    prefixes = _prefixes(provinces, counties)
    county_ids = dict(
        Region.objects.filter(level=Region.Level.COUNTY).values_list("code", "pk")
    )
    load = VillageLoad()
    seen = set()
    pending = []
    with transaction.atomic():
        rows = divisions.villages(prefixes)
        for county_code, group in groupby(rows, key=lambda v: v.county_code):
            group = list(group)
            seen.update(p for p in prefixes if county_code.startswith(p))
            county_id = county_ids.get(county_code)
            if county_id is None:
                load.missing_counties[county_code] = len(group)
                continue
            pending.extend(_county_load(county_id, group, load))
            if len(pending) >= BATCH:
                Village.objects.bulk_create(pending, batch_size=BATCH)
                pending = []
            if progress is not None:
                progress(county_code, load)
        Village.objects.bulk_create(pending, batch_size=BATCH)
        unmatched = [p for p in prefixes if p not in seen]
        if unmatched:
            raise ProjectsError(
                _("The division data have no village under %(codes)s.")
                % {"codes": "、".join(unmatched)}
            )
    return load


def _county_load(county_id, data, load):
    """Bring the villages of one county (`data`: its `DivisionVillage`s) into the
    database: update the loaded ones, give hand-recorded ones their code, and
    return the new (unsaved) villages. Counts go to `load`."""
    codes = [v.code for v in data]
    stored = list(
        Village.objects.filter(county_id=county_id)
        | Village.objects.filter(code__in=codes)
    )
    by_code = {v.code: v for v in stored if v.code}
    taken = {(v.county_id, v.town, v.name) for v in stored}
    hand = [v for v in stored if not v.code and v.county_id == county_id]
    short_counts = {}
    for v in data:
        short = village_short_name(v.name)
        short_counts[short] = short_counts.get(short, 0) + 1
    changed, new = [], []
    for v in data:
        village = by_code.get(v.code)
        if village is None:
            village = _hand_match(hand, v, short_counts)
            if village is not None:
                hand.remove(village)
                taken.discard((village.county_id, village.town, village.name))
                village.code, village.town_code = v.code, v.town_code
                village.town = village.town or v.town_name
                load.coded += 1
                changed.append(village)
                taken.add((village.county_id, village.town, village.name))
                continue
            key = (county_id, v.town_name, v.name)
            if key in taken:
                load.conflicts.append(v.code)
                continue
            taken.add(key)
            new.append(
                Village(
                    county_id=county_id,
                    code=v.code,
                    town=v.town_name,
                    town_code=v.town_code,
                    name=v.name,
                )
            )
            load.created += 1
            continue
        wanted = (county_id, v.town_name, v.town_code, v.name)
        if (village.county_id, village.town, village.town_code, village.name) == wanted:
            load.unchanged += 1
            continue
        key = (county_id, v.town_name, v.name)
        if key in taken and key != (village.county_id, village.town, village.name):
            load.conflicts.append(v.code)
            continue
        taken.discard((village.county_id, village.town, village.name))
        taken.add(key)
        village.county_id, village.town, village.town_code, village.name = wanted
        changed.append(village)
        load.updated += 1
    if changed:
        Village.objects.bulk_update(
            changed, ["county", "town", "town_code", "name", "code"], batch_size=500
        )
    return new


def _hand_match(hand, data_village, short_counts):
    """The hand-recorded village (no code) of `hand` that is `data_village`: same
    town and same short name; or no town and a short name that only this village
    of the county has. None when there is none."""
    short = village_short_name(data_village.name)
    for village in hand:
        if village_short_name(village.name) != short:
            continue
        if village.town == data_village.town_name:
            return village
        if not village.town and short_counts.get(short) == 1:
            return village
    return None
