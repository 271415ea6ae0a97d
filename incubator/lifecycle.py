"""The residency stage machine as one table: from each stage, the stages it may move to.

入驻 → 孵化 → 评估 → 出壳. Closed stages (graduated, withdrawn, terminated) allow no
move at all; `assessing → incubating` is a failed assessment (incubate longer). The
rules that go with a move (a reason for the side exits, a free place to enter, a
passed assessment to graduate) are checked by `residency_advance` in
`incubator/services/residencies.py`, the only code that applies this table.
"""

from incubator.models import Stage

S = Stage

#: {stage: (stages a residency in it may move to, …)}
TRANSITIONS = {
    S.APPLIED: (S.ENTERED, S.WITHDRAWN),
    S.ENTERED: (S.INCUBATING, S.WITHDRAWN, S.TERMINATED),
    S.INCUBATING: (S.ASSESSING, S.WITHDRAWN, S.TERMINATED),
    S.ASSESSING: (S.GRADUATED, S.INCUBATING, S.WITHDRAWN, S.TERMINATED),
    S.GRADUATED: (),
    S.WITHDRAWN: (),
    S.TERMINATED: (),
}

#: A milestone claim (申请确认, `MilestoneClaim`): the operator confirms or
#: returns it; both are final (a returned milestone is claimed again with a new
#: claim). Applied by `incubator/services/milestones.py` only.
MILESTONE_TRANSITIONS = {
    "claimed": ("confirmed", "returned"),
    "confirmed": (),
    "returned": (),
}
