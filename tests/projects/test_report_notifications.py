"""Outcome-report notifications, done through the services: approved or returned
tells its author (with the reason), no one else; the decider is never told."""

import pytest
from django.core import mail
from django.urls import reverse

from core import roles
from core.models import Notification, NotificationKind
from projects.choices import ReportStatus
from projects.services.reports import report_approve, report_return, report_submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]


@pytest.fixture
def team(make_user, make_pairing, make_project):
    author = make_user("author", roles.COORDINATOR)
    checker = make_user("checker", roles.COORDINATOR)
    make_user("outsider", roles.COORDINATOR)
    project = make_project(pairing=make_pairing(coordinators=[author, checker]))
    return author, checker, project


def _submitted(make_report, project, author):
    report = make_report(
        project, 2024, 1, {"jobs": "12"}, status=ReportStatus.DRAFT, author=author
    )
    return report_submit(report, user=author)


def _told():
    return [
        (n.recipient.username, n.title)
        for n in Notification.objects.filter(kind=NotificationKind.REPORT_DECIDED)
    ]


def test_a_returned_report_tells_its_author_with_the_reason(
    team, make_report, django_capture_on_commit_callbacks
):
    author, checker, project = team
    report = _submitted(make_report, project, author)
    with django_capture_on_commit_callbacks(execute=True):
        report_return(report, user=checker, reason="请补充销售票据")
    assert _told() == [("author", f"成效报告被退回：{report}。原因：请补充销售票据")]
    assert Notification.objects.get().link == reverse(
        "wagtailsnippets_projects_outcomereport:edit", args=[report.pk]
    )
    assert [m.to for m in mail.outbox] == [["author@example.org"]]
    assert "原因：请补充销售票据" in mail.outbox[0].subject


def test_an_approved_report_tells_its_author(
    team, make_report, django_capture_on_commit_callbacks
):
    author, checker, project = team
    report = _submitted(make_report, project, author)
    with django_capture_on_commit_callbacks(execute=True):
        report_approve(report, user=checker)
    assert _told() == [("author", f"成效报告已通过：{report}")]
    assert [m.to for m in mail.outbox] == [["author@example.org"]]


def test_an_author_no_longer_on_the_pairing_is_not_told(team, make_report):
    author, checker, project = team
    report = _submitted(make_report, project, author)
    project.pairing.coordinators.remove(author)
    report_approve(report, user=checker)
    assert _told() == []
