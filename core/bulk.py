"""Writing many new rows fast: model instances to plain INSERTs, with their history.

Django's `bulk_create` prepares every field of every row through the SQL compiler
(about 30 µs a field): 100,000 organizations and their history rows take over a
minute. `rows_insert` prepares only the fields whose database value differs from
the Python one (dates on SQLite, decimals, JSON, datetimes), assigns the primary
keys itself, and sends the rows with one COPY on PostgreSQL (an `executemany` per
row costs the server about three times the index work of the row itself: 100,000
organizations with their search indexes took 30 s of server time, 8 s through COPY),
`executemany` in chunks on SQLite. No signals are sent, like `bulk_create`. Call
it inside a transaction.
"""

from operator import itemgetter

from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models
from django.utils import timezone

CHUNK = 2_000

# Fields whose Python value is the database value on every backend we run on.
_PLAIN = (
    models.CharField,  # EmailField, SlugField, URLField…
    models.TextField,
    models.IntegerField,  # the small, big and positive kinds
    models.BooleanField,
    models.ForeignKey,  # its attname (…_id) holds the key
)


def _converter(field):
    """A function value → database value for `field` (never given None), or None
    when the value goes as it is. Dates go straight through the backend's
    adapters, the rest through the field's own preparation."""
    if isinstance(field, _PLAIN) and not isinstance(field, models.AutoField):
        return None
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return lambda value: ops.adapt_datetimefield_value(field.get_prep_value(value))
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    return lambda value: field.get_db_prep_save(value, connection)


def auto_dated(field):
    """Whether `field` is set to now on save (`auto_now` or `auto_now_add`)."""
    return getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)


def ids_reserve(model, count):
    """`count` new primary keys of `model`, safe against concurrent writers:
    PostgreSQL draws them from the table's sequence; SQLite (one writer at a time,
    the import's transaction holds the lock once it has written) counts on from the
    largest key used so far. A list of ints."""
    if count <= 0:
        return []
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                "FROM generate_series(1, %s)",
                [table, pk, count],
            )
            return [row[0] for row in cursor.fetchall()]
        quoted = connection.ops.quote_name(table)
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "  # noqa: S608 - a model's table
            f"COALESCE((SELECT MAX({connection.ops.quote_name(pk)}) FROM {quoted}), 0))",
            [table],
        )
        top = cursor.fetchone()[0]
    return list(range(top + 1, top + 1 + count))


def rows_insert(model, columns, rows):
    """INSERT `rows` (an iterable of tuples of database values, in the order of
    `columns`, the columns' names) into `model`'s table. Returns how many.

    PostgreSQL: one `COPY … FROM STDIN` (text format, the values adapted by
    psycopg as for an INSERT): the server parses no statement per row, and its
    index work overlaps the preparation of the next rows here. Elsewhere (SQLite):
    CHUNK rows per `executemany`. Same rows stored either way; no triggers are
    skipped (COPY fires them like INSERT)."""
    if connection.vendor == "postgresql":
        return rows_copy(model, columns, rows)
    return rows_executemany(model, columns, rows)


def _names(model, columns):
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), ", ".join(quote(c) for c in columns)


def rows_executemany(model, columns, rows):
    """`rows_insert` through INSERT statements, CHUNK rows per `executemany`
    (any backend). Returns how many."""
    table, names = _names(model, columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 - a model's table
    count = 0
    chunk = []
    with connection.cursor() as cursor:
        for row in rows:
            chunk.append(row)
            if len(chunk) >= CHUNK:
                cursor.executemany(sql, chunk)
                count += len(chunk)
                chunk.clear()
        if chunk:
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count


def rows_copy(model, columns, rows):
    """`rows_insert` through one `COPY … FROM STDIN` (PostgreSQL with psycopg 3
    only). Returns how many."""
    table, names = _names(model, columns)
    count = 0
    # psycopg's own errors (a unique violation ends the COPY) as Django's, like
    # every other query: IntegrityError, DataError…
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def values_insert(model, attnames, rows, *, history_user=None, history_date=None):
    """Insert new rows of `model`, each a tuple of Python values in the order of
    `attnames` (concrete fields' attribute names: `region_id` for a foreign key;
    never the primary key). Primary keys are reserved here (`ids_reserve`);
    `auto_now` / `auto_now_add` fields not named get the same now; other fields not
    named get their default, the same for every row. When the model has
    django-simple-history, one "+" history row each naming `history_user` (what
    `bulk_create_with_history` writes). `rows` is a sequence (its length reserves
    the keys). Returns the new primary keys, a list of ints in the order of `rows`.
    Raises FieldDoesNotExist for a name that is not such a field. Call inside a transaction."""
    opts = model._meta
    if not rows:
        return []
    now = history_date or timezone.now()
    fields = [f for f in opts.concrete_fields if not f.primary_key]
    position = {name: i for i, name in enumerate(attnames)}
    unknown = set(attnames) - {f.attname for f in fields}
    if unknown:
        raise FieldDoesNotExist(
            f"{model.__name__} has no field to write as {', '.join(sorted(unknown))}"
        )
    # Per field: where its value comes from in `row + constants`, and how it is
    # converted (a constant is converted once, here).
    constants, sources, convert = [], [], []
    for i, field in enumerate(fields):
        fn = _converter(field)
        if field.attname in position:
            sources.append(position[field.attname])
            if fn is not None:
                convert.append((i, fn))
            continue
        value = now if auto_dated(field) else field.get_default()
        if fn is not None and value is not None:
            value = fn(value)
        sources.append(len(attnames) + len(constants))
        constants.append(value)
    constants = tuple(constants)
    pick = _picker(sources)
    ids = ids_reserve(model, len(rows))

    def db_row(row):
        picked = pick(tuple(row) + constants)
        if convert:
            picked = list(picked)
            for i, fn in convert:
                if picked[i] is not None:
                    picked[i] = fn(picked[i])
        return picked

    prepared = [(pk, *db_row(row)) for pk, row in zip(ids, rows, strict=True)]
    rows_insert(model, [opts.pk.column] + [f.column for f in fields], prepared)
    history = getattr(model, "history", None)
    if history is not None and hasattr(history, "model"):
        _history_insert(history.model, prepared, fields, history_user, now)
    return ids


def _picker(indexes):
    """A function tuple → tuple of the items at `indexes` (always a tuple)."""
    if len(indexes) == 1:
        (only,) = indexes
        return lambda values: (values[only],)
    return itemgetter(*indexes)


def instances_insert(objs, *, history_user=None, history_date=None):
    """Insert new, unsaved instances of one model (primary keys assigned here and
    set on them), and, when the model has django-simple-history, one "+" history
    row each naming `history_user` (what `bulk_create_with_history` writes).
    `auto_now` / `auto_now_add` fields get the same now. Returns the instances."""
    if not objs:
        return objs
    model = type(objs[0])
    opts = model._meta
    now = history_date or timezone.now()
    fields = [f for f in opts.concrete_fields if not f.primary_key]
    for field in fields:
        if auto_dated(field):
            for obj in objs:
                setattr(obj, field.attname, now)
    attnames = [f.attname for f in fields]
    rows = [tuple(getattr(obj, name) for name in attnames) for obj in objs]
    ids = values_insert(
        model, attnames, rows, history_user=history_user, history_date=now
    )
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def _history_insert(historical, prepared, fields, user, when):
    """The "+" rows in `historical` of the rows just written (`prepared`: tuples of
    database values, the primary key then `fields`): every tracked column as
    written, plus history_date, history_type, history_user and no reason."""
    opts = historical._meta
    names = {f.name for f in opts.concrete_fields}
    tracked = [
        (i + 1, field.column) for i, field in enumerate(fields) if field.name in names
    ]
    extra = {
        "history_date": opts.get_field("history_date").get_db_prep_save(
            when, connection
        ),
        "history_type": "+",
        "history_change_reason": None,
        "history_user_id": getattr(user, "pk", user),
    }
    extra = {k: v for k, v in extra.items() if k in {f.attname for f in opts.fields}}
    id_column = opts.get_field("id").column
    columns = [id_column] + [c for _i, c in tracked] + list(extra)
    tail = tuple(extra.values())
    pick = _picker([0] + [i for i, _c in tracked])
    rows_insert(historical, columns, (pick(row) + tail for row in prepared))
