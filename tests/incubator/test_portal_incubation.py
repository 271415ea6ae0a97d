"""我的孵化: the organization sees its stage, stage history, milestones and the
activities it took part in; it marks a milestone done (申请确认), the base operator
confirms or returns it with a reason; another organization's milestone is 404."""

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core import roles
from core.models import Notification, NotificationKind
from incubator.errors import IncubationError
from incubator.models import ClaimStatus, MilestoneClaim, OrganizationMembership
from incubator.models.activities import ServiceActivity
from incubator.services.milestones import milestone_claim, milestone_claim_decide
from incubator.services.residencies import residency_admit, residency_advance


@pytest.fixture
def setup(two_bases, make_organization, make_user):
    """Organization A resident at base A (operator A), in 孵化 since an advance;
    its user `lead`; organization B resident at base B."""

    class Setup:
        pass

    s = Setup()
    s.bases = two_bases
    s.org = make_organization(name="湖南省益阳社工服务中心")
    s.residency = residency_admit(organization=s.org, base=two_bases.base_a, enter=True)
    residency_advance(s.residency, "incubating", note="完成入驻培训")
    s.lead = make_user("lead", roles.ORGANIZATION)
    OrganizationMembership.objects.create(user=s.lead, organization=s.org)
    s.client = Client()
    s.client.force_login(s.lead)
    s.other_org = make_organization(name="湖南省春晖助残服务中心")
    s.other_residency = residency_admit(
        organization=s.other_org, base=two_bases.base_b, enter=True
    )
    s.milestone = s.residency.milestones.order_by("due_on", "pk").first()
    return s


def _text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_page_shows_stage_history_milestones_and_activities(setup):
    taken = ServiceActivity.objects.create(
        base=setup.bases.base_a,
        kind="training",
        held_on=datetime.date(2024, 3, 9),
        topic="社会组织财务管理培训",
        hours=Decimal("3"),
    )
    taken.participants.add(setup.residency)
    ServiceActivity.objects.create(
        base=setup.bases.base_a,
        kind="salon",
        held_on=datetime.date(2024, 4, 1),
        topic="未参加的沙龙",
        hours=Decimal("2"),
    )
    page = setup.client.get(reverse("incubator_portal_incubation"))
    assert page.status_code == 200
    text = _text(page)
    assert 'data-testid="stage">孵化中<' in text
    assert "完成入驻培训" in text  # the note of the stage move
    # every milestone of the base's templates, none done: 0 of N
    total = setup.residency.milestones.count()
    assert f"已完成 0/{total}（0%）" in text
    assert setup.milestone.title in text
    assert "社会组织财务管理培训" in text
    assert "未参加的沙龙" not in text
    assert "湖南省春晖助残服务中心" not in text


def test_claim_confirm_sets_the_done_date_and_tells_both_sides(setup):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = setup.client.post(
        reverse("incubator_portal_milestone_claim", args=[setup.milestone.pk]),
        {
            "note": "已在民政局完成登记，证书编号见附件",
            "done_on": yesterday.isoformat(),
        },
    )
    assert response.status_code == 302
    claim = MilestoneClaim.objects.get()
    assert claim.status == ClaimStatus.CLAIMED and claim.claimed_by == setup.lead
    told = Notification.objects.get(kind=NotificationKind.MILESTONE_CLAIMED)
    assert told.recipient == setup.bases.operator_a
    assert told.link == reverse("incubator_milestone_claim_decide", args=[claim.pk])
    # the page shows it waiting and offers no second claim
    text = _text(setup.client.get(reverse("incubator_portal_incubation")))
    assert "待确认" in text
    again = setup.client.post(
        reverse("incubator_portal_milestone_claim", args=[setup.milestone.pk]),
        {"note": "再次申请"},
    )
    assert again.status_code == 200
    assert MilestoneClaim.objects.count() == 1

    # operator B does not operate base A: 404
    path = reverse("incubator_milestone_claim_decide", args=[claim.pk])
    assert setup.bases.client_b.get(path).status_code == 404
    decided = setup.bases.client_a.post(path, {"decision": "confirmed"})
    assert decided.status_code == 302
    setup.milestone.refresh_from_db()
    assert setup.milestone.done_on == yesterday
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CONFIRMED
    assert claim.decided_by == setup.bases.operator_a
    assert Notification.objects.filter(
        kind=NotificationKind.MILESTONE_DECIDED, recipient=setup.lead
    ).exists()
    # history on the claim: created, then decided
    assert [h.status for h in claim.history.order_by("history_date")] == [
        "claimed",
        "confirmed",
    ]
    # a decided claim cannot be decided again
    with pytest.raises(IncubationError):
        milestone_claim_decide(
            claim=claim, user=setup.bases.operator_a, decision="returned", reason="x"
        )


def test_return_needs_a_reason_and_the_organization_sees_it(setup):
    claim = milestone_claim(
        milestone=setup.milestone, user=setup.lead, note="财务制度已建立"
    )
    path = reverse("incubator_milestone_claim_decide", args=[claim.pk])
    page = setup.bases.client_a.post(path, {"decision": "returned", "reason": ""})
    assert page.status_code == 200
    assert "请填写退回理由" in page.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CLAIMED
    setup.bases.client_a.post(
        path, {"decision": "returned", "reason": "请上传财务制度文本"}
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RETURNED
    setup.milestone.refresh_from_db()
    assert setup.milestone.done_on is None
    text = _text(setup.client.get(reverse("incubator_portal_incubation")))
    assert "已退回：请上传财务制度文本" in text
    # returned: it may be claimed again
    milestone_claim(milestone=setup.milestone, user=setup.lead, note="已补充")
    assert MilestoneClaim.objects.filter(status=ClaimStatus.CLAIMED).count() == 1


def test_another_organizations_milestone_is_404_and_nothing_is_stored(setup):
    other = setup.other_residency.milestones.first()
    path = reverse("incubator_portal_milestone_claim", args=[other.pk])
    assert setup.client.get(path).status_code == 404
    assert setup.client.post(path, {"note": "冒充"}).status_code == 404
    assert not MilestoneClaim.objects.exists()
    with pytest.raises(IncubationError):
        milestone_claim(milestone=other, user=setup.lead, note="冒充")


def test_a_claim_needs_a_note_and_no_future_date(setup):
    path = reverse("incubator_portal_milestone_claim", args=[setup.milestone.pk])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page = setup.client.post(path, {"note": "完成", "done_on": tomorrow.isoformat()})
    assert "完成日期不能晚于今天" in page.content.decode()
    assert not MilestoneClaim.objects.exists()
    empty = setup.client.post(path, {"note": ""})
    assert empty.status_code == 200
    assert not MilestoneClaim.objects.exists()


def test_staff_and_users_without_organization_are_refused(setup, client_for):
    fund = client_for(roles.FUND_MANAGER)
    response = fund.get(reverse("incubator_portal_incubation"))
    assert response.status_code in (302, 403)
    assert response.status_code != 200
