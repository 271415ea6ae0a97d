"""The registry of computable metrics a target (`incubator.models.Target`) may use.

A metric is a share in % computed live from the data as of a day, within a region:
`count(on=date, region=Region | None) -> (numerator, denominator)`; the value is
numerator / denominator × 100, rounded half-up to 2 decimals, or None when the
denominator is 0. The incubator's own metrics (`incubator/selectors/metrics.py`)
read the organization registry and are registered from `incubator/apps.py`;
another app registers its metrics from its `AppConfig.ready()` with
`metric_register` (funding registers the purchase share from `funding/apps.py`, so
the incubator never imports funding).
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

# core.Region.Level values (kept as numbers: this module imports no model, so
# that the Target model can take its choices from here)
PROVINCE, PREFECTURE = 1, 2
HUNDRED = Decimal("100")
PERCENT = Decimal("0.01")


@dataclass(frozen=True)
class Metric:
    """A computable metric. `key` is stored on targets (never rename one);
    `count(on, region)` gives (numerator, denominator) as of the day `on`;
    `definition` says what is counted; `unit` names what the two numbers count
    (organizations, or yuan of contract amount, then `money` is True)."""

    key: str
    label: str
    definition: str
    count: object
    unit: str
    money: bool = False


METRICS = {}


def metric_register(metric):
    """Add (or replace) a metric in the registry; returns it."""
    METRICS[metric.key] = metric
    return metric


def metric_choices():
    """(key, label) of every registered metric, for the target's metric field."""
    return [(key, metric.label) for key, metric in METRICS.items()]


def share(numerator, denominator):
    """numerator / denominator in %, 2 decimals half-up; None when the denominator
    is 0. share(7, 9) == Decimal("77.78")."""
    if not denominator:
        return None
    return (Decimal(numerator) * HUNDRED / Decimal(denominator)).quantize(
        PERCENT, rounding=ROUND_HALF_UP
    )


def region_prefix(region):
    """The division-code prefix of a region and everything below it (GB/T 2260:
    2 digits a province, 4 a prefecture, 6 a county); "" for no region."""
    if region is None:
        return ""
    digits = {PROVINCE: 2, PREFECTURE: 4}.get(region.level, 6)
    return region.code[:digits]


def year_end(year, today):
    """The day a year is counted on: 31 December, or `today` in the current year."""
    end = date(year, 12, 31)
    return min(end, today)
