"""Writing many new rows fast: model instances to plain INSERTs, with their history.

Django's `bulk_create` prepares every field of every row through the SQL compiler
(about 30 µs a field): 100,000 organizations and their history rows take over a
minute. `rows_insert` prepares only the fields whose database value differs from
the Python one (dates on SQLite, decimals, JSON, datetimes), assigns the primary
keys itself, and sends the rows with `executemany` in chunks. No signals are sent,
like `bulk_create`. Call it inside a transaction.
"""

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
    """A function value → database value for `field`, or None when the value
    goes as it is."""
    if isinstance(field, _PLAIN) and not isinstance(field, models.AutoField):
        return None
    return lambda value: field.get_db_prep_save(value, connection)


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
    """INSERT `rows` (tuples of database values, in the order of `columns`, the
    columns' names) into `model`'s table, CHUNK rows per `executemany`. Returns
    how many."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608 - a model's table
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


def instances_insert(objs, *, history_user=None, history_date=None):
    """Insert new, unsaved instances of one model (primary keys assigned here and
    set on them), and, when the model has django-simple-history, one "+" history
    row each naming `history_user` (what `bulk_create_with_history` writes).
    `auto_now` / `auto_now_add` fields get the same now. Returns the instances."""
    if not objs:
        return objs
    model = type(objs[0])
    opts = model._meta
    now = timezone.now()
    fields = [f for f in opts.concrete_fields if not f.primary_key]
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objs:
                setattr(obj, field.attname, now)
    ids = ids_reserve(model, len(objs))
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
    convert = [_converter(f) for f in fields]
    attnames = [f.attname for f in fields]
    pairs = list(zip(attnames, convert, strict=True))

    def values(obj):
        return (obj.pk,) + tuple(
            getattr(obj, name) if fn is None else fn(getattr(obj, name))
            for name, fn in pairs
        )

    columns = [opts.pk.column] + [f.column for f in fields]
    rows_insert(model, columns, (values(obj) for obj in objs))
    history = getattr(model, "history", None)
    if history is not None and hasattr(history, "model"):
        _history_insert(
            history.model, objs, pairs, fields, history_user, history_date or now
        )
    return objs


def _history_insert(historical, objs, pairs, fields, user, when):
    """The "+" rows of `objs` in their historical model: every tracked column as
    written, plus history_date, history_type, history_user and no reason."""
    opts = historical._meta
    names = {f.name for f in opts.concrete_fields}
    tracked = [
        (name, fn, field.column)
        for (name, fn), field in zip(pairs, fields, strict=True)
        if field.name in names
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
    columns = [id_column] + [c for _n, _f, c in tracked] + list(extra)
    tail = tuple(extra.values())

    def values(obj):
        return (
            (obj.pk,)
            + tuple(
                getattr(obj, name) if fn is None else fn(getattr(obj, name))
                for name, fn, _c in tracked
            )
            + tail
        )

    rows_insert(historical, columns, (values(obj) for obj in objs))
