"""Attack on the listings' key search through a related table
(`core.search.matching_keys_queryset`): on PostgreSQL the base table read as
`(WITH "<fk>_matches" AS MATERIALIZED (…) SELECT * FROM table WHERE … OFFSET 0)`
with no search condition left in the outer WHERE. The claim: the rows, order,
pages and counts are those of the plain `icontains` search. Also the funding
portal's organization asked once per request (`organization_of_request`)."""

import re
from functools import reduce
from operator import or_

import pytest
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Concat
from django.urls import reverse

import core.viewsets
from core.search import matching_keys_queryset, substring_filter
from funding.choices import ApplicationStatus
from funding.models import Application
from incubator.choices import OrganizationType, RegistrationLevel
from incubator.models import Organization
from tests.support.listings import page_without_tokens

pytestmark = pytest.mark.django_db

APP_FIELDS = ["title", "organization__name"]
ORG_FIELDS = ["name", "uscc", "filing_number", "business_supervisor"]
APP_LIST = reverse("wagtailsnippets_funding_application:list")
ORG_LIST = reverse("wagtailsnippets_incubator_organization:list")
on_pg = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the fenced key query is PostgreSQL's"
)

# (organization name, application title)
ROWS = [
    ("益阳社工中心", "留守儿童关爱"),  # the organization matches 益阳, the title not
    ("长沙养老协会", "益阳市社区养老"),  # the title matches 益阳, the organization not
    ("益阳养老协会", "益阳助老"),  # both
    ("长沙养老协会", "长沙助残"),  # neither
    ("100%_\\'\"%s 协会", "50%_折扣'\"%s"),
    ("😀笑脸互助社", "😀活动"),
    ("Straße Verein", "İstanbul 项目"),
    ("空标题机构", ""),
]


@pytest.fixture
def apps(region, make_application, call):
    orgs = {}
    for name, _title in ROWS:
        if name not in orgs:
            orgs[name] = Organization.objects.create(
                name=name,
                uscc=None,
                org_type=OrganizationType.SOCIAL_SERVICE,
                registration_level=RegistrationLevel.COUNTY,
                region=region,
            )
    return [
        make_application(
            organization=orgs[name],
            title=title,
            call=call,
            status=ApplicationStatus.SUBMITTED,
        )
        for name, title in ROWS
    ]


def plain(queryset, term, fields):
    return queryset.filter(
        reduce(or_, (Q(**{f"{f}__icontains": term}) for f in fields))
    )


def titles(queryset):
    return list(queryset.values_list("title", flat=True))


TERMS = [
    "益阳",
    "阳市",
    "养老",
    "%",
    "_",
    "\\",
    "'",
    '"',
    "%s",
    "%_",
    "0%_\\",
    "😀",
    "😀活",
    "笑脸",
    "ß",
    "STRASSE",
    "straße",
    "İS",
    "is",
    "x" * 500,
    "益阳" * 250,
    "空标",
    "协会",
    " ",
    "  ",
]


def _fenced(queryset, term, fields=APP_FIELDS):
    found = matching_keys_queryset(queryset, term, fields)
    return found


@on_pg
def test_every_term_finds_what_icontains_finds(apps):
    base = Application.objects.order_by("pk")
    for term in TERMS:
        fenced = _fenced(base, term)
        expected = titles(plain(base, term, APP_FIELDS))
        if fenced is None:
            continue
        assert titles(fenced) == expected, term
        assert titles(substring_filter(base, term, APP_FIELDS)) == expected, term


@on_pg
def test_literal_rows_through_the_organization_and_the_title(apps):
    base = Application.objects.order_by("pk")
    assert titles(matching_keys_queryset(base, "益阳", APP_FIELDS)) == [
        "留守儿童关爱",
        "益阳市社区养老",
        "益阳助老",
    ]
    assert titles(matching_keys_queryset(base, "%s", APP_FIELDS)) == ["50%_折扣'\"%s"]
    assert titles(matching_keys_queryset(base, "%_", APP_FIELDS)) == ["50%_折扣'\"%s"]
    assert titles(matching_keys_queryset(base, "😀活", APP_FIELDS)) == ["😀活动"]
    assert titles(matching_keys_queryset(base, "笑脸", APP_FIELDS)) == ["😀活动"]
    assert titles(matching_keys_queryset(base, "空标", APP_FIELDS)) == [""]
    assert titles(matching_keys_queryset(base, "协会", APP_FIELDS)) == [
        "益阳市社区养老",
        "益阳助老",
        "长沙助残",
        "50%_折扣'\"%s",
    ]
    # a term of one character is left to the plain search
    assert matching_keys_queryset(base, "阳", APP_FIELDS) is None


@on_pg
def test_a_nul_in_the_term_fails_as_the_plain_search_fails(apps):
    base = Application.objects.order_by("pk")
    errors = []
    for search in (plain, matching_keys_queryset):
        try:
            titles(search(base, "益\x00阳", APP_FIELDS))
        except Exception as exc:  # noqa: BLE001
            errors.append(type(exc).__name__)
    assert errors == ["DataError", "DataError"]


def _shapes():
    a = Application.objects
    return {
        "related filter": a.filter(organization__name__startswith="长沙").order_by(
            "pk"
        ),
        "order through join": a.order_by("organization__name", "-title"),
        "order by call": a.order_by("-call__opens_on", "title"),
        "exclude": a.exclude(title="留守儿童关爱").order_by("pk"),
        "select_related": a.select_related("organization", "call").order_by("pk"),
        "distinct": a.distinct().order_by("title"),
        "annotate": a.annotate(
            label=Concat("title", Value("/"), "organization__name")
        ).order_by("label"),
        "order by annotation": a.annotate(n=F("organization__name")).order_by(
            "-n", "pk"
        ),
        "second alias": a.filter(organization__applications__title="长沙助残").order_by(
            "pk"
        ),
        "exists": a.filter(
            Exists(
                Organization.objects.filter(
                    pk=OuterRef("organization"), name__contains="养老"
                )
            )
        ).order_by("pk"),
        "status": a.filter(status=ApplicationStatus.SUBMITTED).order_by("title"),
        "nothing": a.none(),
    }


@on_pg
def test_every_shape_has_the_rows_and_order_of_icontains(apps):
    for term in ["益阳", "协会", "养老", "%s", "😀活", "x" * 500]:
        for name, shape in _shapes().items():
            fenced = matching_keys_queryset(shape, term, APP_FIELDS)
            expected = titles(plain(shape, term, APP_FIELDS))
            if fenced is None:
                assert name == "nothing", name
                continue
            assert titles(fenced) == expected, (term, name)
            assert list(fenced.values_list("pk", flat=True)[1:3]) == list(
                plain(shape, term, APP_FIELDS).values_list("pk", flat=True)[1:3]
            ), (term, name)
            assert fenced.count() == len(expected), (term, name)
            inner = Application.objects.filter(pk__in=fenced.values("pk"))
            assert sorted(titles(inner)) == sorted(expected), (term, name)


@on_pg
def test_literal_rows_of_a_few_shapes(apps):
    shapes = _shapes()
    assert titles(
        matching_keys_queryset(shapes["order through join"], "养老", APP_FIELDS)
    ) == ["益阳助老", "长沙助残", "益阳市社区养老"]
    assert titles(
        matching_keys_queryset(shapes["related filter"], "益阳", APP_FIELDS)
    ) == ["益阳市社区养老"]
    assert titles(
        matching_keys_queryset(shapes["second alias"], "益阳", APP_FIELDS)
    ) == ["益阳市社区养老"]
    assert titles(matching_keys_queryset(shapes["exclude"], "益阳", APP_FIELDS)) == [
        "益阳市社区养老",
        "益阳助老",
    ]
    orgs = Organization.objects.filter(
        applications__in=matching_keys_queryset(
            Application.objects.all(), "益阳", APP_FIELDS
        ).values("pk")
    ).order_by("name")
    assert list(orgs.values_list("name", flat=True)) == [
        "益阳养老协会",
        "益阳社工中心",
        "长沙养老协会",
    ]


@on_pg
def test_the_same_search_nested_in_itself(apps):
    outer = matching_keys_queryset(
        Application.objects.order_by("pk"), "养老", APP_FIELDS
    )
    inner = matching_keys_queryset(Application.objects.all(), "益阳", APP_FIELDS)
    both = outer.filter(pk__in=inner.values("pk"))
    assert titles(both) == ["益阳市社区养老", "益阳助老"]
    assert "organization_id_matches" in str(both.query)


@on_pg
def test_more_shapes_read_through_the_fence(apps):
    from django.db.models import Sum

    everything = Application.objects.all()
    fenced = matching_keys_queryset(everything, "益阳", APP_FIELDS)
    plainly = plain(everything, "益阳", APP_FIELDS)
    assert fenced.aggregate(s=Sum("requested_amount")) == {"s": 300000}
    assert fenced.order_by("title").first().title == "留守儿童关爱"
    assert fenced.order_by("title").last().title == "益阳市社区养老"
    assert sorted(a.title for a in fenced.in_bulk().values()) == sorted(titles(plainly))
    assert sorted(fenced.values_list("organization__name", flat=True).distinct()) == [
        "益阳养老协会",
        "益阳社工中心",
        "长沙养老协会",
    ]
    either = fenced.filter(
        Q(title__startswith="留") | Q(organization__name__startswith="长沙")
    )
    assert sorted(titles(either)) == ["留守儿童关爱", "益阳市社区养老"]
    union = fenced.order_by().union(
        Application.objects.filter(title="长沙助残").order_by()
    )
    assert sorted(a.title for a in union) == [
        "留守儿童关爱",
        "益阳助老",
        "益阳市社区养老",
        "长沙助残",
    ]
    rest = everything.order_by().difference(fenced.order_by())
    assert len(list(rest)) == len(ROWS) - 3
    with_lines = fenced.prefetch_related("budget_lines").order_by("title")
    assert [len(a.budget_lines.all()) for a in with_lines] == [1, 1, 1]
    assert fenced.reverse().exists() is True
    assert matching_keys_queryset(everything, "没有这个", APP_FIELDS).exists() is False
    first_of_org = Application.objects.filter(
        organization=OuterRef("organization")
    ).order_by("pk")
    annotated = everything.annotate(
        first=Subquery(first_of_org.values("title")[:1])
    ).order_by("first", "pk")
    fenced_first = matching_keys_queryset(annotated, "养老", APP_FIELDS)
    assert list(fenced_first.values_list("title", "first")) == list(
        plain(annotated, "养老", APP_FIELDS).values_list("title", "first")
    )
    assert sorted(fenced_first.values_list("first", flat=True)) == [
        "益阳助老",
        "益阳市社区养老",
        "益阳市社区养老",
    ]
    # a GROUP BY is left to the plain search
    from django.db.models import Count

    grouped = everything.annotate(n=Count("budget_lines"))
    assert matching_keys_queryset(grouped, "益阳", APP_FIELDS) is None


# ------------------------------------------------------------------- screens


def _body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return page_without_tokens(response.content.decode())


def _pages_equal_to_the_old_path(client, url, queries, monkeypatch):
    responses = [client.get(url, query) for query in queries]
    with monkeypatch.context() as patch:
        patch.setattr(core.viewsets, "matching_keys_queryset", lambda *args: None)
        old = [client.get(url, query) for query in queries]
    fenced = []
    for query, new, before in zip(queries, responses, old, strict=True):
        assert new.status_code == before.status_code == 200, query
        body = _body(new)
        assert body == _body(before), query
        fenced.append(body)
    return fenced


def test_the_application_listing_with_every_filter_and_ordering(
    apps, call, client_for, monkeypatch
):
    client = client_for("fund_manager")
    queries = [
        {"q": "益阳"},
        {"q": "益阳", "ordering": "title"},
        {"q": "益阳", "ordering": "-title"},
        {"q": "养老", "ordering": "organization"},
        {"q": "养老", "ordering": "-organization"},
        {"q": "养老", "ordering": "call"},
        {"q": "养老", "ordering": "-call"},
        {"q": "养老", "ordering": "-status"},
        {"q": "养老", "ordering": "requested_amount"},
        {"q": "养老", "call": str(call.pk)},
        {"q": "养老", "call": str(call.pk), "status": ApplicationStatus.SUBMITTED},
        {"q": "养老", "status": ApplicationStatus.SUBMITTED},
        {"q": "养老", "status": ApplicationStatus.DRAFT},
        {"q": "%s"},
        {"q": "%_"},
        {"q": "😀"},
        {"q": "空标"},
        {"q": "x" * 500},
        {"q": "益阳", "p": "2"},
        {"q": "协会", "export": "csv"},
        {"q": "益阳", "ordering": "-organization", "export": "csv"},
    ]
    fenced = _pages_equal_to_the_old_path(client, APP_LIST, queries, monkeypatch)
    first = fenced[0]
    assert (
        "留守儿童关爱" in first,
        "益阳市社区养老" in first,
        "益阳助老" in first,
    ) == (
        True,
        True,
        True,
    )
    assert "长沙助残" not in first
    by_title = fenced[1]
    assert by_title.index("留守儿童关爱") < by_title.index("益阳助老")
    assert by_title.index("益阳助老") < by_title.index("益阳市社区养老")
    assert "长沙助残" not in fenced[12]
    rows = [line.split(",")[2] for line in fenced[-1].splitlines()[1:]]
    assert rows == ["益阳市社区养老", "留守儿童关爱", "益阳助老"]


def test_application_pages_of_a_broad_search(
    apps, region, client_for, monkeypatch, make_application, call
):
    org = Organization.objects.create(
        name="益阳同名协会",
        uscc=None,
        org_type=OrganizationType.SOCIAL_SERVICE,
        registration_level=RegistrationLevel.COUNTY,
        region=region,
    )
    for n in range(52):
        Application.objects.create(
            call=call,
            organization=org,
            title=f"第{n:02d}号",
            requested_amount=1000,
            status=ApplicationStatus.SUBMITTED,
        )
    client = client_for("fund_manager")
    queries = [
        {"q": "益阳", "ordering": "title"},
        {"q": "益阳", "ordering": "title", "p": "2"},
        {"q": "同名", "ordering": "-title", "p": "2"},
    ]
    fenced = _pages_equal_to_the_old_path(client, APP_LIST, queries, monkeypatch)
    numbers = [sorted(set(re.findall(r"第\d\d号", html))) for html in fenced]
    # 20 a page: 留守儿童关爱, 益阳市社区养老, 益阳助老 and 第00号–第16号 first
    assert numbers == [
        [f"第{n:02d}号" for n in range(17)],
        [f"第{n:02d}号" for n in range(17, 37)],
        [f"第{n:02d}号" for n in range(12, 32)],
    ]
    assert ["益阳市社区养老" in html for html in fenced] == [True, False, False]


@pytest.mark.parametrize("role", ["administrator", "registrar", "operator"])
def test_the_registry_listing_as_each_role(apps, client_for, monkeypatch, role):
    client = client_for(role)
    queries = [
        {"q": "协会"},
        {"q": "协会", "ordering": "-name"},
        {"q": "协会", "p": "2"},
        {"q": "%s"},
        {"q": "😀笑"},
        {"q": "协会", "export": "csv"},
        {"q": "协会", "export": "xlsx"},
    ]
    fenced = _pages_equal_to_the_old_path(client, ORG_LIST, queries[:-1], monkeypatch)
    assert "益阳养老协会" in fenced[0] and "益阳社工中心" not in fenced[0]
    assert fenced[1].index("长沙养老协会") < fenced[1].index("益阳养老协会")
    assert "100%_" in fenced[3]
    assert "😀笑脸互助社" in fenced[4]
    import csv
    import io

    csv_names = sorted(row[0] for row in list(csv.reader(io.StringIO(fenced[5])))[1:])
    assert csv_names == ["100%_\\'\"%s 协会", "益阳养老协会", "长沙养老协会"]
    sheet = _sheet(client.get(ORG_LIST, queries[-1]))
    with monkeypatch.context() as patch:
        patch.setattr(core.viewsets, "matching_keys_queryset", lambda *args: None)
        assert sheet == _sheet(client.get(ORG_LIST, queries[-1]))
    assert sorted(row[0] for row in sheet[1:]) == csv_names


def _sheet(response):
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


# ------------------------------------------------------------------- the portal


def _portal_urls(app):
    return [
        reverse("funding_portal_application", args=[app.pk]),
        reverse("funding_portal_application_edit", args=[app.pk]),
        reverse("funding_portal_application_file", args=[app.pk, 1]),
        reverse("funding_application_record", args=[app.pk]),
    ]


def test_another_organizations_application_is_not_found_in_the_portal(
    apps, org_member, client
):
    by_title = {a.title: a for a in apps}
    mine, theirs = by_title["益阳助老"], by_title["留守儿童关爱"]
    client.force_login(org_member(organization=mine.organization))
    assert [client.get(url).status_code for url in _portal_urls(theirs)] == [
        404,
        404,
        404,
        404,
    ]
    own = _portal_urls(mine)
    assert [client.get(url).status_code for url in (own[0], own[3])] == [200, 200]
    assert "益阳助老" in client.get(own[0]).content.decode()
    listing = client.get(reverse("funding_portal_applications")).content.decode()
    assert "益阳助老" in listing and "留守儿童关爱" not in listing


def test_a_membership_moved_between_requests_moves_what_the_portal_shows(
    apps, org_member, client
):
    from incubator.models import OrganizationMembership

    by_title = {a.title: a for a in apps}
    first, second = by_title["益阳助老"], by_title["留守儿童关爱"]
    user = org_member(organization=first.organization)
    client.force_login(user)
    detail = "funding_portal_application"
    assert client.get(reverse(detail, args=[first.pk])).status_code == 200
    assert client.get(reverse(detail, args=[second.pk])).status_code == 404
    OrganizationMembership.objects.filter(user=user).update(
        organization=second.organization
    )
    assert client.get(reverse(detail, args=[first.pk])).status_code == 404
    assert client.get(reverse(detail, args=[second.pk])).status_code == 200
    record = "funding_application_record"
    assert client.get(reverse(record, args=[first.pk])).status_code == 404
    OrganizationMembership.objects.filter(user=user).delete()
    refused = [
        client.get(reverse(detail, args=[second.pk])),
        client.get(reverse(record, args=[second.pk])),
        client.get(reverse("funding_portal_applications")),
    ]
    assert [(r.status_code, r["Location"]) for r in refused] == [(302, "/admin/")] * 3


def test_staff_in_the_portal_urls(apps, client_for):
    app = next(a for a in apps if a.title == "益阳助老")
    manager = client_for("fund_manager")
    codes = [manager.get(url) for url in _portal_urls(app)]
    # the portal's screens are an organization's (refused: back to the
    # dashboard); the record is the manager's too
    assert [(r.status_code, r.get("Location")) for r in codes] == [
        (302, "/admin/"),
        (302, "/admin/"),
        (302, "/admin/"),
        (200, None),
    ]
    registrar = client_for("registrar")
    codes = [registrar.get(url) for url in _portal_urls(app)]
    assert [(r.status_code, r.get("Location")) for r in codes] == [(302, "/admin/")] * 4


def test_another_organizations_award_letter_is_not_found(
    portal_award, org_member, make_organization, client
):
    client.force_login(org_member(organization=make_organization(name="别家机构")))
    letter = reverse("funding_award_letter_pdf", args=[portal_award.pk])
    assert client.get(letter).status_code == 404
    own = org_member(organization=portal_award.application.organization)
    client.force_login(own)
    response = client.get(letter)
    # not issued yet: back to the award, not a 404
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("funding_portal_award", args=[portal_award.pk]),
    )


@on_pg
def test_other_field_lists_and_models_through_a_foreign_key(apps):
    from funding.models import BudgetLine

    base = Application.objects.order_by("pk")
    lists = [
        ["organization__name"],
        ["organization__name", "title"],
        ["organization__name", "organization__uscc", "title"],
        ["title", "title", "organization__name"],
    ]
    for fields in lists:
        for term in ["益阳", "协会", "%s", "养老"]:
            fenced = matching_keys_queryset(base, term, fields)
            assert titles(fenced) == titles(plain(base, term, fields)), (fields, term)
    assert titles(matching_keys_queryset(base, "益阳", ["organization__name"])) == [
        "留守儿童关爱",
        "益阳助老",
    ]
    lines = BudgetLine.objects.order_by("application__title")
    found = matching_keys_queryset(lines, "益阳", ["application__title", "item"])
    assert found is None  # the item has no substring index
    found = matching_keys_queryset(lines, "益阳", ["application__title"])
    assert '"application_id_matches"' in str(found.query)
    assert list(found.values_list("application__title", flat=True)) == [
        "益阳助老",
        "益阳市社区养老",
    ]


def test_a_capped_application_search_equals_the_old_path(apps, client_for, monkeypatch):
    monkeypatch.setattr(core.viewsets.CappedCountPaginator, "cap", 2)
    client = client_for("fund_manager")
    queries = [
        {"q": "益阳", "ordering": "title"},
        {"q": "协会", "ordering": "-organization"},
        {"q": "协会", "p": "2"},
    ]
    fenced = _pages_equal_to_the_old_path(client, APP_LIST, queries, monkeypatch)
    shown = [
        [t for t in ("留守儿童关爱", "益阳助老", "益阳市社区养老") if t in html]
        for html in fenced
    ]
    # two keys read at most: the first two of the order, a later page the last
    assert shown == [
        ["留守儿童关爱", "益阳助老"],
        ["益阳市社区养老"],
        ["益阳助老", "益阳市社区养老"],
    ]
    assert "长沙助残" in fenced[1] and "长沙助残" not in fenced[2]


def test_the_application_listing_as_administrator(apps, client_for, monkeypatch):
    client = client_for("administrator")
    queries = [{"q": "益阳"}, {"q": "养老", "ordering": "-organization"}]
    fenced = _pages_equal_to_the_old_path(client, APP_LIST, queries, monkeypatch)
    assert "留守儿童关爱" in fenced[0] and "长沙助残" not in fenced[0]
    assert "长沙助残" in fenced[1]


@pytest.mark.parametrize("role", ["operator", "finance", "reviewer", "organization"])
def test_the_application_listing_refuses_the_other_roles(client_for, role):
    response = client_for(role).get(APP_LIST, {"q": "益阳"})
    assert (response.status_code, response["Location"]) == (302, "/admin/")


@on_pg
def test_a_union_or_a_slice_is_not_read_through_the_fence(apps):
    from django.db import NotSupportedError

    a = Application.objects
    union = a.filter(title="长沙助残").union(a.filter(title="留守儿童关爱"))
    last_two = a.order_by("-pk")[:2]  # 空标题机构's and Straße Verein's: no 益阳
    # the fence went on a FROM the union never read (长沙助残 came back
    # unsearched) and before the slice's LIMIT (the first two matches)
    assert matching_keys_queryset(union, "益阳", APP_FIELDS) is None
    assert matching_keys_queryset(last_two, "益阳", APP_FIELDS) is None
    with pytest.raises(NotSupportedError):
        titles(substring_filter(union, "益阳", APP_FIELDS))
    with pytest.raises(TypeError):
        titles(substring_filter(last_two, "益阳", APP_FIELDS))
