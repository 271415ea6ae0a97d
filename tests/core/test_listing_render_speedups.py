"""The listing speed-ups of the page's drawing draw what Wagtail and Django draw:
`PlainColumn`'s choice labels read once per column, `PlainRowsTableMixin`'s rows
written by Python, the service-field filter read as values, and the invitation
buttons of a department user without a query."""

import re

import pytest
from django.db import connection
from django.template import Context
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from wagtail.admin.ui.tables import Column, Table

from core import roles
from core.viewsets import PlainColumn, PlainRowsTableMixin
from incubator.models import (
    Organization,
    OrganizationMembership,
    ServiceField,
)
from incubator.services.residencies import residency_admit
from tests.support.listings import page_without_tokens, wagtails_own_listing

pytestmark = pytest.mark.django_db

ORGANIZATIONS = "/admin/snippets/incubator/organization/"
APPLICATIONS = "/admin/snippets/funding/application/"


def test_choice_label_columns_say_what_djangos_display_says(
    make_organization, monkeypatch
):
    org = make_organization(name="甲")
    column = PlainColumn("get_org_type_display")
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for value in ("social_group", "foundation", "community", "", "其他"):
                org.org_type = value
                assert column.get_value(org) == org.get_org_type_display(), value
    with translation.override("zh-hans"):
        org.org_type = "social_group"
        assert column.get_value(org) == "社会团体"
    with translation.override("en"):
        assert column.get_value(org) == "Social group"
    org.org_type = "其他"
    assert column.get_value(org) == "其他"  # a value of no choice: itself
    # a method that is not a field's: as Wagtail's column
    credit = PlainColumn("get_credit_status_display")
    assert credit.get_value(org) == Column("get_credit_status_display").get_value(org)
    # a label method of the model's own is asked, not the field's choices
    monkeypatch.setattr(Organization, "get_rating_display", lambda self: "自定义")
    assert PlainColumn("get_rating_display").get_value(org) == "自定义"
    # not a model instance
    assert PlainColumn("get_org_type_display").get_value(
        {"get_org_type_display": "字典"}
    ) == ("字典")


class _CounterColumn(Column):
    """A cell showing the loops' counters and the row as the template sets them."""

    def render_cell_html(self, instance, parent_context):
        loop = parent_context["forloop"]
        return format_html(
            "<td>{}/{}/{}/{}/{}/{}/{}</td>",
            loop["counter"],
            loop["revcounter0"],
            loop["first"],
            loop["last"],
            loop["parentloop"]["counter"],
            parent_context["row"].index,
            parent_context["cell"].instance,
        )


class _RowAttrsTable(Table):
    def get_row_attrs(self, instance):
        return {
            "class": f'row-{instance} <x> & "y"',
            "data-on": True,
            "data-off": False,
            "data-n": 7,
        }


def test_rows_written_by_python_are_the_rows_of_wagtails_template():
    columns = [
        Column("upper", accessor=str.upper),
        _CounterColumn("counter"),
        Column("plain", accessor=lambda s: f"<{s}> & {s}"),
    ]
    data = ["a", "b<", "c&"]
    plain = type("PlainTable", (PlainRowsTableMixin, _RowAttrsTable), {})
    for rows in (data, [], ["only"]):
        context = {"request": None, "forloop": {"counter": 99}}
        ours = plain(columns, rows).render_html(Context(context))
        wagtails = _RowAttrsTable(columns, rows).render_html(Context(context))
        assert ours == wagtails
    ours = plain(columns, data).render_html(Context({}))
    assert (
        '<tr class="row-b&lt; &lt;x&gt; &amp; &quot;y&quot;" data-on data-n="7">'
        in (ours)
    )
    # counter/revcounter0/first/last/the row loop's counter/row index/instance
    assert "<td>2/1/False/False/2/1/b&lt;</td>" in ours


def test_the_listing_draws_its_table_and_filters_as_wagtail(
    client_for, make_organization, make_application, monkeypatch
):
    ServiceField.objects.create(name='<b>"养老"</b> & 助残', sort_order=1)
    ServiceField.objects.create(name="儿童", sort_order=2)
    odd = make_organization(name='阳光 & "同心" <社工> 服务中心')
    odd.service_fields.add(ServiceField.objects.get(name="儿童"))
    make_organization(name="阳光社工服务中心", org_type="foundation")
    make_application(organization=odd, title='阳光 <助老> & "关爱" 项目')
    field = ServiceField.objects.get(name="儿童")
    queries = [
        {"q": "阳光"},
        {"q": "阳光", "service_fields": field.pk},
        {"q": "阳光", "service_fields": "x"},
        {"q": "阳光", "org_type": "foundation", "ordering": "-org_type"},
        {},
    ]
    client = client_for(roles.ADMINISTRATOR)

    def pages():
        out = []
        for path in (ORGANIZATIONS, APPLICATIONS):
            for params in queries:
                response = client.get(path, params)
                assert response.status_code == 200
                out.append(page_without_tokens(response.content.decode()))
        return out

    ours = pages()
    assert "&lt;b&gt;&quot;养老&quot;&lt;/b&gt; &amp; 助残</option>" in ours[0]
    assert f'<option value="{field.pk}" selected>儿童</option>' in ours[1]
    assert "<td >\n    基金会\n</td>" in ours[3]
    wagtails_own_listing(monkeypatch)
    assert ours == pages()


INVITABLE = re.compile(
    r'SELECT (DISTINCT )?"incubator_organization"\."id" AS "pk"'
    r'(, "incubator_organization"\."name")? FROM .*'
    r'"incubator_organization"\."id" IN \(\d'
)


def _invite_queries(client):
    with CaptureQueriesContext(connection) as captured:
        page = client.get(ORGANIZATIONS, {"q": "赫山区"}).content.decode()
    # the keys of the page's rows the user may invite (invitable_ids)
    asked = [q["sql"] for q in captured.captured_queries if INVITABLE.match(q["sql"])]
    return page, len(asked)


def test_a_department_user_gets_every_invitation_without_a_query(
    two_bases, make_organization, client_for
):
    fund_client = client_for(roles.FUND_MANAGER, "fund")
    resident = make_organization(name="益阳市赫山区甲社工中心")
    residency_admit(organization=resident, base=two_bases.base_a, enter=True)
    other = make_organization(name="益阳市赫山区乙社工中心")
    alone = make_organization(name="益阳市赫山区丙社工中心")
    invite = reverse("incubator_invite", args=[0]).replace("0", "{}")

    page, asked = _invite_queries(fund_client)
    assert asked == 0
    for org in (resident, other, alone):
        assert invite.format(org.pk) in page

    page, asked = _invite_queries(two_bases.client_a)
    assert asked == 1  # an operator: the page's rows resident in their base
    assert invite.format(resident.pk) in page
    assert invite.format(other.pk) not in page
    assert invite.format(alone.pk) not in page
    assert OrganizationMembership.objects.count() == 0
