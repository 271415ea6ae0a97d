"""Targets computed live: each target's current value, whether it is met, and its
trend by year (`incubator.selectors.metrics` has the metrics and their rules)."""

from dataclasses import dataclass

from incubator.models.targets import Target
from incubator.selectors.metric_registry import METRICS, share, year_end


@dataclass(frozen=True)
class Point:
    """A metric's value as of a day: numerator of denominator, and the share (%,
    2 decimals, None without a denominator); `met` is None without a value."""

    year: int
    numerator: object
    denominator: object
    value: object
    met: object


def metric_point(target, on):
    """The target's metric as of the day `on` (a `Point`). An unknown metric (its
    app not installed) counts nothing."""
    metric = METRICS.get(target.metric)
    if metric is None:
        return Point(on.year, 0, 0, None, None)
    numerator, denominator = metric.count(on=on, region=target.region)
    value = share(numerator, denominator)
    return Point(on.year, numerator, denominator, value, target.is_met(value))


def target_trend(target, today):
    """One `Point` per year from the target's `from_year` to the deadline's year
    (or this year, if earlier), each as of 31 December (this year: today)."""
    last = min(target.deadline.year, today.year)
    return [
        metric_point(target, year_end(year, today))
        for year in range(target.from_year, last + 1)
    ]


def targets_board(today, targets=None):
    """Every target (or those given) with its metric, current value as of `today`,
    days to the deadline (negative once past) and trend: a list of dicts
    {target, metric, current, days_left, trend}."""
    targets = (
        targets if targets is not None else Target.objects.select_related("region")
    )
    rows = []
    for target in targets:
        rows.append(
            {
                "target": target,
                "metric": METRICS.get(target.metric),
                "current": metric_point(target, today),
                "days_left": (target.deadline - today).days,
                "trend": target_trend(target, today),
            }
        )
    return rows


__all__ = ["Point", "metric_point", "target_trend", "targets_board"]
