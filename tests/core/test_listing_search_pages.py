"""The organization and application listings while searching, as the user sees
them: the rows of each page and their order, the count, the region and call
filters (core.viewsets.CappedCountPaginator: the search runs once per request,
its ordered keys give the count and the page; core.filters: the filters' options
read as values, the select written in Python; core.viewsets.PlainColumn)."""

import datetime
import re

import pytest
from django.db import connection
from django.forms import Select as DjangoSelect
from django.template.loader import get_template
from django.test.utils import CaptureQueriesContext
from wagtail.admin.ui.tables import Column

from core import roles
from core.filters import Select
from core.models import Region
from core.viewsets import CappedCountPaginator, PlainColumn
from incubator.models import Organization
from tests.support.listings import page_without_tokens, wagtails_own_columns

pytestmark = pytest.mark.django_db

ORGANIZATIONS = "/admin/snippets/incubator/organization/"
APPLICATIONS = "/admin/snippets/funding/application/"
TITLE = re.compile(r'<span id="snippet_(\d+)_title">([^<]*)</span>')


def rows(response):
    """[(pk, name)] of the listing's rows, top to bottom."""
    assert response.status_code == 200
    return [(int(pk), name) for pk, name in TITLE.findall(response.content.decode())]


def names(response):
    return [name for _pk, name in rows(response)]


@pytest.fixture
def sixty_two(make_organization):
    """62 organizations named 益阳市社工服务中心00 (twice), 01, …, 60, and one
    in 长沙 the search for 益阳 does not find. Returns the two 00s' keys."""
    twins = [
        make_organization(name="益阳市社工服务中心00").pk,
        make_organization(name="益阳市社工服务中心00").pk,
    ]
    for n in range(60, 0, -1):  # created out of order: the order is the name's
        make_organization(name=f"益阳市社工服务中心{n:02d}")
    make_organization(name="长沙市社工服务中心01")
    return sorted(twins)


def test_search_pages_follow_the_name_then_the_key(client_for, sixty_two):
    manager = client_for(roles.FUND_MANAGER)

    first = manager.get(ORGANIZATIONS, {"q": "益阳"})
    second = manager.get(ORGANIZATIONS, {"q": "益阳", "p": 2})

    page_one = rows(first)
    assert len(page_one) == 50
    assert page_one[:2] == [
        (sixty_two[0], "益阳市社工服务中心00"),
        (sixty_two[1], "益阳市社工服务中心00"),
    ]
    assert [name for _pk, name in page_one[2:]] == [
        f"益阳市社工服务中心{n:02d}" for n in range(1, 49)
    ]
    assert names(second) == [f"益阳市社工服务中心{n:02d}" for n in range(49, 61)]
    assert "62 社会组织" in first.content.decode()
    assert "长沙市社工服务中心01" not in first.content.decode()


def test_past_the_cap_the_count_stops_and_the_last_page_ends_at_it(
    client_for, sixty_two, monkeypatch
):
    monkeypatch.setattr(CappedCountPaginator, "cap", 55)
    manager = client_for(roles.FUND_MANAGER)

    first = manager.get(ORGANIZATIONS, {"q": "益阳"})
    second = manager.get(ORGANIZATIONS, {"q": "益阳", "p": 2})

    assert len(rows(first)) == 50
    assert "匹配超过 55 条" in first.content.decode()
    assert "55+ 社会组织" in second.content.decode()
    assert names(second) == [f"益阳市社工服务中心{n:02d}" for n in range(49, 54)]


def test_the_search_runs_once_and_no_query_per_row(client_for, make_organization):
    manager = client_for(roles.FUND_MANAGER)
    manager.get(ORGANIZATIONS)  # the session and the user's first queries

    def queries(term):
        with CaptureQueriesContext(connection) as captured:
            response = manager.get(ORGANIZATIONS, {"q": term})
        assert response.status_code == 200
        searching = [q for q in captured.captured_queries if term in q["sql"]]
        return len(captured.captured_queries), len(searching)

    make_organization(name="益阳市赫山区阳光社工服务中心")
    one = queries("阳光")
    for n in range(20):
        make_organization(name=f"岳阳市第{n}阳光社工服务中心")
    twenty_one = queries("阳光")

    assert one[1] == 1  # the keys of the matches: count and page from one search
    assert twenty_one[1] == 1
    assert twenty_one[0] == one[0]


def test_region_filter_offers_a_prefecture_by_its_full_name_and_applies_it(
    client_for, make_organization
):
    changsha = Region.objects.get(code="430100")  # 湖南省长沙市
    yiyang_county = Region.objects.get(code="430921")  # 湖南省益阳市南县
    make_organization(name="雨花区阳光社工服务中心")  # 430111, under 长沙市
    make_organization(name="南县阳光社工服务中心", region=yiyang_county)
    manager = client_for(roles.FUND_MANAGER)

    response = manager.get(ORGANIZATIONS, {"q": "阳光", "region": changsha.pk})

    html = response.content.decode()
    assert f'<option value="{changsha.pk}" selected>湖南省长沙市</option>' in html
    hunan = Region.objects.get(code="430000")
    assert f'<option value="{hunan.pk}">湖南省</option>' in html
    assert names(response) == ["雨花区阳光社工服务中心"]
    yiyang = Region.objects.get(code="430900")
    assert names(manager.get(ORGANIZATIONS, {"q": "阳光", "region": yiyang.pk})) == [
        "南县阳光社工服务中心"
    ]


def test_call_filter_offers_the_calls_by_name_and_applies_it(
    client_for, make_application, make_call
):
    autumn = make_call(name="2024年度社区治理创新项目")
    make_application(title="阳光助老服务项目")
    make_application(title="阳光儿童之家项目", call=autumn)
    manager = client_for(roles.FUND_MANAGER)

    response = manager.get(APPLICATIONS, {"q": "阳光", "call": autumn.pk})

    html = response.content.decode()
    assert (
        f'<option value="{autumn.pk}" selected>2024年度社区治理创新项目</option>'
        in html
    )
    assert "2023年度福彩公益金资助项目</option>" in html
    assert names(response) == ["阳光儿童之家项目"]
    everything = names(manager.get(APPLICATIONS, {"q": "阳光"}))
    assert sorted(everything) == ["阳光儿童之家项目", "阳光助老服务项目"]


def test_select_writes_what_djangos_template_writes():
    choices = [
        ("", "---------"),
        (1, "湖南省"),
        (2, "湖南省长沙市"),
        (3, 'A & <b>"x"</b>'),
    ]
    attrs = {"id": "id_region", "aria-describedby": "id_region-helptext"}
    for value in (None, "", 2, "3"):
        ours = Select(choices=choices).render("region", value, attrs)
        django = DjangoSelect(choices=choices).render("region", value, attrs)
        assert ours == django, value
    assert (
        Select(choices=choices).render("region", 3)
        == '<select name="region">\n  <option value="">---------</option>\n\n'
        '  <option value="1">湖南省</option>\n\n'
        '  <option value="2">湖南省长沙市</option>\n\n'
        '  <option value="3" selected>A &amp; &lt;b&gt;&quot;x&quot;&lt;/b&gt;</option>\n'
        "\n</select>"
    )


def test_select_writes_what_djangos_template_writes_for_odd_choices():
    from django.utils.translation import gettext_lazy

    choices = [
        (None, "---------"),
        ("", "空"),
        (2, "第一个二"),
        ("2", "第二个二"),
        (7, gettext_lazy("Yes")),
        (8, 12345),
        ('"><script>', "<script>alert(1)</script>"),
    ]
    attrs = {"id": "id_call", "required": True, "disabled": False, "data-x": "<&>"}
    for value in (None, "", 2, "2", ["2", 7], '"><script>', "nothing"):
        ours = Select(choices=choices).render("call", value, attrs)
        django = DjangoSelect(choices=choices).render("call", value, attrs)
        assert ours == django, value
    # the first "2" only is selected, as Django's own select has it
    assert Select(choices=choices).render("call", "2").count(" selected") == 1


def test_plain_column_cells_are_the_cells_of_wagtails_template(region):
    org = Organization(
        pk=12345,
        name="<湖南> & 长沙",
        region=region,
        founded_on=datetime.date(2020, 5, 1),
        created_at=datetime.datetime(2024, 3, 1, 1, 30, tzinfo=datetime.UTC),
    )
    template = get_template("wagtailadmin/tables/cell.html")
    context = {"row": None, "table": None}
    for name, classname in (
        ("name", None),
        ("region", None),
        ("founded_on", "money-cell"),
        ("uscc", None),  # None
        ("created_at", None),
        ("pk", None),
    ):
        plain = PlainColumn(name, classname=classname)
        wagtail = Column(name, classname=classname)
        expected = template.render(wagtail.get_cell_context_data(org, context))
        assert plain.render_cell_html(org, context) == expected, name
    assert PlainColumn("name").render_cell_html(org, context) == (
        "<td >\n    &lt;湖南&gt; &amp; 长沙\n</td>\n"
    )
    assert PlainColumn("region", classname="c").render_cell_html(org, context) == (
        '<td class="c">\n    湖南省长沙市雨花区\n</td>\n'
    )


@pytest.mark.parametrize("role", [roles.ADMINISTRATOR, roles.FUND_MANAGER])
def test_stamped_title_and_plain_cells_draw_the_page_wagtails_columns_draw(
    client_for, make_organization, make_application, role, monkeypatch
):
    odd = make_organization(name='阳光 & "同心" <社工> 服务中心')
    make_organization(name="阳光社工服务中心")
    make_application(organization=odd, title='阳光 <助老> & "关爱" 项目')
    make_application(title="阳光儿童之家项目")
    client = client_for(role)

    def pages():
        return [
            page_without_tokens(client.get(path, {"q": "阳光"}).content.decode())
            for path in (ORGANIZATIONS, APPLICATIONS)
        ]

    ours = pages()
    wagtails_own_columns(monkeypatch)
    wagtails = pages()

    assert "阳光 &amp; &quot;同心&quot; &lt;社工&gt; 服务中心" in ours[0]
    assert "“阳光 &amp; &quot;同心&quot; &lt;社工&gt; 服务中心”的更多选项" in ours[0]
    assert "阳光 &lt;助老&gt; &amp; &quot;关爱&quot; 项目" in ours[1]
    if role == roles.ADMINISTRATOR:
        assert f'<a href="{ORGANIZATIONS}edit/{odd.pk}/">' in ours[0]
        assert f'href="{ORGANIZATIONS}delete/{odd.pk}/"' in ours[0]
    else:  # may look, not change
        assert f'<span id="snippet_{odd.pk}_title">阳光 &amp; ' in ours[0]
        assert f"{ORGANIZATIONS}edit/" not in ours[0]
        assert f"{ORGANIZATIONS}delete/" not in ours[0]
    assert ours == wagtails
