"""公示公告 and 申报通知 with years of calls behind them: each index lists twenty
lines a page, newest first, with a pager of its own; the home page shows the five
newest of each; a 公示 before its first day is on neither; and the number of
queries of both pages does not grow with the number of lines (the lines shown are
the only ones read)."""

import datetime
import re

import pytest
from django.utils import timezone

from tests.support.html import visible_text

pytestmark = pytest.mark.django_db

FIRST_DAY = datetime.date(2021, 3, 1)


def _titles(response):
    """The titles of the announcement lines, in the order shown."""
    return re.findall(
        r'class="announcement__title" href="[^"]*">([^<]+)</a>',
        response.content.decode(),
    )


def _calls(portal, make_call, count):
    """`count` call announcements, call n opening n days after FIRST_DAY."""
    from cms.models import CallPage

    for n in range(1, count + 1):
        opens_on = FIRST_DAY + datetime.timedelta(days=n)
        call = make_call(
            name=f"第{n}批福彩公益金资助项目",
            opens_on=opens_on,
            closes_on=opens_on + datetime.timedelta(days=30),
        )
        portal["calls"].add_child(
            instance=CallPage(
                title=f"第{n}批申报通知",
                slug=f"call-{n}",
                call=call,
                how_to_apply="<p>登录申报平台在线申报。</p>",
            )
        )


def _notice(portal, make_call, *, title, starts_on):
    from cms.models import AwardNoticePage
    from funding.models import PublicNotice

    notice = PublicNotice.objects.create(
        call=make_call(name=f"{title}的项目"),
        title=title,
        starts_on=starts_on,
        working_days=5,
        ends_on=starts_on + datetime.timedelta(days=7),
        objection_contact="省民政厅 0731-00000000",
    )
    portal["notices"].add_child(
        instance=AwardNoticePage(title=title, slug=f"notice-{notice.pk}", notice=notice)
    )


def test_the_calls_index_lists_twenty_a_page_newest_first(portal, make_call, client):
    _calls(portal, make_call, 23)
    url = portal["calls"].url

    first = client.get(url)
    assert _titles(first) == [f"第{n}批申报通知" for n in range(23, 3, -1)]
    text = visible_text(first)
    assert "第 1 页，共 2 页" in text
    assert 'href="?announcements_page=2">下一页</a>' in first.content.decode()
    # the 20th line's period: call 4 opened on 2021-03-05 and closed 30 days later
    assert "第4批申报通知 已截止 申报时间：2021-03-05 至 2021-04-04" in text

    second = client.get(url, {"announcements_page": 2})
    assert _titles(second) == ["第3批申报通知", "第2批申报通知", "第1批申报通知"]
    assert "第 2 页，共 2 页" in visible_text(second)
    assert 'href="?announcements_page=1">上一页</a>' in second.content.decode()
    # a page number that is not one shows the first page, one past the end the last
    assert _titles(client.get(url, {"announcements_page": "二"}))[0] == "第23批申报通知"
    assert _titles(client.get(url, {"announcements_page": 9}))[0] == "第3批申报通知"


def test_home_shows_the_five_newest_of_each_section(portal, make_call, client):
    _calls(portal, make_call, 8)
    today = timezone.localdate()
    _notice(portal, make_call, title="2021年度资助项目公示", starts_on=FIRST_DAY)
    _notice(
        portal,
        make_call,
        title="本年度资助项目公示",
        starts_on=today - datetime.timedelta(days=1),
    )
    _notice(
        portal,
        make_call,
        title="下一批资助项目公示",
        starts_on=today + datetime.timedelta(days=1),
    )

    home = client.get(portal["home"].url)
    assert _titles(home) == [
        "本年度资助项目公示",
        "2021年度资助项目公示",
        "第8批申报通知",
        "第7批申报通知",
        "第6批申报通知",
        "第5批申报通知",
        "第4批申报通知",
    ]
    # the 公示 that starts tomorrow is on neither page until its first day
    notices = client.get(portal["notices"].url)
    assert _titles(notices) == ["本年度资助项目公示", "2021年度资助项目公示"]
    assert "下一批资助项目公示" not in home.content.decode()


def test_the_queries_do_not_grow_with_the_lines(
    portal, make_call, client, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _calls(portal, make_call, 3)
    pages = {"home": portal["home"].url, "calls": portal["calls"].url}
    counts = {}
    for name, url in pages.items():
        client.get(url)  # what is read once per process (site, settings) is read
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        counts[name] = len(few)

    from cms.models import CallPage

    CallPage.objects.all().delete()
    _calls(portal, make_call, 45)
    for name, url in pages.items():
        client.get(url)  # the site tree changed: read again once
        with django_assert_num_queries(counts[name]):
            response = client.get(url)
        assert len(_titles(response)) == {"home": 5, "calls": 20}[name]
