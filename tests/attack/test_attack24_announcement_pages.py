"""Attack on the paged 公示公告 / 申报通知 listings (commit abb6521): the order the
database computes (`cms.selectors.announcements.announcement_pages`) must be the
old Python order (every page read, sorted by (starts_on, pk) reverse), a 公示
before its first day must leak through no page, no count and no home line, and
the pager must survive junk page numbers, the page cache and the English UI."""

import datetime
import random
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from tests.support.html import visible_text

pytestmark = pytest.mark.django_db

FIRST_DAY = datetime.date(2021, 3, 1)


def _titles(response):
    return re.findall(
        r'class="announcement__title" href="[^"]*">([^<]+)</a>',
        response.content.decode(),
    )


def _call_page(portal, make_call, title, opens_on):
    from cms.models import CallPage

    call = make_call(
        name=f"{title}的批次",
        opens_on=opens_on,
        closes_on=opens_on + datetime.timedelta(days=30),
    )
    return portal["calls"].add_child(
        instance=CallPage(
            title=title,
            slug=f"call-{call.pk}",
            call=call,
            how_to_apply="<p>在线申报。</p>",
        )
    )


def _notice_page(portal, make_call, title, starts_on, parent="notices"):
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
    return portal[parent].add_child(
        instance=AwardNoticePage(title=title, slug=f"notice-{notice.pk}", notice=notice)
    )


def _plain_page(portal, title, published_at, parent="notices"):
    """A plain child page (any other type is listed by its first publication day),
    its first publication at `published_at` (an aware datetime, or None)."""
    from wagtail.models import Page

    page = portal[parent].add_child(
        instance=Page(title=title, slug=f"plain-{abs(hash(title)) % 10**8}")
    )
    Page.objects.filter(pk=page.pk).update(
        first_published_at=published_at, latest_revision_created_at=None
    )
    return Page.objects.get(pk=page.pk)


def _old_order(index, today):
    """The old listing: `announcements()` over every public child, which sorts by
    (starts_on, pk) reverse — the reference the SQL order must equal."""
    from wagtail.models import Page

    from cms.models import NewsPage
    from cms.selectors import site_tree
    from cms.selectors.announcements import announcements

    rows = announcements(
        site_tree.public(Page.objects.live().child_of(index).not_type(NewsPage)),
        today=today,
    )
    return [row.page.title for row in rows]


def _new_order(index, today):
    from wagtail.models import Page

    from cms.models import NewsPage
    from cms.selectors import site_tree
    from cms.selectors.announcements import announcement_pages

    return list(
        announcement_pages(
            site_tree.public(Page.objects.live().child_of(index).not_type(NewsPage)),
            today=today,
        ).values_list("title", flat=True)
    )


def _utc(*args):
    return datetime.datetime(*args, tzinfo=datetime.UTC)


# --- order: the SQL order equals the old Python order --------------------------


def test_a_page_published_after_local_midnight_is_dated_the_local_day(
    portal, make_call
):
    # 2024-03-01 16:30 UTC is 2024-03-02 00:30 in Asia/Shanghai: the local day is
    # 03-02, later than a call opening on 03-01 and than a page of 03-01 23:59 local
    today = datetime.date(2024, 6, 1)
    _plain_page(portal, "凌晨发布的说明", _utc(2024, 3, 1, 16, 30))
    _plain_page(portal, "前一晚发布的说明", _utc(2024, 3, 1, 15, 59))
    _notice_page(portal, make_call, "三月二日公示", datetime.date(2024, 3, 2))
    _notice_page(portal, make_call, "三月一日公示", datetime.date(2024, 3, 1))

    expected = ["三月二日公示", "凌晨发布的说明", "三月一日公示", "前一晚发布的说明"]
    # the notice of 03-02 was created after the plain page: the higher id first
    assert _old_order(portal["notices"], today) == expected
    assert _new_order(portal["notices"], today) == expected

    from wagtail.models import Page

    from cms.selectors.announcements import announcement_pages

    days = dict(
        announcement_pages(
            Page.objects.child_of(portal["notices"]), today=today
        ).values_list("title", "announced_on")
    )
    assert days["凌晨发布的说明"] == datetime.date(2024, 3, 2)
    assert days["前一晚发布的说明"] == datetime.date(2024, 3, 1)


def test_a_page_with_no_publication_moment_is_dated_today(portal, make_call):
    today = timezone.localdate()
    _plain_page(portal, "未记发布时间的说明", None)
    _notice_page(portal, make_call, "今天开始的公示", today)
    _notice_page(portal, make_call, "昨天开始的公示", today - datetime.timedelta(1))
    # the old code dated it by the local date of the render, `today` here being
    # that date: it sorts with today's 公示, by page id
    expected = ["今天开始的公示", "未记发布时间的说明", "昨天开始的公示"]
    assert _old_order(portal["notices"], today) == expected
    assert _new_order(portal["notices"], today) == expected


def test_calls_opening_the_same_day_are_ordered_by_page_id_desc(
    portal, make_call, client
):
    day = datetime.date(2022, 5, 1)
    for n in range(1, 5):
        _call_page(portal, make_call, f"同日申报通知{n}", day)
    _call_page(portal, make_call, "次日申报通知", day + datetime.timedelta(1))
    expected = ["次日申报通知", *(f"同日申报通知{n}" for n in range(4, 0, -1))]
    today = timezone.localdate()
    assert _old_order(portal["calls"], today) == expected
    assert _new_order(portal["calls"], today) == expected
    assert _titles(client.get(portal["calls"].url)) == expected
    assert _titles(client.get(portal["home"].url)) == expected


def _random_mix(portal, make_call, seed):
    """A seeded mix of calls (ties on purpose), notices (some before their first
    day) and plain pages (some near local midnight, one undated) in both indexes."""
    from wagtail.models import Page

    rng = random.Random(seed)  # noqa: S311 (a reproducible test mix)
    today = timezone.localdate()
    for n in range(30):
        kind = rng.choice(["call", "notice", "page"])
        day = today + datetime.timedelta(days=rng.randint(-12, 3))
        if kind == "call":
            _call_page(portal, make_call, f"申报通知{seed}-{n}", day)
        elif kind == "notice":
            parent = rng.choice(["notices", "calls"])
            _notice_page(portal, make_call, f"公示{seed}-{n}", day, parent=parent)
        else:
            # local midnight ± a few minutes, expressed in UTC
            local_midnight = datetime.datetime.combine(
                day, datetime.time(0, 0), tzinfo=timezone.get_current_timezone()
            )
            moment = local_midnight + datetime.timedelta(minutes=rng.randint(-5, 5))
            if rng.random() < 0.1:
                moment = None
            parent = rng.choice(["notices", "calls"])
            _plain_page(portal, f"说明{seed}-{n}", moment, parent=parent)
    # one unpublished and one draft-only change: never listed
    page = Page.objects.child_of(portal["calls"]).first()
    if page is not None:
        page.specific.unpublish()
    return today


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_random_mix_is_ordered_as_before_on_every_page(
    portal, make_call, client, seed
):
    today = _random_mix(portal, make_call, seed)
    for key in ("notices", "calls"):
        old = _old_order(portal[key], today)
        assert _new_order(portal[key], today) == old
        shown = _titles(client.get(portal[key].url))
        if len(old) > 20:
            shown += _titles(client.get(portal[key].url, {"announcements_page": 2}))
        assert shown == old[:40]
    home = _titles(client.get(portal["home"].url))
    assert home == (
        _old_order(portal["notices"], today)[:5]
        + _old_order(portal["calls"], today)[:5]
    )


# --- what must not be listed ---------------------------------------------------


def test_a_notice_of_tomorrow_is_in_no_page_no_count_and_not_on_home(
    portal, make_call, client
):
    today = timezone.localdate()
    for n in range(20):
        _notice_page(
            portal, make_call, f"往期公示{n:02d}", FIRST_DAY + datetime.timedelta(n)
        )
    _notice_page(portal, make_call, "明天开始的公示", today + datetime.timedelta(1))
    _notice_page(portal, make_call, "今天开始的公示", today)

    first = client.get(portal["notices"].url)
    # 21 public lines: 20 on page 1, 1 on page 2 (the one of tomorrow not counted)
    assert _titles(first)[0] == "今天开始的公示"
    assert "第 1 页，共 2 页" in visible_text(first)
    second = client.get(portal["notices"].url, {"announcements_page": 2})
    assert _titles(second) == ["往期公示00"]
    assert "明天开始的公示" not in first.content.decode()
    assert "明天开始的公示" not in second.content.decode()
    home = client.get(portal["home"].url)
    assert _titles(home)[:1] == ["今天开始的公示"]
    assert "明天开始的公示" not in home.content.decode()


def test_drafts_private_and_unpublished_pages_are_not_listed_nor_counted(
    portal, make_call, client
):
    from wagtail.models import PageViewRestriction

    for n in range(20):
        _call_page(
            portal, make_call, f"公开通知{n:02d}", FIRST_DAY + datetime.timedelta(n)
        )
    hidden = _call_page(portal, make_call, "不公开的通知", datetime.date(2030, 1, 1))
    PageViewRestriction.objects.create(
        page=hidden, restriction_type=PageViewRestriction.LOGIN
    )
    gone = _call_page(portal, make_call, "撤下的通知", datetime.date(2030, 1, 2))
    gone.unpublish()
    draft = _call_page(portal, make_call, "草稿通知", datetime.date(2030, 1, 3))
    from wagtail.models import Page

    Page.objects.filter(pk=draft.pk).update(live=False, has_unpublished_changes=True)

    response = client.get(portal["calls"].url)
    assert len(_titles(response)) == 20
    assert _titles(response)[0] == "公开通知19"
    assert "第 1 页" not in visible_text(response)  # one page only: no pager at all
    for title in ("不公开的通知", "撤下的通知", "草稿通知"):
        assert title not in response.content.decode()
        assert title not in client.get(portal["home"].url).content.decode()


# --- the pager ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "first_title"),
    [
        ("0", "通知01"),  # below 1: the last page
        ("-1", "通知01"),
        ("99999999999999999999", "通知01"),  # past the end: the last page
        ("1.5", "通知21"),
        ("2.0", "通知21"),  # int("2.0") fails: not a page number
        ("1e9", "通知21"),
        ("nan", "通知21"),
        ("inf", "通知21"),
        ("٢", "通知01"),  # Arabic-Indic 2: Python's int() reads it as 2
        ("２", "通知01"),  # full-width 2
        ("9" * 5000, "通知21"),  # beyond int()'s digit limit: not a number
        ("", "通知21"),
        ("<script>", "通知21"),
    ],
)
def test_a_junk_page_number_shows_a_real_page(
    portal, make_call, client, value, first_title
):
    for n in range(1, 22):
        _call_page(portal, make_call, f"通知{n:02d}", FIRST_DAY + datetime.timedelta(n))
    response = client.get(portal["calls"].url, {"announcements_page": value})
    assert response.status_code == 200
    assert _titles(response)[0] == first_title


def test_repeated_and_foreign_page_params(portal, make_call, client):
    for n in range(1, 22):
        _call_page(portal, make_call, f"通知{n:02d}", FIRST_DAY + datetime.timedelta(n))
    url = portal["calls"].url
    # the last value of a repeated parameter wins (QueryDict.get)
    assert _titles(client.get(f"{url}?announcements_page=1&announcements_page=2")) == [
        "通知01"
    ]
    # the news pager's `page` does not move the announcements
    assert _titles(client.get(url, {"page": 2}))[0] == "通知21"
    both = client.get(url, {"page": 1, "announcements_page": 2})
    assert _titles(both) == ["通知01"]


def test_the_pager_in_english(portal, make_call, client, settings):
    for n in range(1, 22):
        _call_page(portal, make_call, f"通知{n:02d}", FIRST_DAY + datetime.timedelta(n))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(portal["calls"].url, {"announcements_page": 2})
    assert "Page 2 of 2" in visible_text(response)
    assert 'href="?announcements_page=1">Previous</a>' in response.content.decode()


def test_a_title_with_markup_is_escaped_in_the_listing(portal, make_call, client):
    _call_page(portal, make_call, '<img src=x onerror="alert(1)">通知', FIRST_DAY)
    for response in (client.get(portal["calls"].url), client.get(portal["home"].url)):
        html = response.content.decode()
        assert '<img src=x onerror="alert(1)">' not in html
        assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;通知" in html


def test_the_page_cache_keeps_each_page_of_the_listing_apart(
    portal, make_call, settings
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    cache.clear()
    try:
        for n in range(1, 22):
            _call_page(
                portal, make_call, f"通知{n:02d}", FIRST_DAY + datetime.timedelta(n)
            )
        url = portal["calls"].url
        first = Client().get(url)
        assert first["X-Page-Cache"] == "miss"
        second = Client().get(url, {"announcements_page": 2})
        assert second["X-Page-Cache"] == "miss"
        assert _titles(second) == ["通知01"]
        again = Client().get(url)
        assert again["X-Page-Cache"] == "hit"
        assert _titles(again)[0] == "通知21"
        again2 = Client().get(url, {"announcements_page": 2})
        assert again2["X-Page-Cache"] == "hit"
        assert _titles(again2) == ["通知01"]
        # a new call published drops both stored pages: page 2 now holds 通知02
        page = _call_page(
            portal, make_call, "通知22", FIRST_DAY + datetime.timedelta(22)
        )
        page.save_revision().publish()  # as the editor (or the service) publishes
        fresh = Client().get(url, {"announcements_page": 2})
        assert fresh["X-Page-Cache"] == "miss"
        assert _titles(fresh) == ["通知02", "通知01"]
    finally:
        cache.clear()


def test_the_two_pagers_of_an_index_keep_each_others_page(portal, make_call, client):
    """An index with both news (工作动态-style NewsPage children, its own `page`
    pager) and announcements (`announcements_page`): moving one pager must not
    send the reader back to the first page of the other."""
    from cms.models import NewsPage

    for n in range(1, 22):
        _call_page(portal, make_call, f"通知{n:02d}", FIRST_DAY + datetime.timedelta(n))
    for n in range(1, 12):
        portal["calls"].add_child(
            instance=NewsPage(
                title=f"动态{n:02d}",
                slug=f"news-{n}",
                date=FIRST_DAY + datetime.timedelta(n),
            )
        )
    html = client.get(
        portal["calls"].url, {"announcements_page": 2, "page": 2}
    ).content.decode()
    assert 'href="?page=2&amp;announcements_page=1">上一页</a>' in html
    assert 'href="?announcements_page=2&amp;page=1">上一页</a>' in html
    # a junk parameter is not carried along, nor is markup in it
    html = client.get(
        portal["calls"].url, {"announcements_page": 1, "page": "<b>"}
    ).content.decode()
    assert 'href="?announcements_page=1&amp;page=2">下一页</a>' in html
    assert 'href="?page=1&amp;announcements_page=2">下一页</a>' in html


def test_a_page_never_first_published_is_dated_by_its_latest_revision(
    portal, make_call
):
    from wagtail.models import Page

    today = timezone.localdate()
    page = _plain_page(portal, "只有修订时间的说明", None)
    # 2024-03-01 16:30 UTC: the local day is 03-02
    Page.objects.filter(pk=page.pk).update(
        latest_revision_created_at=_utc(2024, 3, 1, 16, 30)
    )
    _notice_page(portal, make_call, "三月一日公示", datetime.date(2024, 3, 1))
    _notice_page(portal, make_call, "三月三日公示", datetime.date(2024, 3, 3))
    expected = ["三月三日公示", "只有修订时间的说明", "三月一日公示"]
    assert _old_order(portal["notices"], today) == expected
    assert _new_order(portal["notices"], today) == expected
