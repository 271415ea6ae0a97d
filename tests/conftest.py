import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation

from core import roles
from core.models import Region
from incubator.choices import OrganizationType, RegistrationLevel
from incubator.models import Organization, ServiceField
from incubator.uscc import uscc_make

PASSWORD = "test-pass-123"


def pytest_collection_modifyitems(items):
    """A transactional test empties every table when it ends, and the migrations' data
    (regions, roles) with it: such tests must restore it with serialized_rollback."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
        ):
            raise pytest.UsageError(
                f"{item.nodeid}: use django_db(transaction=True, serialized_rollback=True)"
            )


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the product's default language."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def make_user(db):
    def make(username, role=None, **extra):
        user = get_user_model().objects.create_user(
            username=username,
            password=PASSWORD,
            email=f"{username}@example.org",
            **extra,
        )
        if role:
            user.groups.add(roles.role_group(role))
        return user

    return make


@pytest.fixture
def client_for(make_user):
    """A test client logged in as a new user with the given role."""

    def make(role, username=None, language=None):
        user = make_user(username or role, role)
        if language:
            from wagtail.users.models import UserProfile

            profile = UserProfile.get_for_user(user)
            profile.preferred_language = language
            profile.save()
        client = Client()
        client.force_login(user)
        client.user = user
        return client

    return make


@pytest.fixture
def region(db):
    return Region.objects.get(code="430111")  # 湖南省长沙市雨花区


@pytest.fixture
def service_fields(db):
    return {
        name: ServiceField.objects.get_or_create(name=name)[0]
        for name in ["养老", "儿童", "乡村振兴", "社区治理"]
    }


_serial = iter(range(1, 10**6))


@pytest.fixture
def make_organization(db, region):
    def make(**fields):
        org_type = fields.pop("org_type", OrganizationType.SOCIAL_SERVICE)
        reg = fields.pop("region", region)
        defaults = {
            "name": f"测试社会工作服务中心{next(_serial)}",
            "org_type": org_type,
            "registration_level": RegistrationLevel.COUNTY,
            "region": reg,
        }
        if org_type != OrganizationType.COMMUNITY and "uscc" not in fields:
            from incubator.choices import USCC_CATEGORY_BY_TYPE

            defaults["uscc"] = uscc_make(
                USCC_CATEGORY_BY_TYPE[org_type], reg.code, next(_serial)
            )
        defaults.update(fields)
        org = Organization(**defaults)
        org.full_clean()
        org.save()
        return org

    return make


# Each part of the domain keeps its fixtures in its own module.
from tests.fixtures_cms import *  # noqa: E402, F403
from tests.fixtures_funding import *  # noqa: E402, F403
from tests.fixtures_incubation import *  # noqa: E402, F403
from tests.fixtures_projects import *  # noqa: E402, F403
