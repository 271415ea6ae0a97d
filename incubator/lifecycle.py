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

# --- dormant organizations ------------------------------------------------------------
#
# A dormant organization's case (僵尸型社会组织清理): listed → 约谈 → 整改 → 整改完成,
# or 注销 (the organization asks to be deregistered) / 撤销登记 (the authority revokes
# it; also straight from "listed" when the organization cannot be reached, after
# public notice). Deregistration and revocation end the organization's registration
# and cannot be undone. Applied only by `dormant_case_step`
# (`incubator/services/dormant.py`); source: 民政部《关于开展“僵尸型”社会组织专项整治的通知》.

from incubator.choices import DormantStatus  # noqa: E402

D = DormantStatus

#: {status: (statuses a case in it may move to, …)}
DORMANT_TRANSITIONS = {
    D.FOUND: (D.INTERVIEWED, D.DEREGISTERED, D.REVOKED),
    D.INTERVIEWED: (D.RECTIFYING, D.DEREGISTERED, D.REVOKED),
    D.RECTIFYING: (D.RECTIFIED, D.DEREGISTERED, D.REVOKED),
    D.RECTIFIED: (),
    D.DEREGISTERED: (),
    D.REVOKED: (),
}

#: Moves that end the organization's registration: confirmed on a summary page first.
DORMANT_IRREVERSIBLE = (D.DEREGISTERED, D.REVOKED)
