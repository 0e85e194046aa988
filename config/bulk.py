"""Insert many rows in one statement without building model instances.

Importing a 20,000-task appendix creates about 100,000 rows (tasks, their agencies, their history).
``bulk_create`` spends most of that time building model instances and preparing values one by one;
on PostgreSQL ``insert_rows`` sends each column as one array literal unpacked by ``UNNEST`` instead,
several times faster. Elsewhere (SQLite in development) it falls back to ``bulk_create``.
"""

import json

from django.db import connection
from django.db.models import JSONField
from django.utils import timezone


def insert_rows(model, rows, returning=False, ignore_conflicts=False):
    """Insert ``rows`` (dicts of attribute name -> value, the same keys in each; values the database
    reads from their text: str, int, date, None, or JSON-ready data for a JSON field) into ``model``'s
    table. Fields left out take their model default (``auto_now`` ones: now). Returns the new primary
    keys in order when ``returning``; ``ignore_conflicts`` skips rows a unique constraint refuses (and
    cannot return keys)."""
    if returning and ignore_conflicts:
        raise ValueError("Rows skipped on a conflict have no primary key to return.")
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objects = model.objects.bulk_create([model(**row) for row in rows], ignore_conflicts=ignore_conflicts)
        return [obj.pk for obj in objects] if returning else []
    fields = {field.attname: field for field in model._meta.concrete_fields if not field.primary_key}
    arrays = {name: _array_literal(fields[name], [row[name] for row in rows]) for name in rows[0]}
    now = timezone.now()
    for name, field in fields.items():
        if name not in arrays:
            stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            element = _element(field, now if stamped else field.get_default())
            arrays[name] = "{" + ",".join([element] * len(rows)) + "}"
    quote = connection.ops.quote_name
    targets = ", ".join(quote(fields[name].column) for name in arrays)
    casts = ", ".join(f"%s::{fields[name].db_type(connection).split('(')[0]}[]" for name in arrays)
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({targets}) SELECT * FROM UNNEST({casts})"
    if ignore_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        if not returning:
            cursor.execute(sql, list(arrays.values()))
            return []
        cursor.execute(f"{sql} RETURNING {quote(model._meta.pk.column)}", list(arrays.values()))
        return [pk for (pk,) in cursor.fetchall()]


def _array_literal(field, values):
    """A PostgreSQL array literal ``{"a","b",NULL}``: the server reads one string much faster than an
    ``ARRAY[...]`` expression of thousands of parameters. Appendices repeat the same few values
    (agencies, deadlines): each distinct value is quoted once."""
    if isinstance(field, JSONField):
        return "{" + ",".join(_element(field, value) for value in values) + "}"
    quoted = {value: _element(field, value) for value in set(values)}
    return "{" + ",".join([quoted[value] for value in values]) + "}"


def _element(field, value):
    if value is None:
        return "NULL"
    if isinstance(field, JSONField):
        value = json.dumps(value)
    text = str(value)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
