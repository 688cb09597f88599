"""Input checks driven by Intuit's XSD: unknown fields, and leaf values coerced to their kind."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from .qbo_common import QboFault, bad_value, parse_datetime, to_decimal, unrecognized_property
from .qbo_entities import DATE_RE
from .xsd_model import FieldModel


def invalid_property(detail: str) -> QboFault:
    """Code 2010, the answer to a body Jackson cannot read; `detail` follows "Property Name:"."""
    return QboFault("2010", "Request has invalid or unsupported property", f"Property Name:{detail}")


def check_unknown(model: FieldModel, entity: str, body: dict[str, Any]) -> None:
    unknown = model.unknown_fields(entity, body)
    if not unknown:
        return
    path = unknown[0]
    parent = re.sub(r"\[\d+\]", "", path).rsplit(".", 1)
    field_name = parent[-1]
    cls = model.entity_type(entity)
    if len(parent) == 2:
        info = model.field(entity, parent[0])
        if info is not None and info.type:
            cls = info.type
    known = sorted(model.type_fields(cls))
    raise unrecognized_property(field_name, cls, known)

def coerce(model: FieldModel, type_name: str, obj: dict[str, Any], path: str) -> dict[str, Any]:
    """Leaf values to their XSD kind (Decimal for decimals); wrong types -> 2010 (Jackson's error)."""
    specs = model.type_fields(type_name)
    out: dict[str, Any] = {}
    for key, value in obj.items():
        spec = specs.get(key)
        here = f'{path}["{key}"]'
        if spec is None or value is None:  # `any` content of xs:any, or JSON null
            out[key] = value
            continue
        if spec.get("list"):
            if not isinstance(value, list):
                raise bad_value(here, f"java.util.List<{spec.get('type') or spec.get('kind')}>", value)
            out[key] = [_coerce_one(model, spec, v, f"{here}[{i}]") for i, v in enumerate(value)]
        else:
            out[key] = _coerce_one(model, spec, value, here)
    return out

def _coerce_one(model: FieldModel, spec: dict[str, Any], value: Any, path: str) -> Any:
    if value is None:
        return None
    sub = spec.get("type")
    if sub is not None:
        if not isinstance(value, dict):
            raise bad_value(path, sub, value)
        return coerce(model, sub, value, path)
    kind = spec.get("kind", "string")
    try:
        if kind == "decimal":
            return to_decimal(value)
        if kind == "int":
            d = to_decimal(value)
            if d != d.to_integral_value():
                raise ValueError(value)
            return int(d)
        if kind == "bool":
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.lower() in ("true", "false"):
                return value.lower() == "true"
            raise ValueError(value)
        if kind == "enum":
            values = model.enum_values(spec.get("enum", ""))
            if not isinstance(value, str) or (values and value not in values):
                raise ValueError(value)
            return value
        if kind == "date":
            if not isinstance(value, str) or not DATE_RE.match(value):
                raise ValueError(value)
            date.fromisoformat(value)
            return value
        if kind == "datetime":
            if not isinstance(value, str):
                raise ValueError(value)
            parse_datetime(value)
            return value
    except ValueError:
        raise bad_value(path, kind, value) from None
    if isinstance(value, (dict, list)):
        raise bad_value(path, kind, value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return format(value, "f") if isinstance(value, Decimal) else str(value)
    return value
