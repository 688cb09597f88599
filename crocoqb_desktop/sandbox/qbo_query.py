"""The QBO query language as the sandbox understands it (ref §4, [QUERY]).

`SELECT * | COUNT(*) FROM Entity [WHERE p op v [AND ...]] [ORDERBY f [ASC|DESC], ...]
[STARTPOSITION n] [MAXRESULTS n]`; operators `=, <, >, <=, >=, IN, LIKE` (`%` wildcard); no OR, no
projections; backslash-escaped quotes (query_customer_response.json); keywords case-insensitive
(batch_request.json uses `select * from`), entity names case-sensitive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .qbo_common import QboFault, invalid_query, parse_datetime, query_parse_error, to_decimal
from .xsd_model import FieldModel

DEFAULT_MAX_RESULTS = 100  # ref §4 (UNVERIFIED exact doc text)
MAX_MAX_RESULTS = 1000  # ref §4

# Entities that are "name lists": inactive records hidden unless the WHERE mentions Active (ref §4).
NAME_LISTS = {
    "Customer",
    "Vendor",
    "Employee",
    "Item",
    "Account",
    "PaymentMethod",
    "Term",
    "TaxCode",
    "TaxRate",
    "Class",
    "Department",
}

_COMMON = {"Id", "MetaData.CreateTime", "MetaData.LastUpdatedTime"}
_TXN = _COMMON | {"DocNumber", "TxnDate", "CustomerRef", "TotalAmt", "PrivateNote"}
# Filterable properties (the XSD's own `Filterable:` marks are added at run time). Customer.PrimaryEmailAddr
# is used with `=` in production integrations (ref §4); Vendor.PrimaryEmailAddr is NOT queryable.
FILTERABLE: dict[str, set[str]] = {
    "Customer": _COMMON
    | {
        "DisplayName",
        "GivenName",
        "MiddleName",
        "FamilyName",
        "CompanyName",
        "FullyQualifiedName",
        "PrimaryEmailAddr",
        "Active",
        "Balance",
        "Job",
        "ParentRef",
        "PrintOnCheckName",
    },
    "Vendor": _COMMON
    | {
        "DisplayName",
        "GivenName",
        "MiddleName",
        "FamilyName",
        "CompanyName",
        "Active",
        "Balance",
        "PrintOnCheckName",
    },
    "Employee": _COMMON
    | {"DisplayName", "GivenName", "MiddleName", "FamilyName", "Active", "PrintOnCheckName"},
    "Item": _COMMON | {"Name", "Active", "Type", "Sku", "FullyQualifiedName", "QtyOnHand"},
    "Account": _COMMON
    | {
        "Name",
        "Active",
        "AccountType",
        "AccountSubType",
        "Classification",
        "FullyQualifiedName",
        "CurrentBalance",
        "SubAccount",
    },
    "PaymentMethod": _COMMON | {"Name", "Active", "Type"},
    "Term": _COMMON | {"Name", "Active"},
    "TaxCode": _COMMON | {"Name", "Active", "Taxable", "TaxGroup"},
    "TaxRate": _COMMON | {"Name", "Active", "RateValue"},
    "Invoice": _TXN | {"DueDate", "Balance"},
    "SalesReceipt": _TXN | {"Balance"},
    "RefundReceipt": _TXN,
    "CreditMemo": _TXN | {"Balance"},
    "Payment": _COMMON | {"TxnDate", "CustomerRef", "TotalAmt", "PaymentRefNum", "UnappliedAmt"},
    "Estimate": _TXN | {"DueDate", "TxnStatus"},
    "CompanyInfo": _COMMON,
    "Preferences": _COMMON,
}


@dataclass
class Condition:
    prop: str
    op: str  # = < > <= >= IN LIKE
    values: list[Any]


@dataclass
class Query:
    entity: str
    count: bool
    where: list[Condition] = field(default_factory=list)
    order: list[tuple[str, bool]] = field(default_factory=list)  # (prop, descending)
    start: int = 1
    max_results: int = DEFAULT_MAX_RESULTS


_TOKEN_RE = re.compile(
    r"""
    \s*(?:
      (?P<str>'(?:\\.|[^'\\])*')
    | (?P<op><=|>=|<>|!=|=|<|>)
    | (?P<punct>[(),*])
    | (?P<num>-?\d+(?:\.\d+)?(?![\w.]))
    | (?P<word>[A-Za-z_][\w.]*)
    )""",
    re.VERBOSE,
)


@dataclass
class _Tok:
    kind: str
    text: str
    value: Any = None


def _tokenize(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if not m or m.end() == pos:
            raise query_parse_error(
                f'Encountered " <unexpected character> "{text[pos : pos + 10]}" at column {pos + 1}.'
            )
        pos = m.end()
        if m.group("str") is not None:
            raw = m.group("str")[1:-1]
            toks.append(_Tok("str", m.group("str"), re.sub(r"\\(.)", r"\1", raw)))
        elif m.group("op") is not None:
            toks.append(_Tok("op", m.group("op")))
        elif m.group("punct") is not None:
            toks.append(_Tok("punct", m.group("punct")))
        elif m.group("num") is not None:
            toks.append(_Tok("num", m.group("num"), m.group("num")))
        elif m.group("word") is not None:
            toks.append(_Tok("word", m.group("word")))
        # trailing whitespace
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return toks


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokenize(text)
        self.i = 0

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def next(self) -> _Tok:
        tok = self.peek()
        if tok is None:
            raise query_parse_error('Encountered "<EOF>" at end of query.')
        self.i += 1
        return tok

    def unexpected(self, tok: _Tok | None) -> QboFault:
        shown = "<EOF>" if tok is None else tok.text
        return query_parse_error(f'Encountered " "{shown}" " in "{self.text}".')

    def kw(self, *words: str) -> bool:
        tok = self.peek()
        if tok is not None and tok.kind == "word" and tok.text.upper() in words:
            self.i += 1
            return True
        return False

    def expect_kw(self, word: str) -> None:
        if not self.kw(word):
            raise self.unexpected(self.peek())

    def expect_punct(self, p: str) -> None:
        tok = self.peek()
        if tok is None or tok.kind != "punct" or tok.text != p:
            raise self.unexpected(tok)
        self.i += 1

    def value(self) -> Any:
        tok = self.next()
        if tok.kind in ("str", "num"):
            return tok.value
        if tok.kind == "word" and tok.text.lower() in ("true", "false"):
            return tok.text.lower()
        raise self.unexpected(tok)

    def prop(self) -> str:
        tok = self.next()
        if tok.kind != "word":
            raise self.unexpected(tok)
        return tok.text

    def int_value(self) -> int:
        tok = self.next()
        raw = tok.value if tok.kind in ("num", "str") else None
        try:
            return int(str(raw))
        except (TypeError, ValueError):
            raise self.unexpected(tok) from None

    def parse(self) -> Query:
        self.expect_kw("SELECT")
        count = False
        if self.kw("COUNT"):
            self.expect_punct("(")
            self.expect_punct("*")
            self.expect_punct(")")
            count = True
        else:
            tok = self.peek()
            if tok is None or tok.kind != "punct" or tok.text != "*":
                # projections are not supported (ref §4: "no projections")
                raise self.unexpected(tok)
            self.i += 1
        self.expect_kw("FROM")
        ent = self.next()
        if ent.kind != "word":
            raise self.unexpected(ent)
        query = Query(ent.text, count)
        if self.kw("WHERE"):
            while True:
                query.where.append(self.condition())
                if self.kw("AND"):
                    continue
                break
        seen_start = seen_max = seen_order = False
        while self.peek() is not None:
            if not seen_order and self.kw("ORDERBY"):
                seen_order = True
                self.order(query)
            elif not seen_order and self.kw("ORDER"):
                self.expect_kw("BY")
                seen_order = True
                self.order(query)
            elif not seen_start and self.kw("STARTPOSITION"):
                seen_start = True
                query.start = self.int_value()
            elif not seen_max and self.kw("MAXRESULTS"):
                seen_max = True
                query.max_results = self.int_value()
            else:
                raise self.unexpected(self.peek())  # OR, GROUP BY, JOIN... are not supported
        if query.start < 1:
            raise invalid_query(f"STARTPOSITION must be a positive number: {query.start}")
        if query.max_results < 1:
            raise invalid_query(f"MAXRESULTS must be a positive number: {query.max_results}")
        query.max_results = min(query.max_results, MAX_MAX_RESULTS)
        return query

    def order(self, query: Query) -> None:
        while True:
            prop = self.prop()
            desc = False
            if self.kw("DESC"):
                desc = True
            else:
                self.kw("ASC")
            query.order.append((prop, desc))
            tok = self.peek()
            if tok is not None and tok.kind == "punct" and tok.text == ",":
                self.i += 1
                continue
            break

    def condition(self) -> Condition:
        prop = self.prop()
        if self.kw("IN"):
            self.expect_punct("(")
            values = [self.value()]
            while True:
                tok = self.next()
                if tok.kind == "punct" and tok.text == ",":
                    values.append(self.value())
                elif tok.kind == "punct" and tok.text == ")":
                    break
                else:
                    raise self.unexpected(tok)
            return Condition(prop, "IN", values)
        if self.kw("LIKE"):
            return Condition(prop, "LIKE", [self.value()])
        tok = self.next()
        if tok.kind != "op" or tok.text in ("<>", "!="):
            raise self.unexpected(tok)
        return Condition(prop, tok.text, [self.value()])


def parse_query(text: str) -> Query:
    """Parses a SELECT; raises QboFault 4000 (syntax)."""
    return _Parser(text).parse()


# ----------------------------------------------------------------------------------------------
# evaluation
# ----------------------------------------------------------------------------------------------
def _raw(obj: dict[str, Any], prop: str) -> Any:
    cur: Any = obj
    for part in prop.split("."):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(part)
    if isinstance(cur, dict):
        if "value" in cur:  # ReferenceType
            return cur["value"]
        if "Address" in cur:  # EmailAddress: compared exactly as stored (QBO does not normalise)
            return cur["Address"]
        return None
    return cur


class QueryEngine:
    def __init__(self, model: FieldModel) -> None:
        self.model = model

    def validate(self, query: Query, known_entities: set[str]) -> None:
        if query.entity not in known_entities:
            raise invalid_query(f"invalid context declaration: {query.entity}")
        allowed = FILTERABLE.get(query.entity, _COMMON) | self.model.filterable(query.entity)
        for cond in query.where:
            if cond.prop not in allowed:
                raise invalid_query(f"property '{cond.prop}' is not queryable")
        for prop, _desc in query.order:
            if prop not in allowed:
                raise invalid_query(f"property '{prop}' is not queryable")

    def _kind(self, entity: str, prop: str) -> str:
        if prop == "Id" or prop.endswith("Ref"):
            return "id"
        info = self.model.field(entity, prop)
        if info is None:
            return "string"
        if info.type == "ReferenceType":
            return "id"
        return info.kind or "string"

    def _coerce(self, kind: str, value: Any) -> Any:
        if value is None:
            return None
        try:
            if kind in ("decimal", "int"):
                return to_decimal(value)
            if kind == "datetime":
                return parse_datetime(str(value))
            if kind == "bool":
                return str(value).lower() == "true" if not isinstance(value, bool) else value
            if kind == "id":
                s = str(value)
                return (0, Decimal(s), s) if s.isdigit() else (1, Decimal(0), s)
        except ValueError:
            return str(value)
        return str(value)

    def matches(self, entity: str, obj: dict[str, Any], cond: Condition) -> bool:
        kind = self._kind(entity, cond.prop)
        raw = _raw(obj, cond.prop)
        if cond.op == "LIKE":
            if raw is None:
                return False
            pattern = "^" + ".*".join(re.escape(p) for p in str(cond.values[0]).split("%")) + "$"
            return re.match(pattern, str(raw), re.DOTALL) is not None
        if cond.op == "IN":
            for v in cond.values:
                if v == " " and raw is None:  # null is ' ' in IN clauses (ref §4)
                    return True
                if raw is not None and self._eq(kind, raw, v):
                    return True
            return False
        if raw is None:
            return False
        left, right = self._coerce(kind, raw), self._coerce(kind, cond.values[0])
        try:
            if cond.op == "=":
                return bool(left == right)
            if cond.op == "<":
                return bool(left < right)
            if cond.op == ">":
                return bool(left > right)
            if cond.op == "<=":
                return bool(left <= right)
            if cond.op == ">=":
                return bool(left >= right)
        except TypeError:
            return False
        return False

    def _eq(self, kind: str, raw: Any, value: Any) -> bool:
        try:
            return bool(self._coerce(kind, raw) == self._coerce(kind, value))
        except TypeError:
            return False

    def run(self, query: Query, objects: list[dict[str, Any]]) -> dict[str, Any]:
        """`objects` are every stored object of the entity; returns the QueryResponse value."""
        where = list(query.where)
        if query.entity in NAME_LISTS and not any(c.prop == "Active" for c in where):
            where.append(Condition("Active", "=", ["true"]))
        rows = [o for o in objects if all(self.matches(query.entity, o, c) for c in where)]
        if query.count:
            return {"totalCount": len(rows)}
        order = query.order or [("Id", False)]
        for prop, desc in reversed(order):
            kind = self._kind(query.entity, prop)

            def key(o: dict[str, Any], prop: str = prop, kind: str = kind) -> tuple[int, Any]:
                v = self._coerce(kind, _raw(o, prop))
                return (0, v) if v is not None else (1, 0)

            def text_key(o: dict[str, Any], prop: str = prop) -> str:
                return str(_raw(o, prop))

            try:
                rows.sort(key=key, reverse=desc)
            except TypeError:
                rows.sort(key=text_key, reverse=desc)
        page = rows[query.start - 1 : query.start - 1 + query.max_results]
        if not page:
            return {}  # query_empty_response.json
        return {query.entity: page, "startPosition": query.start, "maxResults": len(page)}
