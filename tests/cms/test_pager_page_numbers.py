"""The public pagers number their pages: 2,000 showcases are 167 pages of twelve,
and a reader on page 2 can reach page 167 in one click, not 165 clicks of "next".
The numbers are Django's elided range: the first and last page, one either side
of the current one, "…" for each gap — seven boxes, which fit a 390 px phone."""

import re

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.utils import translation

from tests.support.html import visible_text

pytestmark = pytest.mark.django_db


def _pager(number, count=2_000, per_page=12, query=""):
    page = Paginator(range(count), per_page).page(number)
    with translation.override("zh-hans"):
        return render_to_string(
            "cms/includes/pagination.html", {"page_obj": page, "query": query}
        )


def _links(html):
    """(href, text) of every link of the pager, in order."""
    return re.findall(r'<a href="([^"]*)"[^>]*>([^<]+)</a>', html)


def test_page_two_of_167_links_its_neighbours_and_the_last_page():
    html = _pager(2)
    # the numbers first, then a line of previous · page n of m · next
    assert _links(html) == [
        ("?page=1", "1"),
        ("?page=3", "3"),
        ("?page=167", "167"),
        ("?page=1", "上一页"),
        ("?page=3", "下一页"),
    ]
    assert '<span class="pagination__current" aria-current="page">2</span>' in html
    assert "第 2 页，共 167 页" in html
    # one gap, between 3 and 167
    assert html.count("…") == 1


def test_a_page_in_the_middle_has_a_gap_each_side():
    html = _pager(80)
    numbers = [text for _href, text in _links(html) if text.isdigit()]
    assert numbers == ["1", "79", "81", "167"]
    assert html.count("…") == 2
    assert 'aria-label="第 1 页"' in html


def test_the_numbers_keep_the_filters_of_the_listing():
    html = _pager(1, query="region=430100&year=2026")
    assert ("?region=430100&amp;year=2026&amp;page=167", "167") in _links(html)


def test_one_page_shows_no_pager():
    assert _pager(1, count=12).strip() == ""


def test_the_announcements_index_numbers_its_two_pages(portal, make_call, client):
    from tests.cms.test_announcement_listing_pages import _calls

    _calls(portal, make_call, 23)
    second = client.get(portal["calls"].url, {"announcements_page": 2})
    html = second.content.decode()
    assert 'href="?announcements_page=1" aria-label="第 1 页">1</a>' in html
    assert '<span class="pagination__current" aria-current="page">2</span>' in html
    assert "第 2 页，共 2 页" in visible_text(second)
