"""Builds QuickBooks query-language statements safely (qbo-reference.md section 4).

`SELECT * FROM <Entity> [WHERE a AND b] [ORDERBY f] [STARTPOSITION n] [MAXRESULTS n]`: one entity,
AND only (no OR), STARTPOSITION 1-based, MAXRESULTS at most 1000. String literals are single-quoted
with `'` and `\\` backslash-escaped (`'Amy\\'s Bird Sanctuary'`). The whole statement is URL-encoded
by the HTTP layer, so `&` and `%` in values are safe.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

MAX_RESULTS_LIMIT = 1000

_ENTITY = re.compile(r"^[A-Z][A-Za-z0-9]*$")
_FIELD = re.compile(r"^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$")
_ORDER = re.compile(r"^[A-Za-z][A-Za-z0-9.]*( (ASC|DESC))?$", re.IGNORECASE)
_OPERATORS = {"=", "<", ">", "<=", ">=", "LIKE"}

Value = str | int | Decimal | bool | date | datetime


def quote(value: str) -> str:
    """A quoted string literal: `quote("Amy's") == "'Amy\\\\'s'"` (backslash-escapes `'` and `\\`)."""
    text = str(value)
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def literal(value: Value) -> str:
    """A literal for any supported value: booleans bare (`true`), everything else quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return quote(value.isoformat())
    if isinstance(value, date):
        return quote(value.isoformat())
    if isinstance(value, Decimal):
        return quote(format(value, "f"))
    return quote(str(value))


def check_entity(entity: str) -> str:
    if not _ENTITY.match(entity or ""):
        raise ValueError(f"not a QuickBooks entity name: {entity!r}")
    return entity


def check_field(field: str) -> str:
    if not _FIELD.match(field or ""):
        raise ValueError(f"not a QuickBooks field name: {field!r}")
    return field


def eq(field: str, value: Value) -> str:
    """`Field = 'value'`."""
    return f"{check_field(field)} = {literal(value)}"


def cmp(field: str, op: str, value: Value) -> str:
    """`Field <op> 'value'` with op one of = < > <= >= LIKE."""
    op = op.upper()
    if op not in _OPERATORS:
        raise ValueError(f"unsupported query operator {op!r}")
    return f"{check_field(field)} {op} {literal(value)}"


def in_(field: str, values: Iterable[Value]) -> str:
    """`Field IN ('a', 'b')`; an empty list is refused (QBO has no empty IN)."""
    items = [literal(v) for v in values]
    if not items:
        raise ValueError("in_() needs at least one value")
    return f"{check_field(field)} IN ({', '.join(items)})"


def _where(where: list[str] | None) -> str:
    clauses = [w.strip() for w in (where or []) if w and w.strip()]
    return (" WHERE " + " AND ".join(clauses)) if clauses else ""


def build_select(
    entity: str,
    where: list[str] | None = None,
    order_by: str | None = None,
    start: int = 1,
    max_results: int = MAX_RESULTS_LIMIT,
) -> str:
    """`SELECT * FROM Entity [WHERE ...] [ORDERBY ...] STARTPOSITION start MAXRESULTS max_results`."""
    check_entity(entity)
    if start < 1:
        raise ValueError("STARTPOSITION is 1-based")
    if not 1 <= max_results <= MAX_RESULTS_LIMIT:
        raise ValueError(f"MAXRESULTS must be 1..{MAX_RESULTS_LIMIT}")
    sql = f"SELECT * FROM {entity}{_where(where)}"
    if order_by:
        if not _ORDER.match(order_by.strip()):
            raise ValueError(f"bad ORDERBY: {order_by!r}")
        sql += f" ORDERBY {order_by.strip()}"
    return f"{sql} STARTPOSITION {start} MAXRESULTS {max_results}"


def build_count(entity: str, where: list[str] | None = None) -> str:
    """`SELECT COUNT(*) FROM Entity [WHERE ...]` (answer: `QueryResponse.totalCount`)."""
    return f"SELECT COUNT(*) FROM {check_entity(entity)}{_where(where)}"
