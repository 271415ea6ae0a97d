"""Spreadsheet imports: the importer contract (`BaseImporter`) and running a job.

An import kind (organizations, residents, outcome reports) is a `BaseImporter`
subclass in its app's `imports/` package, registered with `@register`;
`ImportJob.kind` names one. Every file is validated row by row first, then written
all at once inside one transaction, or not at all. A job runs here
(`import_job_run`); `core.tasks` decides whether it runs now or in the worker.
"""

import datetime
import hashlib
import io
import json
import logging
import threading
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import (
    DatabaseError,
    IntegrityError,
    OperationalError,
    connection,
    transaction,
)
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from core.models import ImportJob
from core.spreadsheets import (
    RowError,
    SpreadsheetError,
    ValidationResult,
    cell_text,
    parsed_rows,
    read_table,
)

logger = logging.getLogger(__name__)


class BaseImporter:
    """
    Base class for an import kind.

    An importer turns the rows of an uploaded .xlsx/.csv file into records and
    writes them. This class owns what every kind shares — reading the file against
    the columns, the row loop, progress reports and the collected errors — so that
    the upload screen, the background worker and the management command all behave
    identically. It also builds, from the same column list, the downloadable empty
    workbook (`template_workbook`) and the listing's export (`export_fields`): an
    exported file can be edited and imported again.

    Subclasses set `kind`, `label`, `columns`, `permissions_required`, `model` and
    `index_url_name`, and implement `validate_row` and `write`; `prepare` and
    `finish` are optional hooks. Register a subclass with `@register`.

    Update by key: a kind that sets `natural_key` gets, from this class, the
    refusal of two rows with the same key in one file. To also update the records
    a file matches, it implements two small methods: `existing(keys)` (the stored
    records of those keys, as a dict key → instance) and `apply(instance, record)`
    (bring one stored record to what its row says, and save it). The core then
    sorts the rows into new, changed (with each column's old → new) and unchanged
    (`plan`; a change the kind's rules forbid is refused there through
    `update_refusals`), shows that preview, and after the officer's confirmation writes the
    new ones with `write` and the changed ones with `apply` (`write_plan`), the
    history naming the importing user. A kind without `apply` stays create-only:
    a row matching a stored record is refused with `exists_message`.

    The core calls, in this order: `validate(frame, progress)` (which calls
    `prepare()`, then `validate_row(row)` per data row, then `finish(result)`),
    `plan(result, update)`, and, when no row has an error (and the preview is
    confirmed where it must be), `write_plan(plan, user)` inside a transaction.
    """

    kind: str = ""
    """
    The name the importer is registered under and that `ImportJob.kind` stores,
    e.g. ``"organizations"``. Also the stem of the template's file name.
    """

    label = ""
    """The (lazy) title of the upload screen, e.g. "Import organizations"."""

    columns: list = []
    """
    The kind's one column list (`core.spreadsheets.Column`), in export order. The
    columns without `read_only` make the template and are read on import; the
    `read_only` ones are written by the export and ignored when a file comes back.
    """

    permissions_required: tuple = ()
    """The Django permissions a user needs to upload (and rerun) this kind."""

    model = None
    """The model whose listing the screens link back to (its plural name)."""

    index_url_name: str = ""
    """
    The URL name of that listing,
    e.g. ``"wagtailsnippets_incubator_organization:list"``.
    """

    natural_key: tuple = ()
    """
    The column keys that identify an existing record of this kind, e.g.
    ``("uscc",)`` for organizations, ``("title", "fund", "year", "uscc")`` for
    awards. Empty: every row creates a record and a row matching an existing one
    is refused. With a key, a row that matches an existing record updates it
    (after the preview's confirmation), and two rows with the same key in one
    file are refused.

    A row's key is `row_key(values)`: by default the tuple of the parsed cells of
    these columns (None when they are all empty: such a row is always new). The
    keys given to `existing` are these tuples.
    """

    exists_message = gettext_lazy(
        "A record with the same %(columns)s is already stored; import with "
        "update to change it."
    )
    """
    The refusal of a row that matches a stored record when the import does not
    update (the command without ``--update``, or a create-only kind). May use
    ``%(columns)s`` (the key's column headers).
    """

    duplicate_message = gettext_lazy(
        "The same %(columns)s is already in row %(row)s of this file."
    )
    """The refusal of a second row with the same key; ``%(row)s`` is the first
    row's number, ``%(columns)s`` the key's column headers."""

    present: set = frozenset()
    """
    The keys of the columns the uploaded file has (set by `validate`). An update
    changes only those: a column left out of the file leaves its field as it is,
    while an empty cell of a column the file has empties the field.
    """

    progress_every: int = 250
    """Report progress every this many data rows (and once at the end)."""

    user = None
    """
    The user the import runs for (the job's uploader), or None (the management
    command): an importer may limit the rows to what this user may write.
    """

    def __init__(self, user=None):
        self.user = user
        self._sources = {}

    # --- what the kind declares, derived ---------------------------------------

    @property
    def import_columns(self):
        """The columns read on import and shown in the template, in order."""
        return [column for column in self.columns if not column.read_only]

    @property
    def read_only_headers(self):
        """The (lazy) headers of the export-only columns: accepted in an uploaded
        file and ignored."""
        return [column.label for column in self.columns if column.read_only]

    @classmethod
    def export_fields(cls):
        """The listing's export as (attribute path, lazy heading) pairs, one per
        column, import and read-only alike, in the column list's order."""
        return [(column.export_field, column.label) for column in cls.columns]

    def template_workbook(self):
        """The downloadable empty template: .xlsx bytes whose one row is the header
        of every import column, in the current language."""
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.append([str(column.label) for column in self.import_columns])
        output = io.BytesIO()
        workbook.save(output)
        return output.getvalue()

    @property
    def index_label(self):
        """The plural name of `model`, for breadcrumbs and the back link."""
        return self.model._meta.verbose_name_plural

    def index_url(self):
        """The URL of the listing of `model`."""
        return reverse(self.index_url_name)

    # --- the row loop ------------------------------------------------------------

    def validate(self, frame, progress=None):
        """Check every data row of `frame` (from `read_table`); write nothing.

        Returns a `ValidationResult`: the records of the valid rows, and the
        `RowError`s of the others. `progress(done, total)` is called every
        `progress_every` rows and at the end; it may raise to stop the run (the
        job was interrupted)."""
        result = ValidationResult()
        self.present = frozenset(frame.attrs.get("present", ()))
        self._sources = {}
        self.prepare()
        total = len(frame)
        first_row = {}
        for row in parsed_rows(frame, self.import_columns):
            record = self.validate_row(row)
            key = self.row_key(row.values) if self.natural_key else None
            if key is not None and not row.errors:
                if key in first_row:
                    row.error(
                        self._key_column(row.values),
                        self.duplicate_message
                        % {"row": first_row[key], "columns": self._key_headers()},
                    )
                else:
                    first_row[key] = row.number
            if row.errors:
                result.errors.extend(row.errors)
            elif record is not None:
                result.records.append(record)
                self._sources[id(record)] = _Source(
                    row.number, key, row.values, _RowTexts(frame, row.index)
                )
            done = row.index + 1
            if progress and done % self.progress_every == 0:
                progress(done, total)
        if progress:
            progress(total, total)
        return self.finish(result)

    def prepare(self):
        """Load, once before the rows, what every row is checked against
        (lookups, existing codes); the default does nothing."""

    def validate_row(self, row):
        """Check one `core.spreadsheets.ParsedRow` (its cells already parsed and
        required cells checked): report problems with `row.error(key, message)`
        or `row.error_from(validation_error)`, and return the record to write.
        A row with errors is not written; None means "nothing to append"."""
        raise NotImplementedError

    def finish(self, result):
        """The result after the last row (an importer that groups rows into
        records sets them here); the default returns it unchanged."""
        return result

    def write(self, records, user):
        """Write the validated new `records` for `user` (None from the command);
        return how many were written. Called inside a transaction: raising
        (a domain rule's ValidationError included) writes nothing. With a
        `natural_key`, only the records of rows matching nothing stored come here."""
        raise NotImplementedError

    # --- update by key -------------------------------------------------------------

    def row_key(self, values):
        """The key of a row from its parsed cells (`values`, by column key): the
        tuple of the `natural_key` cells, or None when none is filled (the row is
        always new). Override when the key is one column or another (organizations:
        the USCC, or the filing number of a community organization without one)."""
        key = tuple(values.get(name) for name in self.natural_key)
        if all(part in (None, "") for part in key):
            return None
        return key

    def key_of(self, record):
        """The key of a validated record: by default the key of the row it came
        from. A kind whose records gather several rows (outcome reports: one report
        from its lines) overrides this, and `row_key` to answer None."""
        source = self._sources.get(id(record))
        return source.key if source else None

    def existing(self, keys):
        """The stored records with these keys (a set of `row_key` tuples), as a
        dict key → instance. The default finds none: every row is new."""
        return {}

    def apply(self, instance, record):
        """Bring the stored `instance` to what the validated `record` says (only
        the columns in `present`) and save it. Called inside a transaction with
        ``instance._history_user`` set to the importing user, so the history names
        them; a ValidationError writes nothing. Not implemented: the kind is
        create-only, and a row matching a stored record is refused."""
        raise NotImplementedError

    @property
    def updates(self):
        """Whether this kind updates the records a file matches (it has `apply`)."""
        return bool(self.natural_key) and type(self).apply is not BaseImporter.apply

    def changes(self, instance, record):
        """What importing `record` over the stored `instance` changes, as a list of
        `Change` (column header, old text, new text); empty: unchanged.

        The default compares, column by column (import columns the file has), the
        stored value as the listing's export writes it, parsed by the column, with
        the row's parsed cell: "省" and "省级", "2023/1/5" and "2023-01-05", or
        "养老、儿童" and "儿童,养老" are the same value."""
        source = self._sources.get(id(record))
        if source is None:
            return []
        found = []
        for column in self.import_columns:
            if column.key not in self.present:
                continue
            old_text = cell_text(export_value(instance, column.export_field))
            new_text = source.texts.get(column.key, "")
            new = source.values.get(column.key)
            if _comparable(_parsed(column, old_text)) != _comparable(new):
                found.append(Change(str(column.label), old_text, new_text))
        return found

    def describe(self, record, instance=None):
        """How the preview names a record: the stored one's name, or the new one's."""
        target = instance if instance is not None else record
        if isinstance(target, tuple | list):
            target = target[0]
        return str(target)

    def plan(self, result, update=True):
        """Sort the validated records into new, changed and unchanged (an
        `ImportPlan`). Without `update`, or for a create-only kind, a record
        matching a stored one is refused instead: its error is added to
        `result.errors` (row N, column of the key: `exists_message`)."""
        plan = ImportPlan(notices=list(result.notices))
        keyed = {}
        for record in result.records:
            key = self.key_of(record) if self.natural_key else None
            if key is not None:
                keyed[id(record)] = key
        stored = self.existing(set(keyed.values())) if keyed else {}
        for record in result.records:
            instance = stored.get(keyed.get(id(record)))
            source = self._sources.get(id(record))
            number = source.number if source else None
            if instance is None:
                plan.new.append(PlannedRecord(number, record))
                continue
            if not (update and self.updates):
                values = source.values if source else {}
                result.errors.append(
                    RowError(
                        number,
                        self._labels().get(self._key_column(values), ""),
                        str(self.exists_message % {"columns": self._key_headers()}),
                    )
                )
                continue
            changes = self.changes(instance, record)
            planned = PlannedRecord(number, record, instance, changes)
            (plan.changed if changes else plan.unchanged).append(planned)
            if changes:
                labels = self._labels()
                result.errors.extend(
                    RowError(number, labels.get(key, key), str(message))
                    for key, message in self.update_refusals(
                        instance, record, changes
                    ).items()
                )
        return plan

    def update_refusals(self, instance, record, changes):
        """Why the stored `instance` may not become what `record` says, as a dict
        column key → message in the user's language; empty (the default): it may.
        Called by `plan` for each changed record (`changes`: its `Change` list), so
        that a refused change is an error of its row and column in the preview and
        nothing is written — `apply` is never the place to refuse."""
        return {}

    def write_plan(self, plan, user):
        """Write a confirmed `plan` for `user`: the new records through `write`,
        the changed ones through `apply` (history naming `user`); the unchanged
        are left alone. Returns (created, updated). Call inside a transaction."""
        created = self.write([p.record for p in plan.new], user) if plan.new else 0
        for planned in plan.changed:
            planned.instance._history_user = user
            self.apply(planned.instance, planned.record)
        return created, len(plan.changed)

    def _labels(self):
        return {column.key: str(column.label) for column in self.columns}

    def _key_headers(self):
        labels = self._labels()
        return "、".join(labels.get(name, name) for name in self.natural_key)

    def _key_column(self, values):
        """The column a key refusal is reported against: the first key column the
        row fills."""
        for name in self.natural_key:
            if values.get(name) not in (None, ""):
                return name
        return self.natural_key[0] if self.natural_key else ""


class _RowTexts:
    """The cells of one row of the frame as written in the file, read when asked
    (the preview of a changed record), so that validating 100,000 rows does not
    keep a second copy of every cell. `get(key, default)` like a dict."""

    __slots__ = ("frame", "index")

    def __init__(self, frame, index):
        self.frame = frame
        self.index = index

    def get(self, key, default=None):
        if key not in self.frame.columns:
            return default
        return self.frame[key].iat[self.index]


@dataclass
class _Source:
    """Where a record came from: its row number, key, parsed cells and texts."""

    number: int
    key: tuple | None
    values: dict
    texts: object  # _RowTexts: .get(key, default)


@dataclass
class Change:
    """One column a row changes on a stored record: its header and the values as
    text (the stored one as exported, the new one as written in the file)."""

    column: str
    old: str
    new: str


@dataclass
class PlannedRecord:
    """One record of a plan: its row number (None for records that gather rows),
    the validated record, and for a matched one the stored instance and changes."""

    number: int | None
    record: object
    instance: object = None
    changes: list = field(default_factory=list)


@dataclass
class ImportPlan:
    """What importing a validated file will do: `new`, `changed` and `unchanged`
    (`PlannedRecord` lists) and the importer's `notices` (translated strings)."""

    new: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    notices: list = field(default_factory=list)

    @property
    def needs_confirmation(self):
        """A file that matches stored records, or whose write does more than
        create its rows (notices), waits for the officer's confirmation; a file of
        new rows only is written at once."""
        return bool(self.changed or self.unchanged or self.notices)

    def preview(self, importer, limit=None):
        """The plan as JSON for the job and the screens: counts, notices, the
        first `limit` changed records with their changes, and the `digest` of
        every change (all changed records, not only those listed), so that a
        confirmed job whose stored records changed since its preview — any of
        them — is shown again instead of written (`import_job_run`)."""
        limit = settings.IMPORT_MAX_STORED_ERRORS if limit is None else limit
        changes = [
            {
                "row": planned.number,
                "record": importer.describe(planned.record, planned.instance),
                "changes": [
                    [change.column, change.old, change.new]
                    for change in planned.changes
                ],
            }
            for planned in self.changed
        ]
        return {
            "new": len(self.new),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
            "notices": [str(notice) for notice in self.notices],
            "changes": changes[:limit],
            "digest": _digest(changes),
        }


def _digest(value):
    """A short fingerprint (hex) of a JSON-able value."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def preview_digest(preview):
    """The fingerprint of a job's `preview` (its JSON) that the confirmation form
    sends back: a confirmation names the preview the officer saw
    (`import_job_confirm`)."""
    return _digest(preview or {})


def export_value(instance, path):
    """The value the listing's export writes for attribute `path` of `instance`
    ("region.code", "get_org_type_display"): each step read, called when callable;
    None along the way gives None."""
    value = instance
    for name in path.split("."):
        if value is None:
            return None
        value = getattr(value, name, None)
        if callable(value):
            value = value()
    return value


def _parsed(column, text):
    """A stored value's export text read back the way the column reads a cell;
    the text itself when it does not parse (it then differs from any good cell)."""
    if not text:
        return None
    if column.parse is None:
        return text
    try:
        return column.parse(text)
    except ValidationError:
        return text


def _comparable(value):
    """A parsed cell in a form two equal values share: lists as sorted tuples,
    empty text as None."""
    if isinstance(value, list | tuple):
        return tuple(sorted(str(v) for v in value)) or None
    if value == "":
        return None
    return value


_registry = {}


def register(importer_class):
    """Class decorator: make an importer available under its `kind`."""
    _registry[importer_class.kind] = importer_class
    return importer_class


def get_importer(kind, user=None):
    """A new importer of `kind` for `user`; KeyError for an unknown kind."""
    return _registry[kind](user=user)


def importers():
    """Every registered importer class, by kind."""
    return dict(_registry)


def import_validate(importer, fileobj, filename, progress=None):
    """Read and validate a file; returns ValidationResult. Writes nothing."""
    try:
        frame = read_table(
            fileobj,
            filename,
            importer.import_columns,
            read_only=importer.read_only_headers,
        )
    except SpreadsheetError as exc:
        return ValidationResult(errors=[RowError(None, "", str(exc))])
    return importer.validate(frame, progress=progress)


def import_write(importer, records, user):
    """Write validated records in one transaction; returns how many."""
    with transaction.atomic():
        return importer.write(records, user=user)


def import_plan_write(importer, plan, user):
    """Write a confirmed plan in one transaction; returns (created, updated)."""
    with transaction.atomic():
        return importer.write_plan(plan, user=user)


class ImportInterrupted(Exception):
    """The job was declared interrupted (its worker went silent) while this process
    was still running it: stop, write nothing."""


def import_jobs_interrupt_stale(jobs=None, now=None):
    """Mark running jobs whose worker has gone silent (no heartbeat for
    IMPORT_STALE_AFTER_SECONDS) as failed and interrupted; returns how many.

    Called whenever someone looks at a job, so the user sees the failure instead of a
    progress bar that never moves. The update is conditional: a worker that finishes
    at the same moment wins or loses cleanly (see `import_job_run`)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.IMPORT_STALE_AFTER_SECONDS)
    jobs = ImportJob.objects.all() if jobs is None else jobs
    stale = jobs.filter(status__in=ImportJob.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at=None, created_at__lt=cutoff)
    )
    # Look first (a read never waits), write only when there is something to mark.
    if not stale.exists():
        return 0
    try:
        with transaction.atomic():
            return stale.update(
                status=ImportJob.Status.FAILED, interrupted=True, finished_at=now
            )
    except OperationalError:
        # SQLite while the worker holds the write lock: the worker is busy writing,
        # so not silent; look again on the next poll.
        logger.info("could not mark stale import jobs now", exc_info=True)
        return 0


class _Heartbeat:
    """Touches the job's heartbeat every IMPORT_HEARTBEAT_SECONDS from a thread of
    its own (with its own database connection), so that a long write in one
    transaction still shows the worker alive. A killed worker stops beating."""

    def __init__(self, job_pk):
        self.job_pk = job_pk
        self.interval = settings.IMPORT_HEARTBEAT_SECONDS
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"import-heartbeat-{job_pk}", daemon=True
        )

    def _run(self):
        try:
            while not self._stop.wait(self.interval):
                try:
                    ImportJob.objects.filter(
                        pk=self.job_pk, status__in=ImportJob.RUNNING
                    ).update(heartbeat_at=timezone.now())
                except DatabaseError:
                    # e.g. SQLite's write lock held by the import itself: the next
                    # beat tries again.
                    logger.info("import heartbeat skipped", exc_info=True)
        finally:
            connection.close()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def import_job_run(job, language=None, heartbeat=False):
    """Validate and write one job, recording progress and the outcome on the job.

    Runs a job once: a job that is no longer waiting (already run, or run by another
    worker) is left alone. `heartbeat` (the background worker) beats from a thread
    while the job runs; progress reports beat too. If the job is declared interrupted
    meanwhile, the run stops and its write is rolled back."""
    language = language or settings.LANGUAGE_CODE
    started = ImportJob.objects.filter(
        pk=job.pk, status=ImportJob.Status.PENDING
    ).update(
        status=ImportJob.Status.VALIDATING,
        processed_rows=0,
        errors=[],
        error_count=0,
        heartbeat_at=timezone.now(),
    )
    if not started:
        job.refresh_from_db()
        return job
    try:
        if heartbeat:
            with _Heartbeat(job.pk):
                _run(job, language)
        else:
            _run(job, language)
    except ImportInterrupted:
        logger.warning("import job %s was interrupted; nothing written", job.pk)
    job.refresh_from_db()
    if job.is_finished and not job.interrupted:
        # Saved once more, after the write committed, so that post_save listeners
        # (the public figures' cache) hear of the outcome.
        job.save(update_fields=["finished_at"])
    return job


WRITE_CONFLICT_MESSAGE = gettext_lazy(
    "The database refused a row of the file while writing (someone may have "
    "registered the same code meanwhile): nothing of the file was saved. Check it "
    "and import it again."
)


def _run(job, language):
    # The importer may narrow the rows to what the uploader may write.
    importer = get_importer(job.kind, user=job.created_by)
    with translation.override(language):

        def progress(done, total):
            beat = ImportJob.objects.filter(
                pk=job.pk, status=ImportJob.Status.VALIDATING
            ).update(processed_rows=done, total_rows=total, heartbeat_at=timezone.now())
            if not beat:
                raise ImportInterrupted

        with job.file.open("rb") as fileobj:
            result = import_validate(importer, fileobj, job.original_name, progress)
        plan = importer.plan(result, update=True) if not result.errors else None
        if result.errors:
            _finish(
                job,
                ImportJob.Status.VALIDATING,
                status=ImportJob.Status.FAILED,
                **stored_errors(result.errors),
            )
            return
        preview = plan.preview(importer)
        confirmed = job.confirmed_at is not None
        if (not confirmed and plan.needs_confirmation) or (
            confirmed and preview != job.preview
        ):
            # Nothing is written until the officer confirms this preview; a
            # confirmed job whose records changed since its preview is shown again.
            _await_confirmation(job, preview, len(result.records), changed=confirmed)
            return
        moved = ImportJob.objects.filter(
            pk=job.pk, status=ImportJob.Status.VALIDATING
        ).update(
            status=ImportJob.Status.WRITING,
            total_rows=len(result.records),
            heartbeat_at=timezone.now(),
        )
        if not moved:
            raise ImportInterrupted
        try:
            with transaction.atomic():
                created, updated = importer.write_plan(
                    plan, user=job.confirmed_by or job.created_by
                )
                # In the same transaction as the rows: either both the rows and
                # "succeeded" are stored, or neither is.
                _finish(
                    job,
                    ImportJob.Status.WRITING,
                    status=ImportJob.Status.SUCCEEDED,
                    created_count=created,
                    updated_count=updated,
                    preview=preview,
                    processed_rows=len(result.records),
                )
        except ImportInterrupted:
            raise
        except ValidationError as exc:
            # A domain rule refused a row while writing: the transaction rolled
            # back, so nothing is written; the user sees the rule's own message.
            _finish(
                job,
                ImportJob.Status.WRITING,
                status=ImportJob.Status.FAILED,
                **stored_errors([RowError(None, "", m) for m in exc.messages]),
            )
            return
        except IntegrityError:
            # A key the check found free was written meanwhile by someone else (a
            # big file takes minutes): the transaction rolled back, nothing is
            # written; the user reads why, not the database's words.
            logger.warning(
                "import job %s: refused by the database", job.pk, exc_info=True
            )
            _finish(
                job,
                ImportJob.Status.WRITING,
                status=ImportJob.Status.FAILED,
                **stored_errors([RowError(None, "", str(WRITE_CONFLICT_MESSAGE))]),
            )
            return
        except Exception as exc:
            _finish(
                job,
                ImportJob.Status.WRITING,
                status=ImportJob.Status.FAILED,
                **stored_errors([RowError(None, "", str(exc))]),
            )
            raise


def _await_confirmation(job, preview, rows, changed=False):
    """Park a validated job until an officer confirms its `preview` (or, when the
    stored records `changed` since the confirmed preview, confirms again)."""
    moved = ImportJob.objects.filter(
        pk=job.pk, status=ImportJob.Status.VALIDATING
    ).update(
        status=ImportJob.Status.AWAITING,
        preview=preview,
        preview_outdated=changed,
        confirmed_by=None,
        confirmed_at=None,
        total_rows=rows,
        processed_rows=rows,
        heartbeat_at=timezone.now(),
    )
    if not moved:
        raise ImportInterrupted


def import_job_confirm(job, user, seen=None):
    """Mark a job awaiting confirmation as confirmed by `user`, once: returns True
    for the one call that moved it (then run it again, see
    `core.tasks.import_job_confirm_run`), False when it was no longer waiting (a
    replayed confirmation writes nothing twice), or when `seen` (the
    `preview_digest` the confirmation form carried) is not the preview the job
    now shows: a confirmation replayed after the preview was shown again (the
    records changed in between) does not confirm a preview nobody saw.
    PermissionError when `user` lacks the kind's permissions (only an officer
    who may import this kind may confirm what it writes)."""
    importer = get_importer(job.kind)
    if not user.has_perms(importer.permissions_required):
        raise PermissionError("no permission to import this kind")
    with transaction.atomic():
        current = (
            ImportJob.objects.select_for_update()
            .filter(pk=job.pk, status=ImportJob.Status.AWAITING)
            .first()
        )
        moved = current is not None and (
            seen is None or seen == preview_digest(current.preview)
        )
        if moved:
            ImportJob.objects.filter(pk=job.pk).update(
                status=ImportJob.Status.PENDING,
                confirmed_by=user,
                confirmed_at=timezone.now(),
            )
    job.refresh_from_db()
    return moved


def stored_errors(errors):
    """The fields of an ImportJob recording `errors` (RowError list): the first
    IMPORT_MAX_STORED_ERRORS as dicts, and how many there were in all, so that a
    file of a million bad rows does not store hundreds of megabytes in one row."""
    cap = settings.IMPORT_MAX_STORED_ERRORS
    return {
        "errors": [error.as_dict() for error in errors[:cap]],
        "error_count": len(errors),
    }


def _finish(job, expected, **fields):
    """Record the outcome if the job is still at `expected` (not interrupted meanwhile)."""
    with transaction.atomic():
        current = (
            ImportJob.objects.select_for_update()
            .filter(pk=job.pk)
            .values_list("status", flat=True)
            .first()
        )
        if current != expected:
            raise ImportInterrupted
        now = timezone.now()
        ImportJob.objects.filter(pk=job.pk).update(
            **fields, finished_at=now, heartbeat_at=now
        )
