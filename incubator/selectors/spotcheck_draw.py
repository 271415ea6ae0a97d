"""The spot-check draw (双随机、一公开), as pure functions: no database here, so
that anyone holding a campaign's record can re-derive its selection.

The algorithm, stated once:

1. The candidates are the ids of the organizations in scope, **sorted ascending**.
   `candidates_hash` is the SHA-256 of ``"<ids comma-joined>|<risk ids
   comma-joined>"`` (both ascending): it fixes the list the draw started from.
2. The risk group (`risk_group_ids`) is the candidates on a credit list, or that
   failed or skipped the last annual inspection, or that have no valid rating.
3. Counts (`group_count`): per group, ``ceil(rate% × size)`` computed exactly in
   Decimal, never more than the group: 10 % of 1,600 = 160; 20 % of 100 = 20; 3 % of
   45 = 1.35 → 2. Hunan's 2023 provincial draw (10 %, 180 of about 1,700) is this
   shape: 1,600 × 10 % + 100 × 20 % = 160 + 20 = 180.
4. ``rng = random.Random(int(seed, 16))`` (Python's Mersenne Twister, stable across
   versions for integer seeds); ``rng.sample(risk, k_risk)`` then
   ``rng.sample(others, k_others)``, each over its ascending list; the selection is
   the risk picks followed by the others, in the order drawn.
5. Inspectors (`inspectors_draw`), with the same `rng` continuing: for each
   organization in selection order, ``rng.sample`` of the active inspectors sorted
   by id whose unit is not the organization's business supervisor (业务主管单位,
   compared without spaces); fewer eligible than needed raises `DrawError`.
"""

import hashlib
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal


class DrawError(ValueError):
    """The draw cannot be made (e.g. too few inspectors without a conflict)."""


def group_count(rate, size):
    """How many of a group of `size` (int) a `rate` in % (Decimal) draws:
    ceil(rate × size / 100), exact, at most `size`. ``group_count(Decimal("10"),
    1700)`` → 170; ``group_count(Decimal("3"), 45)`` → 2 (1.35 rounds up)."""
    exact = Decimal(rate) * size / Decimal(100)
    return min(size, math.ceil(exact))


def risk_group_ids(
    candidate_ids, *, credit_listed=(), failed_or_skipped=(), unrated=()
):
    """The candidates in the risk group, as a sorted list of ids: those in any of
    the three sets (ids on an active credit list; ids whose last annual inspection
    was 不合格 or 未参检; ids without a valid rating). Each set may hold ids
    outside the candidates; they are ignored."""
    risky = set(credit_listed) | set(failed_or_skipped) | set(unrated)
    return sorted(set(candidate_ids) & risky)


def candidates_hash(candidate_ids, risk_ids):
    """SHA-256 (hex) of the ascending candidate ids and risk ids (see above)."""
    text = (
        ",".join(str(i) for i in sorted(candidate_ids))
        + "|"
        + ",".join(str(i) for i in sorted(risk_ids))
    )
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class Draw:
    """What a draw picked: `selection` (organization ids in draw order),
    `risk_selected` (the ids of it from the risk group), the counts per group,
    `inspectors` ({organization id: [inspector ids]}) and the candidates' hash."""

    selection: list
    risk_selected: set
    risk_size: int
    risk_count: int
    other_size: int
    other_count: int
    candidates_hash: str
    inspectors: dict = field(default_factory=dict)


def draw(
    candidate_ids,
    risk_ids,
    *,
    seed,
    base_rate,
    risk_rate,
    supervisors=None,
    inspectors=(),
    per_check=0,
):
    """The draw of steps 1–5 above. `candidate_ids`: ids in scope; `risk_ids`:
    those of them in the risk group; `seed`: a hex string; rates in % (Decimal);
    `supervisors`: {organization id: 业务主管单位}; `inspectors`: (id, unit) pairs
    of the pool; `per_check`: inspectors per organization (0: none drawn).
    Returns a `Draw`; raises `DrawError` when inspectors run short."""
    candidates = sorted(set(candidate_ids))
    risk = sorted(set(risk_ids) & set(candidates))
    risk_set = set(risk)
    others = [i for i in candidates if i not in risk_set]
    k_risk = group_count(risk_rate, len(risk))
    k_other = group_count(base_rate, len(others))
    # reproducible on purpose; the seed itself comes from `secrets`
    rng = random.Random(int(seed, 16))  # noqa: S311
    picked_risk = rng.sample(risk, k_risk)
    picked_other = rng.sample(others, k_other)
    result = Draw(
        selection=picked_risk + picked_other,
        risk_selected=set(picked_risk),
        risk_size=len(risk),
        risk_count=k_risk,
        other_size=len(others),
        other_count=k_other,
        candidates_hash=candidates_hash(candidates, risk),
    )
    if per_check:
        result.inspectors = inspectors_draw(
            result.selection, supervisors or {}, inspectors, per_check, rng
        )
    return result


def _unit(text):
    return "".join((text or "").split())


def inspectors_draw(selection, supervisors, inspectors, per_check, rng):
    """{organization id: [inspector ids]} (step 5 above): for each organization in
    `selection` order, `per_check` inspectors sampled from the pool sorted by id,
    leaving out those whose unit is the organization's business supervisor."""
    pool = sorted(inspectors)
    chosen = {}
    for org_id in selection:
        supervisor = _unit(supervisors.get(org_id))
        eligible = [
            pk for pk, unit in pool if not supervisor or _unit(unit) != supervisor
        ]
        if len(eligible) < per_check:
            raise DrawError(org_id)
        chosen[org_id] = sorted(rng.sample(eligible, per_check))
    return chosen
