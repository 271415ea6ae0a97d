"""The dashboard's queries do not grow with the records waiting: for each role, the
same number of queries with 2 and with 20 records of each kind in its inbox."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import roles
from funding.choices import ReviewStatus
from funding.models import Disbursement, Objection, Review
from funding.models.awards import DisbursementStatus
from incubator.models import Assessment, Milestone, Residency, Stage
from projects.choices import ReportStatus
from tests.support.dates import today

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def world(
    client_for,
    make_user,
    make_call,
    make_application,
    make_award,
    make_base,
    make_organization,
    make_pairing,
    make_project,
    make_report,
    make_news,
):
    """The people of every role, and `add(n)`: n more records of each kind that
    waits for one of them."""
    people = {
        role: client_for(role, f"inbox_{role}")
        for role in (
            roles.REVIEWER,
            roles.FUND_MANAGER,
            roles.FINANCE,
            roles.OPERATOR,
            roles.COORDINATOR,
            roles.EDITOR,
            roles.ADMINISTRATOR,
        )
    }
    clerk = make_user("inbox_clerk", roles.FUND_MANAGER)
    approver = make_user("inbox_approver", roles.FUND_MANAGER)
    author = make_user("inbox_author", roles.COORDINATOR)
    coordinator = people[roles.COORDINATOR].user
    base = make_base(operators=[people[roles.OPERATOR].user])
    calls = [
        make_call(name=f"批次{i}", closes_on=today() + DAY, review_due_on=today() - DAY)
        for i in range(2)
    ]
    award = make_award(amount=Decimal("3000000"))
    tranche = award.tranches.first()
    project = make_project(pairing=make_pairing(coordinators=[author, coordinator]))
    serial = iter(range(10_000))

    def add(n):
        for _ in range(n):
            i = next(serial)
            app = make_application(call=calls[i % 2], title=f"项目{i}")
            Review.objects.create(
                application=app,
                reviewer=people[roles.REVIEWER].user,
                status=ReviewStatus.ASSIGNED,
            )
            for status in (DisbursementStatus.RECORDED, DisbursementStatus.APPROVED):
                Disbursement.objects.create(
                    tranche=tranche,
                    amount=Decimal("1000"),
                    status=status,
                    recorded_by=clerk,
                    approved_by=approver if status == "approved" else None,
                )
            Objection.objects.create(
                award=award, received_on=today(), objector=f"异议人{i}", content="异议"
            )
            Residency.objects.create(
                organization=make_organization(), base=base, stage=Stage.APPLIED
            )
            assessing = Residency.objects.create(
                organization=make_organization(), base=base, stage=Stage.INCUBATING
            )
            Milestone.objects.create(
                residency=assessing, title="财务制度建立", due_on=today() - DAY
            )
            assessment = Assessment.objects.create(
                residency=assessing, pass_mark=Decimal("60")
            )
            assessment.assessors.set([people[roles.REVIEWER].user])
            make_report(
                project,
                2000 + i,
                1,
                {"jobs": "1"},
                status=ReportStatus.SUBMITTED,
                author=author,
            )
            make_report(
                project,
                2000 + i,
                2,
                {"jobs": "1"},
                status=ReportStatus.RETURNED,
                author=coordinator,
            )
            page = make_news(title=f"新闻{i}", slug=f"inbox-news-{i}")
            page.get_workflow().start(page, people[roles.EDITOR].user)

    return people, add


def _warm(people):
    """One visit each first: new pages clear Wagtail's cached site root paths,
    which the next request (whoever's) reads again."""
    for client in people.values():
        # the inbox shows something for every one of them
        assert (
            b'data-testid="inbox-task"'
            in client.get(reverse("wagtailadmin_home")).content
        )


def _queries(client):
    """The queries of the client's dashboard, after one visit that fills the
    caches (Wagtail's site root paths, cleared by page saves and read again by
    whichever request comes next)."""
    client.get(reverse("wagtailadmin_home"))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("wagtailadmin_home")).status_code == 200
    return len(captured)


def test_dashboard_queries_are_the_same_for_2_and_20_records(world):
    people, add = world
    add(2)
    with_two = {role: _queries(client) for role, client in people.items()}
    for client in people.values():
        # the inbox shows something for every one of them
        assert (
            b'data-testid="inbox-task"'
            in client.get(reverse("wagtailadmin_home")).content
        )

    add(18)

    with_twenty = {role: _queries(client) for role, client in people.items()}
    assert with_twenty == with_two
