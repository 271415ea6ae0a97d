"""The listings' substring search (core.search): the indexes (an FTS5 trigram table
on SQLite, pg_trgm on PostgreSQL) only make it faster — for every term it finds
exactly the rows the plain `icontains` finds, `%`, `_` and quotes are literal, and
FTS5 query syntax typed by a user is text to find, never a 500."""

import itertools
from functools import reduce
from operator import or_

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.search import (
    MIN_INDEXED_LENGTH,
    PERSON,
    SUBSTRING_INDEXES,
    fts_match_expression,
    matching_keys_queryset,
    serial_plan,
    substring_filter,
    substring_indexes_repair,
    text_filter,
)
from core.viewsets import CappedCountPaginator
from funding.choices import ApplicationStatus
from funding.models import Application
from incubator.choices import OrganizationType, RegistrationLevel
from incubator.models import Organization

pytestmark = pytest.mark.django_db

ORG_FIELDS = ["name", "uscc", "filing_number", "business_supervisor"]
APP_FIELDS = ["title", "organization__name"]
ORG_LIST = reverse("wagtailsnippets_incubator_organization:list")
APP_LIST = reverse("wagtailsnippets_funding_application:list")

PLACES = ["湖南省", "益阳市", "长沙市", "雨花区", "苏州市", "内蒙古", "赫山区"]
KINDS = ["社工服务中心", "社会工作服务站", "养老服务协会", "志愿者联合会", "慈善基金会"]
# Names a LIKE pattern or an FTS5 query could misread, and Latin case variants.
ODD_NAMES = [
    "100%公益服务中心",
    "100公益服务中心",
    "a_b互助会",
    "axb互助会",
    'The "Sunshine" Center',
    "O'Brien社区服务社",
    "OR AND NOT 协会",
    "星*光志愿队",
    "NEAR(星 光) 之家",
    "col:umn 社",
    "{name} 花括号协会",
    "Straße Verein",
    "STRASSE VEREIN",
    "ÄBC Kinderhilfe",
    "äbc kinderhilfe",
    "Ｆｕｌｌ宽字符社",
    "Sunshine Youth Club",
    "SUNSHINE elderly care",
    "反斜杠\\服务社",
    "益阳社工",
    "社工",
]


def _uscc(n):
    return f"52430900MJ{n:07d}X"[:18]


@pytest.fixture
def registry(region):
    """About 200 organizations: 175 Chinese names from places × kinds × serial,
    the odd names above, and filed community organizations with filing numbers."""
    rows = []
    serial = itertools.count(1)
    for place, kind in itertools.product(PLACES, KINDS):
        for k in range(5):
            n = next(serial)
            rows.append(
                Organization(
                    name=f"{place}{'益阳' if k == 1 else ''}第{n}{kind}",
                    uscc=_uscc(n),
                    org_type=OrganizationType.SOCIAL_SERVICE,
                    registration_level=RegistrationLevel.COUNTY,
                    region=region,
                    business_supervisor="民政局" if k % 2 else "",
                )
            )
    for name in ODD_NAMES:
        rows.append(
            Organization(
                name=name,
                uscc=None,
                filing_number=f"备{next(serial)}号_%",
                org_type=OrganizationType.COMMUNITY,
                registration_level=RegistrationLevel.COUNTY,
                region=region,
            )
        )
    return Organization.objects.bulk_create(rows)


def terms_of(names):
    """Every term the test tries: substrings of 1 to 6 characters of some names,
    the odd characters and FTS5 syntax, case variants, and terms found nowhere."""
    terms = set()
    for name in names[::7] + ODD_NAMES:
        for size in range(1, 7):
            terms.update(name[i : i + size] for i in range(0, len(name) - size + 1, 3))
    terms.update(
        [
            "%",
            "_",
            "%%",
            "100%",
            "a_b",
            '"',
            '""',
            "'",
            "O'Brien",
            '"Sunshine"',
            "OR",
            "OR AND",
            "*",
            "星*",
            "NEAR(",
            ":",
            "col:umn",
            "{name}",
            "sunshine",
            "SUNSHINE",
            "straße",
            "äbc",
            "ÄBC",
            "ＦＵＬＬ",
            "\\",
            "反斜杠\\",
            "-",
            "^",
            "益阳社工",
            "社工",
            "0900MJ",
            "MJ00001",
            "52430900MJ0000011",
            "不存在的名称",
        ]
    )
    return sorted(terms)


def plain(queryset, term, fields):
    """What Wagtail's listing search did: `icontains` of the whole term, or'ed."""
    return queryset.filter(
        reduce(or_, (Q(**{f"{f}__icontains": term}) for f in fields))
    )


def test_the_registry_search_finds_exactly_what_icontains_finds(registry):
    names = [org.name for org in registry]
    assert len(registry) == 7 * 5 * 5 + len(ODD_NAMES) == 196
    terms = terms_of(names)
    assert len(terms) > 300
    everything = Organization.objects.all()
    for term in terms:
        expected = set(plain(everything, term, ORG_FIELDS).values_list("pk", flat=True))
        got = set(
            substring_filter(everything, term, ORG_FIELDS).values_list("pk", flat=True)
        )
        assert got == expected, term


def test_hand_counted_terms(registry):
    everything = Organization.objects.all()

    def count(term):
        return substring_filter(everything, term, ORG_FIELDS).count()

    # 7 places × 5 kinds, one row in five holds 益阳 → 35, plus 益阳市's 25 and "益阳社工"
    assert count("益阳") == 35 + 25 - 5 + 1
    assert count("益阳社工") == 1  # the odd name only: the others read 益阳第…
    assert count("社工") == 7 * 5 + 2  # 社工服务中心 × 35, plus 益阳社工 and 社工
    assert count("0900MJ") == 175  # every USCC
    assert count("MJ0000011") == 1  # 52430900MJ0000011X
    assert count("100%") == 1  # literal %: 100公益服务中心 not found
    assert count("a_b") == 1  # literal _: axb互助会 not found
    assert count('"Sunshine"') == 1
    assert count("sunshine") == 3  # ASCII case folds, like the plain search
    # SQLite's LIKE folds ASCII only, PostgreSQL's UPPER every alphabet: as icontains
    assert count("äbc") == plain(everything, "äbc", ORG_FIELDS).count()
    assert count("_%") == len(ODD_NAMES)  # the filing numbers 备N号_%


def test_application_listing_search_through_the_organization_name(
    registry, call, make_application
):
    yiyang = Organization.objects.get(name="益阳社工")
    other = Organization.objects.get(name="Sunshine Youth Club")
    make_application(organization=yiyang, title="留守儿童关爱服务项目")
    make_application(
        organization=other,
        title="益阳市社区养老项目",
        status=ApplicationStatus.SUBMITTED,
    )
    make_application(organization=other, title='OR * " 项目')
    everything = Application.objects.all()
    for term in [
        "益阳",
        "益阳社工",
        "益阳市社区",
        "社区",
        "项目",
        "Sunshine",
        "OR",
        '"',
        "*",
        "无",
    ]:
        expected = set(plain(everything, term, APP_FIELDS).values_list("pk", flat=True))
        got = set(
            substring_filter(everything, term, APP_FIELDS).values_list("pk", flat=True)
        )
        assert got == expected, term
    assert (
        substring_filter(everything, "益阳社工", APP_FIELDS).get().organization
        == yiyang
    )
    assert substring_filter(everything, "益阳", APP_FIELDS).count() == 2


def test_words_of_the_admin_search_each_go_through_the_index(registry):
    found = text_filter(Organization.objects.all(), "湖南省 益阳 社工服务", ORG_FIELDS)
    assert sorted(o.name for o in found) == ["湖南省益阳第2社工服务中心"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table is SQLite's")
def test_sqlite_asks_the_fts5_table_for_three_characters_and_more(registry):
    everything = Organization.objects.all()
    for term, indexed in [
        ("益阳社工", True),
        ("社工", False),
        ("0900MJ", True),
        ("MJ", False),
    ]:
        with CaptureQueriesContext(connection) as queries:
            list(substring_filter(everything, term, ORG_FIELDS))
        sql = queries.captured_queries[-1]["sql"]
        assert ("MATCH" in sql) is indexed, term
        assert "LIKE" in sql, term  # the plain condition is always applied too
    assert MIN_INDEXED_LENGTH == 3


def test_fts_query_syntax_is_quoted():
    assert fts_match_expression(["name"], 'a"b OR *') == '{name} : "a""b OR *"'


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table is SQLite's")
def test_the_fts5_table_follows_inserts_updates_and_deletes(registry):
    everything = Organization.objects.all()

    def names(term):
        return sorted(o.name for o in substring_filter(everything, term, ORG_FIELDS))

    org = Organization.objects.get(name="益阳社工")
    org.name = "资阳区青少年社工站"
    org.save(update_fields=["name"])
    assert names("益阳社工") == []
    assert names("青少年社工") == ["资阳区青少年社工站"]
    Organization.objects.filter(pk=org.pk).update(business_supervisor="团市委")
    assert names("团市委") == ["资阳区青少年社工站"]
    Organization.objects.filter(pk=org.pk).delete()
    assert names("青少年社工") == []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM incubator_organization_fts "
            "WHERE incubator_organization_fts MATCH '\"青少年\"'"
        )
        assert cursor.fetchone()[0] == 0


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the FTS5 triggers are SQLite's"
)
def test_lost_triggers_fall_back_to_like_and_are_put_back_after_migrate(registry):
    """A migration that rebuilds the table on SQLite drops its triggers: until
    `migrate` puts them back (post_migrate), searches do not trust the FTS5 table."""
    index = next(i for i in SUBSTRING_INDEXES if i.table == "incubator_organization")
    with connection.cursor() as cursor:
        for trigger in index.trigger_names():
            cursor.execute(f'DROP TRIGGER "{trigger}"')
    substring_indexes_repair.__globals__["_ready"].clear()
    Organization.objects.filter(name="社工").update(name="新名字的社工站")
    everything = Organization.objects.all()
    with CaptureQueriesContext(connection) as queries:
        found = list(substring_filter(everything, "新名字", ORG_FIELDS))
    assert [o.name for o in found] == ["新名字的社工站"]
    assert "MATCH" not in queries.captured_queries[-1]["sql"]

    substring_indexes_repair(using="default")  # what post_migrate runs
    with CaptureQueriesContext(connection) as queries:
        found = list(substring_filter(everything, "新名字", ORG_FIELDS))
    assert [o.name for o in found] == ["新名字的社工站"]  # rebuilt from the table
    assert "MATCH" in queries.captured_queries[-1]["sql"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_postgresql_has_the_indexes_and_answers_from_them(registry):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname LIKE %s", ["%_trgm"]
        )
        names = {row[0] for row in cursor.fetchall()}
    assert {
        "incubator_org_name_trgm",
        "incubator_org_uscc_trgm",
        "incubator_org_filing_number_trgm",
        "incubator_org_business_supervisor_trgm",
        "funding_app_title_trgm",
    } <= names
    found = substring_filter(Organization.objects.all(), "益阳社工", ORG_FIELDS)
    with connection.cursor() as cursor:
        # a table of 200 rows is read whole; as at a million, take the indexes
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = found.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "incubator_org_name_bigram" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="bigram indexes")
def test_postgresql_answers_two_characters_from_bigram_indexes(registry):
    """A trigram index cannot answer "社工": the bigram indexes (a GIN index on the
    array of each column's two-character pieces) do; still the same rows."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT core_search_bigrams(UPPER('益阳社工'))")
        assert sorted(cursor.fetchone()[0]) == sorted(["益阳", "阳社", "社工"])
    everything = Organization.objects.all()
    found = substring_filter(everything, "社工", ORG_FIELDS)
    assert found.count() == 37
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = found.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "incubator_org_name_bigram" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="bigram indexes")
def test_postgresql_reads_a_listings_keys_from_its_matches_once(
    registry, call, make_application
):
    """The keys of a searched listing are read through a subquery of the rows
    that hold the term (bigram index, then `strpos`), planned apart from the
    listing's filters; nothing beside it (no `LIKE`, no join for the search). The rows are those of `icontains`,
    also with the filters, an order through a join, and as a subquery of
    another query (the table then renamed)."""
    everything = Organization.objects.all()
    social = everything.filter(org_type=OrganizationType.SOCIAL_SERVICE)
    found = matching_keys_queryset(social, "社工", ORG_FIELDS)
    sql, params = found.query.sql_with_params()
    assert 'FROM (SELECT * FROM "incubator_organization" WHERE' in sql
    assert " OFFSET 0) " in sql
    assert "LIKE" not in sql
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "incubator_org_name_bigram" in plan, plan
    assert "Index Cond: (id = ANY" not in plan, plan  # never read again by key
    expected = set(plain(social, "社工", ORG_FIELDS).values_list("pk", flat=True))
    assert len(expected) == 35  # the 社工服务中心 of 7 places × 5 kinds
    assert set(found.values_list("pk", flat=True)) == expected
    inside = Organization.objects.filter(pk__in=found.values("pk"))
    assert set(inside.values_list("pk", flat=True)) == expected
    assert found.count() == 35

    yiyang = Organization.objects.get(name="益阳社工")
    mine = make_application(organization=yiyang, title="留守儿童关爱服务项目")
    make_application(title="益阳市社区养老项目", status=ApplicationStatus.SUBMITTED)
    make_application(title="无关项目")
    apps = matching_keys_queryset(
        Application.objects.order_by("-call__opens_on", "call__name"),
        "益阳",
        APP_FIELDS,
    )
    sql, params = apps.query.sql_with_params()
    assert "LIKE" not in sql
    # the registry searched once; each candidate checked against a hash of its
    # matches, never against every element of an array; no join to it after
    assert sql.count('FROM "incubator_organization" WHERE') == 1
    assert 'JOIN "incubator_organization"' not in sql
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "hashed SubPlan" in plan, plan
    assert sorted(a.title for a in apps) == [
        "留守儿童关爱服务项目",
        "益阳市社区养老项目",
    ]
    assert list(apps.filter(status=mine.status).values_list("pk", flat=True)) == [
        mine.pk
    ]
    outer = Application.objects.filter(pk__in=apps.values("pk")).exclude(pk=mine.pk)
    assert [a.title for a in outer] == ["益阳市社区养老项目"]

    # where the fast form cannot answer, the listing reads its keys as before
    assert matching_keys_queryset(everything, "社", ORG_FIELDS) is None
    assert matching_keys_queryset(everything, "社工", ["name", PERSON]) is None
    grouped = everything.values("org_type").annotate(n=Count("pk"))
    assert matching_keys_queryset(grouped, "社工", ORG_FIELDS) is None


def test_the_listing_reads_its_keys_in_the_fast_form_on_postgresql_only(
    registry, admin_client_zh
):
    with CaptureQueriesContext(connection) as queries:
        html = listing(admin_client_zh, ORG_LIST, "社工")
    fenced = [q["sql"] for q in queries.captured_queries if " OFFSET 0) " in q["sql"]]
    assert len(fenced) == (1 if connection.vendor == "postgresql" else 0)
    assert "共有 37 个符合" in html


def _parallel_workers():
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel plans")
def test_a_listings_keys_are_planned_without_parallel_workers(
    registry, admin_client_zh
):
    """The key read of a search is planned serially (the fence hands whole rows
    to the leader, dearer than the scan the workers share) and the setting is
    put back as it was when the read ends, inside the caller's transaction too
    (a test runs in one); an error in the block puts it back as well."""
    # a value other than the server's default, so "put back" is seen (whether
    # the planner would choose a parallel plan on the tiny test tables depends
    # on their statistics, so the plan itself is not asserted)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 3")
    with serial_plan(connection.alias):
        assert _parallel_workers() == "0"
    assert _parallel_workers() == "3"

    with pytest.raises(ZeroDivisionError), serial_plan(connection.alias):
        assert _parallel_workers() == "0"
        1 / 0  # noqa: B018
    assert _parallel_workers() == "3"

    with CaptureQueriesContext(connection) as queries:
        html = listing(admin_client_zh, ORG_LIST, "社工")
    sqls = [q["sql"] for q in queries.captured_queries]
    fenced = next(i for i, sql in enumerate(sqls) if " OFFSET 0) " in sql)
    assert (
        "set_config('max_parallel_workers_per_gather', '0', true)" in (sqls[fenced - 1])
    )
    assert "共有 37 个符合" in html
    assert _parallel_workers() == "3"


@pytest.fixture
def admin_client_zh(client, django_user_model):
    user = django_user_model.objects.create_superuser(
        "search-admin", "s@example.com", "x"
    )
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    return client


def listing(client, url, q, **params):
    response = client.get(url, {"q": q, **params})
    assert response.status_code == 200, q
    return response.content.decode()


def test_the_organization_listing_searches_chinese_uscc_and_odd_text(
    registry, admin_client_zh
):
    html = listing(admin_client_zh, ORG_LIST, "益阳社工")
    assert "共有 1 个符合" in html
    assert "益阳社工" in html
    html = listing(admin_client_zh, ORG_LIST, "MJ0000011")
    assert "湖南省第11养老服务协会" in html
    for q in ['"', "OR", "*", "NEAR(", '" OR "', "{name}", "%", "_", "'"]:
        listing(admin_client_zh, ORG_LIST, q)
        listing(admin_client_zh, APP_LIST, q)


def test_a_broad_search_counts_no_further_than_the_cap(
    registry, admin_client_zh, monkeypatch
):
    monkeypatch.setattr(CappedCountPaginator, "cap", 20)
    html = listing(admin_client_zh, ORG_LIST, "社")  # 175 + a few odd names
    assert "匹配超过 20 条" in html
    assert "20+ 社会组织" in html
    assert "第 1 页，共 1 页" in html  # 20 rows, 50 a page
    html = listing(admin_client_zh, ORG_LIST, "益阳社工")
    assert "匹配超过" not in html
