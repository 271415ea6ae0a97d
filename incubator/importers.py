"""Importing organizations from Excel/CSV: every row validated, then all written at once."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from core.imports import register
from core.models import Region
from core.spreadsheets import ValidationResult, parsed_rows
from incubator.models import Organization, ServiceField
from incubator.organization_columns import (
    ORGANIZATION_COLUMNS,
    READ_ONLY_EXPORT_HEADERS,
)

PROGRESS_EVERY = 250


@register
class OrganizationImporter:
    kind = "organizations"
    label = gettext_lazy("Import organizations")
    columns = ORGANIZATION_COLUMNS
    # The export's read-only columns: an exported file can be imported again.
    read_only_headers = READ_ONLY_EXPORT_HEADERS
    permissions_required = ("incubator.add_organization",)

    @property
    def index_label(self):
        return Organization._meta.verbose_name_plural

    def index_url(self):
        return reverse("wagtailsnippets_incubator_organization:list")

    def validate(self, frame, progress=None):
        result = ValidationResult()
        labels = {c.key: str(c.label) for c in self.columns}
        regions = {r.code: r for r in Region.objects.all()}
        fields = {f.name: f for f in ServiceField.objects.all()}
        existing = set(
            Organization.objects.exclude(uscc=None).values_list("uscc", flat=True)
        )
        seen = {}
        total = len(frame)
        exclude = ["region", "service_fields", "uscc"]

        for row in parsed_rows(frame, self.columns):
            index, row_number, values, errors = (
                row.index,
                row.number,
                row.values,
                row.errors,
            )
            error = row.error

            region = None
            if "region_code" in values:
                region = regions.get(values["region_code"])
                if region is None:
                    error(
                        "region_code",
                        _("“%(code)s” is not a known administrative division code.")
                        % {"code": values["region_code"]},
                    )
            service_fields = []
            for name in values.get("service_fields", []):
                if name in fields:
                    service_fields.append(fields[name])
                else:
                    error(
                        "service_fields",
                        _("“%(value)s” is not a service field; use one of: %(allowed)s")
                        % {"value": name, "allowed": "、".join(fields)},
                    )

            org = Organization(
                **{
                    k: v
                    for k, v in values.items()
                    if k not in ("region_code", "service_fields")
                },
                region=region,
            )
            if not errors:
                try:
                    org.clean()
                except ValidationError as exc:
                    for field_name, messages in exc.message_dict.items():
                        key = field_name if field_name in labels else "name"
                        for message in messages:
                            error(key, message)
                try:
                    org.clean_fields(exclude=exclude)
                except ValidationError as exc:
                    for field_name, messages in exc.message_dict.items():
                        key = field_name if field_name in labels else "name"
                        for message in messages:
                            error(key, message)
            if org.uscc and not any(e.column == labels["uscc"] for e in errors):
                if org.uscc in existing:
                    error(
                        "uscc",
                        _("An organization with this code is already registered."),
                    )
                elif org.uscc in seen:
                    error(
                        "uscc",
                        _("The same code is already in row %(row)s of this file.")
                        % {"row": seen[org.uscc]},
                    )
                else:
                    seen[org.uscc] = row_number
            if errors:
                result.errors.extend(errors)
            else:
                result.records.append((org, service_fields))
            if progress and (index + 1) % PROGRESS_EVERY == 0:
                progress(index + 1, total)
        if progress:
            progress(total, total)
        return result

    def write(self, records, user):
        """Write validated records; call inside a transaction."""
        organizations = [org for org, _fields in records]
        created = bulk_create_with_history(
            organizations, Organization, batch_size=500, default_user=user
        )
        through = Organization.service_fields.through
        links = [
            through(organization_id=org.pk, servicefield_id=field.pk)
            for org, (_org, fields) in zip(created, records, strict=True)
            for field in fields
        ]
        through.objects.bulk_create(links, batch_size=1000)
        return len(created)
