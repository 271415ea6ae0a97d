"""Attack on bf777f3 (the public pagers number their pages: `page_numbers`, Django's
elided range, in cms/includes/pagination.html): junk page numbers on each listing,
markup through the showcase filters into the new links, the two pagers of one
index, the English UI and its ellipsis, the screen-reader marks, print.

What held up is asserted below; two faults older than bf777f3 found on the same
listings are strict xfails (no production code changed here)."""

import datetime
import re
from pathlib import Path

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.utils import translation

from tests.support.html import visible_text

pytestmark = pytest.mark.django_db

CMS = Path(__file__).resolve().parents[2] / "cms"


def _navs(html):
    return re.findall(r'<nav class="pagination".*?</nav>', html, re.S)


def _current(nav):
    """The number the pager marks as the current page."""
    return re.findall(
        r'<span class="pagination__current" aria-current="page">(\d+)<', nav
    )


def _number_links(nav):
    """(href, aria-label, text) of each numbered link of one pager."""
    return re.findall(
        r'<a href="([^"]*)" aria-label="([^"]*)">([^<]+)</a>',
        nav.split('class="pagination__steps"')[0],
    )


def _news_titles(html):
    return re.findall(r'<div>\s*<a href="/news/[^"]+">([^<]+)</a>', html)


@pytest.mark.parametrize(
    "value, page",
    [
        ("0", 3),  # below 1 and beyond the end: the last page (Django's get_page)
        ("-1", 3),
        ("99999999999999999999", 3),
        ("9" * 5000, 1),  # beyond int()'s digit limit: not a number
        ("abc", 1),
        ("2.0", 1),
        ("", 1),
        ("２", 2),  # full-width 2
        ('2"><script>alert(1)</script>', 1),
    ],
)
def test_a_junk_page_number_shows_the_page_the_pager_marks(
    cms_site, make_news, client, value, page
):
    """25 news are 3 pages of 10: whatever ?page= says, the rows shown are the
    page the numbers mark as current and "第 n 页，共 3 页" names."""
    for n in range(25):
        make_news(title=f"动态{n:02d}")
    response = client.get(cms_site["news"].url, {"page": value})
    assert response.status_code == 200
    html = response.content.decode()
    (nav,) = _navs(html)
    assert _current(nav) == [str(page)]
    assert f"第 {page} 页，共 3 页" in visible_text(response)
    # newest first: page 1 starts at 动态24, page 2 at 动态14, page 3 at 动态04
    titles = _news_titles(html)
    assert titles[0] == f"动态{24 - 10 * (page - 1):02d}"
    assert len(titles) == (5 if page == 3 else 10)
    # every numbered link goes to a page other than the current one, never the junk
    assert [text for _h, _l, text in _number_links(nav)] == [
        str(n) for n in (1, 2, 3) if n != page
    ]
    assert "<script>alert(1)" not in html


def test_markup_in_the_showcase_filters_never_reaches_the_number_links(
    cms_site, make_showcase, client
):
    for n in range(13):
        make_showcase(title=f"社会组织{n:02d}", graduation_year=2024)
    url = cms_site["showcase"].url
    html = client.get(
        url,
        {
            "region": '"><script>alert(1)</script>',
            "field": '1" onmouseover="alert(1)',
            "year": "2024",
            "page": 2,
        },
    ).content.decode()
    (nav,) = _navs(html)
    # only the valid filter is kept, urlencoded and escaped in the links
    assert _number_links(nav) == [("?year=2024&amp;page=1", "第 1 页", "1")]
    assert _current(nav) == ["2"]
    assert "<script>alert(1)" not in html
    assert 'onmouseover="alert(1)' not in html


@pytest.mark.parametrize("params", [{"year": "²"}, {"field": "①"}, {"field": "9" * 30}])
def test_a_unicode_digit_in_a_showcase_filter_is_ignored_not_a_500(
    cms_site, make_showcase, params
):
    from django.test import Client

    for n in range(13):
        make_showcase(title=f"社会组织{n:02d}", graduation_year=2024)
    response = Client(raise_request_exception=False).get(
        cms_site["showcase"].url, {**params, "page": 2}
    )
    assert response.status_code == 200
    (nav,) = _navs(response.content.decode())
    assert _number_links(nav) == [("?page=1", "第 1 页", "1")]


def _index_with_two_pagers(portal, make_call):
    """申报通知 with 21 call announcements (2 pages of 20) and 11 news (2 pages of
    10): both pagers on one page."""
    from cms.models import NewsPage
    from tests.cms.test_announcement_listing_pages import FIRST_DAY, _calls

    _calls(portal, make_call, 21)
    for n in range(1, 12):
        portal["calls"].add_child(
            instance=NewsPage(
                title=f"动态{n:02d}",
                slug=f"news-{n}",
                date=FIRST_DAY + datetime.timedelta(n),
            )
        )
    return portal["calls"].url


def test_the_number_links_of_each_pager_keep_the_other_pagers_page(
    portal, make_call, client
):
    url = _index_with_two_pagers(portal, make_call)
    html = client.get(url, {"announcements_page": 2, "page": 2}).content.decode()
    announcements, news = _navs(html)
    assert _number_links(announcements) == [
        ("?page=2&amp;announcements_page=1", "第 1 页", "1")
    ]
    assert _current(announcements) == ["2"]
    assert _number_links(news) == [("?announcements_page=2&amp;page=1", "第 1 页", "1")]
    assert _current(news) == ["2"]
    # a junk number in one pager's parameter is carried as the page it shows
    html = client.get(url, {"announcements_page": "-5", "page": "x"}).content.decode()
    announcements, news = _navs(html)
    assert _number_links(announcements) == [
        ("?page=1&amp;announcements_page=1", "第 1 页", "1")
    ]
    assert _number_links(news) == [("?announcements_page=2&amp;page=2", "第 2 页", "2")]


@pytest.mark.xfail(
    strict=True,
    reason="pre-existing (news_index_page.html, not bf777f3): both pagers are "
    '<nav aria-label="分页">: two landmarks a screen reader lists with one name '
    "(axe best-practice landmark-unique)",
)
def test_the_two_pagers_of_one_index_are_told_apart_by_their_names(
    portal, make_call, client
):
    url = _index_with_two_pagers(portal, make_call)
    html = client.get(url).content.decode()
    labels = re.findall(r'<nav class="pagination" aria-label="([^"]*)"', html)
    assert len(labels) == 2
    assert labels[0] != labels[1]


def _pager(number, language, count=2_000):
    page = Paginator(range(count), 12).page(number)
    with translation.override(language):
        return render_to_string(
            "cms/includes/pagination.html",
            {"page_obj": page, "query": "year=2024"},
        )


@pytest.mark.parametrize(
    "language, nav_label, page_label, position",
    [
        ("zh-hans", "分页", "第 {} 页", "第 80 页，共 167 页"),
        ("en", "Pagination", "Page {}", "Page 80 of 167"),
    ],
)
def test_the_ellipsis_and_the_labels_in_either_language(
    language, nav_label, page_label, position
):
    """Page 80 of 167: "1 … 79 80 81 … 167" in both UIs — Paginator.ELLIPSIS is a
    lazy translation, still told from a number under each language."""
    nav = _pager(80, language)
    assert f'<nav class="pagination" aria-label="{nav_label}">' in nav
    assert nav.count('<span class="pagination__gap" aria-hidden="true">…</span>') == 2
    assert "…" not in re.sub(r'<span class="pagination__gap"[^>]*>…</span>', "", nav)
    assert _number_links(nav) == [
        (f"?year=2024&amp;page={n}", page_label.format(n), str(n))
        for n in (1, 79, 81, 167)
    ]
    assert _current(nav) == ["80"]
    assert position in nav
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", nav)).split()
    assert text[:7] == ["1", "…", "79", "80", "81", "…", "167"]


def test_the_chinese_pager_has_no_english_words():
    for number in (1, 4, 80, 164, 167):
        nav = _pager(number, "zh-hans")
        shown = re.sub(r"<[^>]+>", " ", nav)
        labels = " ".join(re.findall(r'aria-label="([^"]*)"', nav))
        assert not re.search(r"[A-Za-z]", shown + labels), (number, shown, labels)


@pytest.mark.parametrize(
    "number, shown",
    [
        (1, ["1", "2", "…", "167"]),
        (4, ["1", "2", "3", "4", "5", "…", "167"]),
        (5, ["1", "…", "4", "5", "6", "…", "167"]),
        (164, ["1", "…", "163", "164", "165", "166", "167"]),
        (167, ["1", "…", "166", "167"]),
    ],
)
def test_at_most_seven_boxes_and_the_current_one_is_marked(number, shown):
    nav = _pager(number, "zh-hans")
    boxes = re.findall(
        r'<(?:a|span) (?:href="[^"]*" aria-label="[^"]*"|class="pagination__'
        r'(?:gap|current)"[^>]*)>([^<]+)<',
        nav.split('class="pagination__steps"')[0],
    )
    assert boxes == shown
    assert _current(nav) == [str(number)]
    assert nav.count('aria-current="page"') == 1


def test_the_pager_is_not_printed():
    base = (CMS / "templates/cms/base.html").read_text()
    assert 'cms/css/print.css\' %}" media="print"' in base
    css = (CMS / "static/cms/css/print.css").read_text()
    hidden = re.search(r"([^{}]*)\{\s*display:\s*none\s*!important;\s*\}", css)
    assert ".pagination" in [s.strip() for s in hidden.group(1).split(",")]
