"""Awards: public notice in working days, objections that hold an award, the
tranche schedule, conditions, two-person approval of disbursements, the money caps
and the lifecycle up to completion or termination."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from core import roles
from funding.choices import ApplicationStatus as S
from funding.errors import FundingError
from funding.models.awards import (
    Award,
    Disbursement,
    DisbursementStatus,
    ObjectionStatus,
    ReportKind,
    TrancheCondition,
)
from funding.services.awards import (
    award_complete,
    award_report_approve,
    award_report_submit,
    award_terminate,
)
from funding.services.disbursements import (
    disbursement_approve,
    disbursement_pay,
    disbursement_record,
)
from funding.services.notices import (
    notice_close,
    notice_publish,
    objection_record,
    objection_resolve,
    working_days_end,
)
from funding.services.tranches import (
    award_schedule_set,
    tranche_amounts,
    tranche_open_condition,
)
from projects.choices import FundingKind, ReportStatus
from projects.models import FundingLink
from tests.fixtures.funding import NOTICE_START

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = timezone.localdate


def _message(exc):
    return " ".join(exc.value.messages)


def test_working_days_skip_weekends():
    # Mon 5 June 2023 + 5 working days: Mon..Fri → Fri 9 June
    assert working_days_end(D(2023, 6, 5), 5) == D(2023, 6, 9)
    # Thu 8 June: Thu, Fri, Mon, Tue, Wed → Wed 14 June
    assert working_days_end(D(2023, 6, 8), 5) == D(2023, 6, 14)
    # a notice put up on a Saturday starts counting on Monday
    assert working_days_end(D(2023, 6, 10), 1) == D(2023, 6, 12)


def _publish(call, user):
    return notice_publish(
        call,
        title="立项公示",
        starts_on=NOTICE_START,
        working_days=5,
        objection_contact="0731-00000000",
        user=user,
    )


def test_notice_objection_holds_only_that_award(approved_application, manager):
    first = approved_application(Decimal("120000"))
    second = approved_application(Decimal("80000"))
    notice = _publish(first.call, manager)
    assert notice.ends_on == D(2023, 6, 9)
    first.refresh_from_db()
    assert first.status == S.IN_PUBLIC_NOTICE
    assert first.award.approved_amount == Decimal("120000")

    with pytest.raises(FundingError) as exc:
        notice_close(notice, user=manager, on=D(2023, 6, 9))
    assert "公示期至2023-06-09" in _message(exc)

    with pytest.raises(FundingError) as exc:
        objection_record(
            second.award,
            received_on=D(2023, 6, 12),
            objector="匿名",
            content="材料不实",
            user=manager,
        )
    assert "不在公示期内" in _message(exc)
    objection = objection_record(
        second.award,
        received_on=D(2023, 6, 8),
        objector="某社区居民",
        content="服务对象人数虚报",
        user=manager,
    )

    awarded, held = notice_close(notice, user=manager, on=D(2023, 6, 12))
    assert [a.pk for a in awarded] == [first.award.pk]
    assert [a.pk for a in held] == [second.award.pk]
    assert Award.objects.get(pk=first.award.pk).awarded_on == D(2023, 6, 12)
    second.refresh_from_db()
    assert second.status == S.IN_PUBLIC_NOTICE  # held

    objection_resolve(objection, upheld=False, note="经核实人数属实", user=manager)
    second.refresh_from_db()
    assert second.status == S.AWARDED
    assert second.award.objections.get().status == ObjectionStatus.DISMISSED


def test_upheld_objection_rejects(approved_application, manager):
    app = approved_application()
    notice = _publish(app.call, manager)
    objection = objection_record(
        app.award,
        received_on=D(2023, 6, 6),
        objector="举报人",
        content="列入严重失信名单",
        user=manager,
    )
    notice_close(notice, user=manager, on=D(2023, 6, 12))
    objection_resolve(objection, upheld=True, note="异议成立", user=manager)
    app.refresh_from_db()
    assert app.status == S.REJECTED


def test_tranche_amounts_add_up_to_the_award():
    # 100,000.01 × 50% = 50,000.005 → 50,000.01 (half up); the last takes the rest
    assert tranche_amounts(Decimal("100000.01"), [Decimal(50), Decimal(50)]) == [
        Decimal("50000.01"),
        Decimal("50000.00"),
    ]
    # 100,000 in thirds: 33,330 + 33,330 + 33,340
    assert tranche_amounts(
        Decimal("100000"), [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    ) == [Decimal("33330.00"), Decimal("33330.00"), Decimal("33340.00")]


def test_percentages_must_sum_to_100(make_award, manager):
    award = make_award(sign=False)
    before = list(award.tranches.values_list("percentage", "amount"))
    assert before == [
        (Decimal("60.00"), Decimal("60000.00")),
        (Decimal("40.00"), Decimal("40000.00")),
    ]
    with pytest.raises(FundingError) as exc:
        award_schedule_set(
            award,
            [
                (60, TrancheCondition.SIGNING, ""),
                (30, TrancheCondition.FINAL_REPORT, ""),
            ],
            user=manager,
        )
    assert "合计为90%，而不是100%" in _message(exc)
    assert list(award.tranches.values_list("percentage", "amount")) == before


def test_no_payment_before_the_agreement(make_award, manager):
    award = make_award(sign=False)
    with pytest.raises(FundingError) as exc:
        disbursement_record(award.tranches.first(), amount="1000", user=manager)
    assert "签订协议前不得拨付" in _message(exc)
    assert not Disbursement.objects.exists()


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("-5", "必须大于零"),
        ("0", "必须大于零"),
        ("abc", "不是以元计的金额"),
        ("1.005", "两位小数"),
    ],
)
def test_bad_amounts(make_award, manager, amount, expected):
    award = make_award()
    with pytest.raises(FundingError) as exc:
        disbursement_record(award.tranches.first(), amount=amount, user=manager)
    assert expected in _message(exc)
    assert not Disbursement.objects.exists()


def test_tranche_cap_and_open_condition(make_award, manager):
    award = make_award()  # 100,000: 60,000 on signing, 40,000 after the final report
    first, second = award.tranches.all()
    disbursement_record(first, amount="50000", user=manager)
    with pytest.raises(FundingError) as exc:
        disbursement_record(first, amount="10000.01", user=manager)
    # 60,000 − 50,000 = 10,000 left
    assert "最多还可拨付10,000.00元" in _message(exc)
    disbursement_record(first, amount="10000", user=manager)

    with pytest.raises(FundingError) as exc:
        disbursement_record(second, amount="40000", user=manager)
    assert "结项报告尚未批准" in _message(exc)
    assert Disbursement.objects.count() == 2


def test_three_people_record_approve_and_pay(make_award, manager, finance, make_user):
    """DESIGN.md: whoever records, approves and pays are three different people."""
    award = make_award()
    chief = make_user("chief", roles.FUND_MANAGER)
    d = disbursement_record(award.tranches.first(), amount="60000", user=manager)
    with pytest.raises(FundingError) as exc:
        disbursement_pay(d, user=finance, voucher_number="V1", paid_on=TODAY())
    assert "资金管理员已审批" in _message(exc)
    with pytest.raises(FundingError) as exc:
        disbursement_approve(d, user=manager)
    assert "这笔款项由您登记，须由他人批准" in _message(exc)
    disbursement_approve(d, user=chief)
    for hand in (manager, chief):
        with pytest.raises(FundingError) as exc:
            disbursement_pay(d, user=hand, voucher_number="V1", paid_on=TODAY())
        assert "三个不同的人" in _message(exc)
    disbursement_pay(d, user=finance, voucher_number="V1", paid_on=TODAY())
    d.refresh_from_db()
    assert (d.status, d.recorded_by, d.approved_by, d.paid_by) == (
        DisbursementStatus.PAID,
        manager,
        chief,
        finance,
    )
    assert award.paid_total == Decimal("60000")
    assert d.history.count() == 3  # recorded, approved, paid


def test_lifecycle_reports_completion(make_award, manager):
    award = make_award()
    assert award.application.status == S.IN_PROGRESS
    with pytest.raises(FundingError) as exc:
        award_complete(award, user=manager)
    assert "结项报告批准后" in _message(exc)

    midterm = award_report_submit(
        award, kind=ReportKind.MIDTERM, submitted_on=D(2023, 9, 1), user=manager
    )
    award_report_approve(midterm, user=manager)
    award.application.refresh_from_db()
    assert award.application.status == S.MIDTERM_CHECKED

    final = award_report_submit(
        award, kind=ReportKind.FINAL, submitted_on=D(2023, 12, 1), user=manager
    )
    award_report_approve(final, user=manager)
    second = award.tranches.all()[1]
    assert tranche_open_condition(second) is None
    award_complete(award, user=manager, on=D(2023, 12, 20))
    award.refresh_from_db()
    assert award.application.status == S.COMPLETED
    assert award.completed_on == D(2023, 12, 20)


def test_completion_needs_the_midterm_check(make_award, manager):
    award = make_award()
    final = award_report_submit(
        award, kind=ReportKind.FINAL, submitted_on=D(2023, 12, 1), user=manager
    )
    award_report_approve(final, user=manager)
    with pytest.raises(FundingError) as exc:
        award_complete(award, user=manager)
    assert "不能变为" in _message(exc)  # in progress → completed is not in the table


def test_termination_records_what_was_paid(make_award, manager, finance, make_user):
    award = make_award()
    tranche = award.tranches.first()
    paid = disbursement_record(tranche, amount="30000", user=manager)
    disbursement_approve(paid, user=make_user("chief", roles.FUND_MANAGER))
    disbursement_pay(paid, user=finance, voucher_number="V1", paid_on=TODAY())
    pending = disbursement_record(tranche, amount="20000", user=manager)

    with pytest.raises(FundingError):
        award_terminate(award, user=manager, reason="  ")
    award_terminate(
        award, user=manager, reason="机构注销，项目无法执行", on=D(2023, 8, 1)
    )
    award.refresh_from_db()
    assert award.application.status == S.TERMINATED
    assert award.paid_at_termination == Decimal("30000")
    assert award.termination_reason == "机构注销，项目无法执行"
    pending.refresh_from_db()
    assert pending.status == DisbursementStatus.REJECTED

    with pytest.raises(FundingError) as exc:
        disbursement_record(tranche, amount="100", user=manager)
    assert "2023-08-01终止，不能再拨付" in _message(exc)


def test_outcome_condition_uses_the_linked_project(
    make_award, manager, make_project, make_pairing, make_report
):
    award = make_award(
        schedule=(
            (50, TrancheCondition.SIGNING),
            (50, TrancheCondition.PROJECT_OUTCOMES),
        )
    )
    tranche = award.tranches.all()[1]
    assert "没有关联的乡村振兴项目" in tranche_open_condition(tranche)

    # a project of the award's own organization (another
    # organization's project may not link to it, tests/projects/test_funding_link_owners.py)
    project = make_project(
        title="凤凰县宝贝小屋",
        pairing=make_pairing(organization=award.application.organization),
    )
    link = FundingLink(
        project=project,
        kind=FundingKind.GRANT_AWARD,
        amount=Decimal("50000"),
        source_type=ContentType.objects.get_for_model(Award),
        source_id=award.pk,
    )
    link.full_clean()
    assert link.fund_name == str(award.application.call.fund)
    link.save()
    report = make_report(project, 2023, 1, {}, status=ReportStatus.SUBMITTED)
    assert "没有已批准的成效报告" in tranche_open_condition(tranche)
    report.status = ReportStatus.APPROVED
    report.save()
    assert tranche_open_condition(tranche) is None
    disbursement_record(tranche, amount="50000", user=manager)
