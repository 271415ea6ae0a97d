"""The refusals of bulk approval name the reason a person can act on: a report
already approved is "已审核通过", even when the one selecting it wrote it (a
coordinator selecting every report of the listing must not read "须由他人审核通过"
under reports that are approved already)."""

import pytest
from django.test import Client
from django.urls import reverse

from core import roles
from projects.choices import ReportStatus

pytestmark = pytest.mark.django_db


def test_an_approved_report_is_refused_as_approved_not_as_ones_own(
    make_user, make_pairing, make_project, make_report
):
    zhou = make_user("zhou", roles.COORDINATOR)
    project = make_project(
        pairing=make_pairing(coordinators=[zhou]), title="永顺县宝贝小屋"
    )
    approved = make_report(
        project, 2023, 1, {"beneficiaries": 200}, ReportStatus.APPROVED, zhou
    )
    own = make_report(
        project, 2023, 2, {"beneficiaries": 260}, ReportStatus.SUBMITTED, zhou
    )
    client = Client()
    client.force_login(zhou)
    url = reverse("wagtail_bulk_action", args=["projects", "outcomereport", "approve"])
    page = client.get(
        f"{url}?next=/admin/&id={approved.pk}&id={own.pk}"
    ).content.decode()

    rows = page[page.index("以下 2 份报告不能审核通过") :]
    approved_row = rows[rows.index("永顺县宝贝小屋 · 2023年上半年") :]
    approved_row = approved_row[: approved_row.index("</tr>")]
    assert "该报告已审核通过。" in approved_row
    assert "由您填报" not in approved_row
    own_row = rows[rows.index("永顺县宝贝小屋 · 2023年下半年") :]
    own_row = own_row[: own_row.index("</tr>")]
    assert "本报告由您填报，须由他人审核通过或退回。" in own_row
