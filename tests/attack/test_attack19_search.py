"""Attack on the listing search: for hostile terms the substring search
(FTS5 trigram on SQLite, bigram/trigram GIN on PostgreSQL) finds exactly what the
plain `icontains` finds, and the listings and choosers answer 200, never a 500.
Rows written by the raw bulk path (`core.bulk.instances_insert`, the organization
import's writer) are found afterwards; renamed and deleted rows follow."""

from functools import reduce
from operator import or_

import pytest
from django.db.models import Q
from django.urls import reverse

from core.bulk import instances_insert
from core.search import substring_filter
from incubator.choices import OrganizationType, RegistrationLevel
from incubator.models import Organization

pytestmark = pytest.mark.django_db

ORG_FIELDS = ["name", "uscc", "filing_number", "business_supervisor"]
ORG_LIST = reverse("wagtailsnippets_incubator_organization:list")
APP_LIST = reverse("wagtailsnippets_funding_application:list")
ORG_CHOOSER = reverse("wagtailsnippetchoosers_incubator_organization:choose_results")

NAMES = [
    "湖南省益阳社工服务中心",
    "100%公益服务中心",
    "a_b互助会",
    'The "Sunshine" Center',
    "O'Brien社区服务社",
    "OR AND NOT 协会",
    "星*光^志愿队",
    "NEAR(星 光) 之家",
    "col:umn (括号) 社",
    "反斜杠\\服务社",
    "😀笑脸😀互助社",
    "Ｆｕｌｌ宽字符社",
    "SunShine Youth Club",
]

TERMS = [
    "%",
    "_",
    "\\",
    '"',
    "'",
    "*",
    "NEAR(",
    "NEAR(星",
    "OR",
    "AND",
    "NOT",
    "OR AND NOT",
    "^",
    ":",
    "(",
    "col:umn",
    "a",
    "ab",
    "a_b",
    "益",
    "益阳",
    "益阳社工",
    "😀",
    "😀笑",
    "😀笑脸😀",
    "Ｆ",
    "Ｆｕｌｌ",
    "ｆｕｌｌ",
    "sunshine",
    "SUNSHINE Y",
    "  ",
    "   ",
    " 益阳社工 ",
    "MJ0000",
    "'; DROP TABLE incubator_organization; --",
    "' OR '1'='1",
    '" OR ""="',
    "x" * 10_000,
    "益阳" * 5_000,
]


@pytest.fixture
def orgs(region):
    rows = [
        Organization(
            name=name,
            uscc=f"52430900MJ{n:07d}X"[:18],
            org_type=OrganizationType.SOCIAL_SERVICE,
            registration_level=RegistrationLevel.COUNTY,
            region=region,
        )
        for n, name in enumerate(NAMES, start=1)
    ]
    return Organization.objects.bulk_create(rows)


def _plain(term):
    return set(
        Organization.objects.filter(
            reduce(or_, (Q(**{f"{f}__icontains": term}) for f in ORG_FIELDS))
        ).values_list("name", flat=True)
    )


def _searched(term):
    return set(
        substring_filter(Organization.objects.all(), term, ORG_FIELDS).values_list(
            "name", flat=True
        )
    )


@pytest.mark.parametrize("term", TERMS, ids=lambda t: repr(t[:20]))
def test_hostile_terms_find_exactly_what_icontains_finds(orgs, term):
    assert _searched(term) == _plain(term)


def test_hand_counted_hostile_terms(orgs):
    assert _searched("NEAR(星") == {"NEAR(星 光) 之家"}
    assert _searched("OR AND NOT") == {"OR AND NOT 协会"}
    assert _searched("😀笑脸😀") == {"😀笑脸😀互助社"}
    assert _searched('"Sunshine"') == {'The "Sunshine" Center'}
    assert _searched("sunshine") == {'The "Sunshine" Center', "SunShine Youth Club"}
    assert _searched("' OR '1'='1") == set()
    assert _searched("x" * 10_000) == set()


@pytest.fixture
def admin_zh(client, django_user_model):
    user = django_user_model.objects.create_superuser("atk19", "a@example.org", "x")
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    return client


@pytest.mark.parametrize("url", [ORG_LIST, APP_LIST, ORG_CHOOSER])
def test_listings_and_chooser_answer_every_hostile_term(orgs, admin_zh, url):
    for term in [*TERMS, "\x00", "益\x00阳", "\x00\x00\x00"]:
        response = admin_zh.get(url, {"q": term})
        assert response.status_code == 200, repr(term[:30])


def test_the_listing_finds_the_hostile_names(orgs, admin_zh):
    html = admin_zh.get(ORG_LIST, {"q": "NEAR(星"}).content.decode()
    assert "共有 1 个符合" in html
    assert "NEAR(星 光) 之家" in html
    html = admin_zh.get(ORG_LIST, {"q": " 😀笑脸😀 "}).content.decode()
    assert "共有 1 个符合" in html


def test_rows_of_the_raw_bulk_insert_are_found_renamed_and_deleted(region):
    made = instances_insert(
        [
            Organization(
                name=f"批量写入的益阳{n}号协会",
                uscc=f"52430900MJ{n:07d}Y"[:18],
                org_type=OrganizationType.SOCIAL_SERVICE,
                registration_level=RegistrationLevel.COUNTY,
                region=region,
            )
            for n in range(1, 4)
        ]
    )
    assert len(_searched("批量写入的益阳")) == 3
    Organization.objects.filter(pk=made[0].pk).update(name="改名后的长沙协会")
    assert _searched("批量写入的益阳") == {
        "批量写入的益阳2号协会",
        "批量写入的益阳3号协会",
    }
    assert _searched("改名后的长沙") == {"改名后的长沙协会"}
    Organization.objects.filter(pk=made[1].pk).delete()
    assert _searched("批量写入的益阳") == {"批量写入的益阳3号协会"}
    assert _searched("益阳2号") == set()
