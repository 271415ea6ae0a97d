"""The standard list of service fields (服务领域) a fresh install starts with."""

from django.db import transaction

from incubator.models import ServiceField

# The fields civil-affairs registries commonly record, in the order forms and
# filters show them. Administrators may add, rename or reorder them afterwards
# (the 服务领域 snippet); `service_fields_ensure` never changes an existing one.
SERVICE_FIELDS = [
    "养老",
    "助残",
    "儿童",
    "教育",
    "医疗",
    "乡村振兴",
    "环保",
    "社区治理",
    "社会工作",
    "志愿服务",
    "文化",
    "法律服务",
]


@transaction.atomic
def service_fields_ensure():
    """Create the fields of SERVICE_FIELDS that are missing (by name), with their
    list position as `sort_order`; existing fields are left as they are.

    Returns {name: ServiceField} for the whole standard list. Idempotent: run by
    `setup_platform` on every deployment and by the demo (issue item "first run
    without demo data")."""
    found = {}
    for order, name in enumerate(SERVICE_FIELDS):
        found[name], _created = ServiceField.objects.get_or_create(
            name=name, defaults={"sort_order": order}
        )
    return found
