"""Money and counts as people read them: one filter for money
(`yuan` to the fen, `wanyuan` on summaries), one for counts (`count`: a whole
number with its unit), and the screens that printed 7500000.00, 61800 and
"2150.00" beside "56,500.00" now all through them."""

import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from core import roles
from funding.models import Disbursement
from funding.models.awards import DisbursementStatus
from funding.services.assignment import review_assign
from projects.models import Indicator
from tests.support.inbox import inbox_lines


def _render(source, **context):
    with translation.override("zh-hans"):
        return Template("{% load money %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("source", "value", "shown"),
    [
        ("{{ x|yuan }}", Decimal("7500000"), "7,500,000.00 元"),
        ("{{ x|wanyuan }}", Decimal("7500000"), "750.00 万元"),
        ("{{ x|yuan }}", 61800, "61,800.00 元"),
        ("{{ x|yuan }}", "56500.00", "56,500.00 元"),
        ('{{ x|yuan:"bare" }}', Decimal("56500.00"), "56,500.00"),
        ("{{ x|wanyuan }}", Decimal("7560000"), "756.00 万元"),
        ('{{ x|wanyuan:"bare" }}', Decimal("2760000"), "276.00"),
        ("{{ x|yuan }}", Decimal("0.5"), "0.50 元"),
        ("{{ x|yuan }}", None, ""),
        ('{{ x|yuan|default:"—" }}', None, "—"),
        ("{{ x|wanyuan }}", None, ""),
    ],
)
def test_money_filters(source, value, shown):
    assert _render(source, x=value) == shown


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (Decimal("2150.00"), "人", "2,150 人"),
        (2150, "人", "2,150 人"),
        (Decimal("12.50"), "场", "12.50 场"),
        (Decimal("0.1250"), "", "0.125"),
        (Decimal("3"), "间", "3 间"),
        (Decimal("1250000.00"), "", "1,250,000"),
        (None, "人", ""),
    ],
)
def test_count_filter(value, unit, shown):
    assert _render("{{ n|count:unit }}", n=value, unit=unit) == shown


def test_the_money_filters_speak_english_in_the_english_ui():
    with translation.override("en"):
        text = Template("{% load money %}{{ x|yuan }} / {{ x|wanyuan }}").render(
            Context({"x": Decimal("7500000")})
        )
    assert text == "7,500,000.00 yuan / 750.00 × 10,000 yuan"


# --- the screens ----------------------------------------------------------------------


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def test_call_listing_column_call_list_and_desk(manager_client, call):
    """The fund's 7,500,000 元 call: the listing columns and the call list to the
    fen with separators, the desk's total in 万元 (a summary)."""
    listing = manager_client.get(
        reverse("wagtailsnippets_funding_call:list")
    ).content.decode()
    assert "7,500,000.00" in listing and "150,000.00" in listing
    assert "7500000" not in listing

    calls = manager_client.get(reverse("funding_calls")).content.decode()
    assert "7,500,000.00" in calls and "7500000" not in calls

    desk = manager_client.get(
        reverse("funding_call_desk", args=[call.pk])
    ).content.decode()
    assert "总预算 750.00 万元" in desk
    assert "单项上限 150,000.00 元" in desk
    assert "7500000" not in desk


def test_award_desk_shows_61800_to_the_fen(manager_client, make_award):
    award = make_award(amount=Decimal("61800"))  # tranches 60% and 40%
    page = manager_client.get(
        reverse("funding_award_desk", args=[award.pk])
    ).content.decode()
    assert "批准金额（元） 61,800.00" in page
    assert "<td>37,080.00</td>" in page and "<td>24,720.00</td>" in page
    listing = manager_client.get(
        reverse("wagtailsnippets_funding_award:list")
    ).content.decode()
    assert "61,800.00" in listing and "61800" not in listing


def test_reviewer_reads_the_requested_amount_and_budget_separated(
    client, make_application, make_reviewer, manager
):
    application = make_application(
        status="eligible",
        requested_amount=Decimal("61800"),
        lines=[("人员费用", Decimal("56500")), ("活动物料", Decimal("5300"))],
    )
    reviewer = make_reviewer()
    review = review_assign(application, reviewer, user=manager)
    client.force_login(reviewer)
    page = client.get(reverse("funding_review_score", args=[review.pk]))
    text = page.content.decode()
    assert "<dd>61,800.00</dd>" in text
    assert "<td>56,500.00 元</td>" in text and "<td>5,300.00 元</td>" in text
    assert "61800" not in text and "56500" not in text


def test_finance_inbox_total_in_wan_yuan(client_for, make_award, manager, make_user):
    award = make_award(amount=Decimal("7500000"))
    first, second = award.tranches.order_by("pk")
    clerk = make_user("clerk_li", roles.FUND_MANAGER)
    for tranche, amount in ((first, "4500000"), (second, "3000000")):
        Disbursement.objects.create(
            tranche=tranche,
            amount=Decimal(amount),
            status=DisbursementStatus.APPROVED,
            recorded_by=clerk,
            approved_by=manager,
        )
    lines = inbox_lines(client_for(roles.FINANCE, "cashier"))
    assert lines[0]["label"] == "待支付的拨付 2"
    assert "合计 750.00 万元" in lines[0]["text"]


@pytest.fixture
def head_count(client_for, make_pairing, make_project, make_report, make_organization):
    """A coordinator's project with 2,150 beneficiaries (人) reported for 2024."""
    client = client_for(roles.COORDINATOR)
    pairing = make_pairing(make_organization(), coordinators=[client.user])
    project = make_project(pairing=pairing, budget=Decimal("600000"))
    report = make_report(project, 2024, 1, {"beneficiaries": "2150"})
    return client, report


def test_report_review_shows_the_head_count_with_its_unit(head_count):
    client, report = head_count
    assert Indicator.objects.get(code="beneficiaries").unit == "人"
    page = client.get(reverse("projects_report_review", args=[report.pk]))
    text = page.content.decode()
    assert "<td>2,150 人</td>" in text
    assert "2150.00" not in text


def test_rollup_head_count_and_budget_summary(head_count):
    client, _report = head_count
    page = client.get(reverse("projects_rollup"), {"year": "2024"}).content.decode()
    official = page[page.index('id="rollup-official"') :]
    assert "<td>2,150</td>" in official  # its heading names 人
    assert "（人）" in official[: official.index("</thead>")]
    assert "预算 60.00 万元" in page
    listing = client.get(reverse("wagtailsnippets_projects_project:list"))
    assert "600,000.00" in listing.content.decode()


# --- the whole kind: no template or listing prints money raw --------------------------


def _money_names():
    """The names of every money column of the product (DecimalFields of the MONEY
    shape) and of the money figures computed for screens."""
    from django.apps import apps

    from core.money import is_money_field

    names = {
        field.name
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if is_money_field(field)
    }
    return names | {"paid_total", "paid_sum", "committed", "paid", "contract_total"}


_PRINTED = re.compile(r"(value=\")?\{\{\s*(.*?)\s*\}\}")
_BLOCKTRANS = re.compile(
    r"\{%\s*blocktrans(?:late)?\b(.*?)%\}(.*?)\{%\s*endblocktrans(?:late)?\s*%\}",
    re.S,
)
_ASSIGNED = re.compile(r"\b(\w+)=((?:\"[^\"]*\"|'[^']*'|[^\s\"'])+)")


def _printed_expressions(text):
    """The expressions a template prints: `{{ … }}` outside an input's value=""
    (the posted text, given back as typed), and the values of `{% blocktrans
    with name=… %}` (its `{{ name }}` placeholders stand for them)."""
    for match in _BLOCKTRANS.finditer(text):
        assigned = dict(_ASSIGNED.findall(match.group(1)))
        yield from assigned.values()
        for inner in _PRINTED.finditer(match.group(2)):
            if inner.group(2) not in assigned:
                yield inner.group(2)
    for match in _PRINTED.finditer(_BLOCKTRANS.sub("", text)):
        if not match.group(1):
            yield match.group(2)


def _raw_money(expression, money_names):
    variable, *filters = expression.split("|")
    filter_names = {f.split(":")[0].strip() for f in filters}
    return variable.strip().split(".")[-1] in money_names and not filter_names & {
        "yuan",
        "wanyuan",
    }


def _templates():
    from django.conf import settings

    root = settings.BASE_DIR
    for app in ("core", "funding", "projects", "incubator", "cms"):
        yield from sorted((root / app / "templates").rglob("*.html"))


def test_the_scan_finds_the_ways_money_was_printed():
    names = _money_names()
    for raw in (
        "{{ call.total_budget }}",
        '{{ award.approved_amount|floatformat:"2g" }}',
        "{{ line.amount }}",
        "{% blocktrans with budget=line.budget %}x{% endblocktrans %}",
    ):
        assert any(_raw_money(e, names) for e in _printed_expressions(raw)), raw
    for fine in (
        '{{ call.total_budget|yuan:"bare" }}',
        "{{ total|wanyuan }}",
        '<input name="amount" value="{{ posted.amount }}">',
        '{% blocktrans with total=x.total_awarded|yuan:"bare" %}x{% endblocktrans %}',
    ):
        assert not any(_raw_money(e, names) for e in _printed_expressions(fine)), fine


def test_every_template_prints_money_through_the_money_filters():
    """A money field printed raw ({{ call.total_budget }} → 7500000.00) or through
    floatformat/intcomma (no unit, no 万元, different on every screen) fails."""
    names = _money_names()
    faults = []
    for path in _templates():
        text = path.read_text()
        for expression in _printed_expressions(text):
            if _raw_money(expression, names):
                faults.append(f"{path.name}: {{{{ {expression} }}}}")
        for other in re.findall(r"\|(intcomma|floatformat:\"-?2g?\")", text):
            faults.append(f"{path.name}: |{other} (use yuan, wanyuan or count)")
    assert faults == []


def test_every_listing_column_of_money_is_a_money_column():
    """Wagtail prints a Decimal column as it is (7500000.00): every money field in
    a listing, and every computed column headed in 元, goes through MoneyColumn."""
    from wagtail.admin.ui.tables import Column
    from wagtail.snippets.models import get_snippet_models

    from core.money import is_money_field
    from core.viewsets import MoneyColumn

    faults = []
    for model in get_snippet_models():
        for item in model.snippet_viewset.list_display:
            if isinstance(item, str):
                field = next(
                    (f for f in model._meta.get_fields() if f.name == item), None
                )
                if field is not None and is_money_field(field):
                    faults.append(f"{model.__name__}.{item}")
            elif isinstance(item, Column) and not isinstance(item, MoneyColumn):
                with translation.override("en"):
                    label = str(item.label)
                if "yuan" in label.lower():
                    faults.append(f"{model.__name__}: {label}")
    assert faults == []
