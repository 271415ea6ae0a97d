"""Dates typed as people write them: 2024年3月5日, 2024-03-05 and
2024/3/5 are the same day in every date field of the Chinese UI, and a date shows
as 2024年3月5日. Django's own zh_Hans input format "%Y年%n月%j日" refused the first
(config/formats/zh_Hans/formats.py)."""

import datetime

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from wagtail.admin.widgets import AdminDateInput

from core import roles
from funding.models.awards import AwardReport
from incubator.models import ServiceActivity, Stage
from incubator.services.residencies import residency_admit, residency_advance

MARCH_5 = datetime.date(2024, 3, 5)


@pytest.mark.parametrize(
    "typed", ["2024年3月5日", "2024年03月05日", "2024-03-05", "2024/3/5", "2024/03/05"]
)
def test_a_date_field_reads_what_people_type(typed):
    with translation.override("zh-hans"):
        assert forms.DateField().clean(typed) == MARCH_5


def test_a_date_and_time_field_reads_the_chinese_date():
    with translation.override("zh-hans"):
        value = forms.DateTimeField().clean("2024年3月5日 14:30")
    assert (value.date(), value.hour, value.minute) == (MARCH_5, 14, 30)


def test_a_date_shows_in_chinese_and_inputs_keep_iso():
    """Shown as 2024年3月5日; written back into an input as 2024-03-05, which both
    `<input type="date">` and Wagtail's date picker read."""
    with translation.override("zh-hans"):
        shown = Template("{{ day }}").render(Context({"day": MARCH_5}))
        plain_input = forms.DateInput(attrs={"type": "date"}).format_value(MARCH_5)
        picker = AdminDateInput().format_value(MARCH_5)
    assert shown == "2024年3月5日"
    assert plain_input == "2024-03-05"
    assert picker == "2024-03-05"


def test_admin_form_stores_a_typed_chinese_date(
    two_bases, make_organization, client_for
):
    """A Wagtail admin form (a service activity, its date through AdminDateInput)
    posted with 2024年3月5日 stores 2024-03-05."""
    residency = residency_admit(
        organization=make_organization(name="雨花区阳光社工服务中心"),
        base=two_bases.base_a,
        enter=True,
    )
    residency = residency_advance(residency, Stage.INCUBATING)
    client = client_for(roles.ADMINISTRATOR)
    response = client.post(
        reverse("wagtailsnippets_incubator_serviceactivity:add"),
        {
            "base": two_bases.base_a.pk,
            "kind": "training",
            "held_on": "2024年3月5日",
            "hours": "3",
            "topic": "社会组织财务管理实务培训",
            "speaker": "",
            "participants": [residency.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ServiceActivity.objects.get().held_on == MARCH_5


def test_award_desk_reads_a_typed_chinese_date(client, manager, make_award):
    """The award desk's report date, posted as 2024年3月5日 (it refused anything but
    2024-03-05: “不是日期（YYYY-MM-DD）”)."""
    award = make_award()
    client.force_login(manager)
    response = client.post(
        reverse("funding_award_desk", args=[award.pk]),
        {
            "action": "report",
            "kind": "midterm",
            "submitted_on": "2024年3月5日",
            "summary": "中期执行情况",
        },
    )
    assert response.status_code == 302
    assert AwardReport.objects.get(award=award).submitted_on == MARCH_5
