"""What changed, who changed it and when: read back from django-simple-history.

`history_entries(obj, related=...)` merges the historical records of an object and of
its child records (e.g. an organization's inspections and credit entries) with the
named actions from Wagtail's own log, newest first, each with a field-by-field diff.
"""

from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords
from wagtail.blocks import StreamValue

IGNORED_FIELDS = {"updated_at", "created_at"}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    date: object
    user: object
    action: str
    subject: str
    changes: list = field(default_factory=list)


def _stream_text(value):
    """A StreamField (a call's application form) as its blocks: "数字：服务人次、…"."""
    parts = []
    for child in value:
        inner = child.value
        label = inner.get("label") if hasattr(inner, "get") else None
        kind = str(child.block.label)
        parts.append(f"{kind}：{label}" if label else kind)
    return "、".join(parts) or "—"


def _display(model, field_name, value):
    if value is None or value == "":
        return "—"
    if isinstance(value, StreamValue):
        return _stream_text(value)
    try:
        model_field = model._meta.get_field(field_name)
    except FieldDoesNotExist:
        return str(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.ForeignKey):
        related = model_field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else f"#{value}"
    if isinstance(model_field, models.ManyToManyField):
        target = model_field.related_model
        ids = (
            [row[model_field.m2m_reverse_field_name()] for row in value]
            if value
            else []
        )
        names = [str(o) for o in target._default_manager.filter(pk__in=ids)]
        return "、".join(names) or "—"
    if isinstance(model_field, models.BooleanField):
        return _("yes") if value else _("no")
    return str(value)


def _label(model, field_name):
    try:
        return str(model._meta.get_field(field_name).verbose_name)
    except FieldDoesNotExist:
        return field_name


ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


def _record_entries(records, model, subject_for, skip=()):
    previous = {}
    entries = []
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        key = record.id if hasattr(record, "id") else record.pk
        prev = previous.get(key)
        changes = []
        if record.history_type == "~" and prev is not None:
            delta = record.diff_against(prev)
            for change in delta.changes:
                if change.field in IGNORED_FIELDS:
                    continue
                changes.append(
                    Change(
                        _label(model, change.field),
                        _display(model, change.field, change.old),
                        _display(model, change.field, change.new),
                    )
                )
            if not changes:
                previous[key] = record
                continue
        elif record.history_type == "+":
            for f in model._meta.concrete_fields:
                if f.primary_key or f.name in IGNORED_FIELDS or f.attname in skip:
                    continue
                value = getattr(record, f.attname, None)
                if value in (None, ""):
                    continue
                changes.append(
                    Change(str(f.verbose_name), "—", _display(model, f.name, value))
                )
        previous[key] = record
        entries.append(
            Entry(
                date=record.history_date,
                user=record.history_user,
                action=ACTIONS[record.history_type],
                subject=subject_for(record),
                changes=changes,
            )
        )
    return entries


def history_entries(obj, related=()):
    model = type(obj)
    entries = _record_entries(
        obj.history.all().select_related("history_user"),
        model,
        lambda r: str(model._meta.verbose_name),
    )
    for accessor in related:
        rel = model._meta.get_field(accessor)
        child_model = rel.related_model
        fk_name = rel.field.attname
        records = child_model.history.filter(**{fk_name: obj.pk}).select_related(
            "history_user"
        )
        entries += _record_entries(
            records,
            child_model,
            lambda r, m=child_model: f"{m._meta.verbose_name}: {r.instance}",
            skip={fk_name},
        )
    entries += _log_entries(obj)
    entries.sort(key=lambda e: e.date, reverse=True)
    return entries


def _log_entries(obj):
    """Named actions from Wagtail's log (create/edit are already in the diffs)."""
    from wagtail.models import ModelLogEntry

    routine = {"wagtail.create", "wagtail.edit", "wagtail.delete"}
    entries = []
    for log in ModelLogEntry.objects.for_instance(obj).select_related("user"):
        if log.action in routine:
            continue
        entries.append(
            Entry(
                date=log.timestamp,
                user=log.user,
                action="action",
                subject=log.message,
                changes=[],
            )
        )
    return entries


class ChildHistoricalRecords(HistoricalRecords):
    """HistoricalRecords for a child model whose ParentalKey (modelcluster) must become
    a plain ForeignKey on the historical model: ParentalKey refuses related_name='+'."""

    def copy_fields(self, model):
        from modelcluster.fields import ParentalKey

        fields = super().copy_fields(model)
        for name, copied in list(fields.items()):
            if isinstance(copied, ParentalKey):
                copied.swappable = False
                _name, _path, args, kwargs = copied.deconstruct()
                plain = models.ForeignKey(*args, **kwargs)
                plain.name = copied.name
                fields[name] = plain
        return fields
