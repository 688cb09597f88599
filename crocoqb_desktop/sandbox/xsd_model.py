"""A compact field model of the QuickBooks Online data model, built from Intuit's official XSD.

`python -m crocoqb_desktop.sandbox.xsd_model --xsd-dir ../shared/fixtures/qbo-xsd --out
crocoqb_desktop/sandbox/qbo_fields.json` regenerates the packaged JSON (committed, so the frozen app
does not need `../shared`). At run time only `load_field_model()` is used.

JSON uses the XML element names (see `qbo-xsd/SOURCES.md`). Mapping rules:
- XML attributes appear as JSON keys (entity level `domain`, `sparse`, `status`; `name`/`type` of a
  ReferenceType);
- a complex type with simple content (ReferenceType, ...) carries its element text as `value`;
- `xs:any` (IntuitAnyType, e.g. Payment `Line[].LineEx`) appears as a free-form `any` key;
- `<xs:element ref="IntuitObject"/>` means any member of the IntuitObject substitution group.

Model JSON layout::

    {"version": 1,
     "entities": {"Customer": "Customer", ...},            # element name -> complex type name
     "elements": {"IntuitResponse": "IntuitResponse", ...}, # every top-level element
     "types": {"Customer": {"fields": {"Id": {"kind": "string"},
                                       "PrimaryEmailAddr": {"type": "EmailAddress"},
                                       "Line": {"type": "Line", "list": true}, ...}},
               "IntuitAnyType": {"fields": {}, "any": true}, ...},
     "enums": {"EmailStatusEnum": ["NotSet", ...], ...}}

A field is either complex (`type`: a key of `types`) or a leaf (`kind`: string | decimal | int |
bool | date | datetime | time | enum (+ `enum`: a key of `enums`) | any). `list` marks
maxOccurs > 1, `filterable` marks fields whose XSD documentation says `Filterable: ALL/QBO`.
"""

from __future__ import annotations

import argparse
import functools
import json
import re
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

XS = "{http://www.w3.org/2001/XMLSchema}"
MODEL_PATH = Path(__file__).with_name("qbo_fields.json")

_XS_KINDS = {
    "string": "string",
    "token": "string",
    "normalizedString": "string",
    "anyURI": "string",
    "base64Binary": "string",
    "duration": "string",
    "ID": "string",
    "IDREF": "string",
    "decimal": "decimal",
    "double": "decimal",
    "float": "decimal",
    "int": "int",
    "integer": "int",
    "long": "int",
    "short": "int",
    "byte": "int",
    "positiveInteger": "int",
    "nonNegativeInteger": "int",
    "negativeInteger": "int",
    "nonPositiveInteger": "int",
    "unsignedInt": "int",
    "unsignedLong": "int",
    "unsignedShort": "int",
    "boolean": "bool",
    "date": "date",
    "dateTime": "datetime",
    "time": "time",
}

_FILTERABLE_RE = re.compile(r"Filterable:\s*([^\n]*)")


# ----------------------------------------------------------------------------------------------
# generation (XSD -> dict)
# ----------------------------------------------------------------------------------------------
def _local(qname: str | None) -> str:
    if not qname:
        return ""
    return qname.split(":", 1)[1] if ":" in qname else qname


def _is_xs(qname: str | None) -> bool:
    return bool(qname) and qname.startswith("xs:")  # type: ignore[union-attr]


class _XsdReader:
    def __init__(self, xsd_dir: Path) -> None:
        self.complex: dict[str, ET.Element] = {}
        self.simple: dict[str, ET.Element] = {}
        self.groups: dict[str, ET.Element] = {}
        self.elements: dict[str, str] = {}  # top-level element -> type name
        self.subst: dict[str, list[str]] = {}  # head -> member elements
        self.abstract: set[str] = set()
        self.types: dict[str, dict[str, Any]] = {}
        self.enums: dict[str, list[str]] = {}
        for path in sorted(xsd_dir.glob("*.xsd")):
            root = ET.parse(path).getroot()
            for child in root:
                name = child.get("name")
                if child.tag == XS + "complexType" and name:
                    self.complex[name] = child
                elif child.tag == XS + "simpleType" and name:
                    self.simple[name] = child
                elif child.tag == XS + "group" and name:
                    self.groups[name] = child
                elif child.tag == XS + "element" and name:
                    type_name = _local(child.get("type"))
                    if not type_name:
                        inline = child.find(XS + "complexType")
                        type_name = name
                        if inline is not None:
                            self.complex.setdefault(type_name, inline)
                    self.elements[name] = type_name
                    if child.get("abstract") == "true":
                        self.abstract.add(name)
                    head = _local(child.get("substitutionGroup"))
                    if head:
                        self.subst.setdefault(head, []).append(name)

    # substitution groups ----------------------------------------------------------------------
    def members(self, head: str) -> list[str]:
        out: list[str] = []
        for m in self.subst.get(head, []):
            out.append(m)
            out.extend(self.members(m))
        return out

    # simple types -------------------------------------------------------------------------------
    def leaf(self, type_qname: str) -> dict[str, Any]:
        if _is_xs(type_qname):
            return {"kind": _XS_KINDS.get(_local(type_qname), "string")}
        name = _local(type_qname)
        node = self.simple.get(name)
        if node is None:
            return {"kind": "any"}
        restriction = node.find(XS + "restriction")
        if restriction is None:
            return {"kind": "string"}
        values = [e.get("value", "") for e in restriction.findall(XS + "enumeration")]
        if values:
            self.enums[name] = values
            return {"kind": "enum", "enum": name}
        return self.leaf(restriction.get("base", "xs:string"))

    # complex types ------------------------------------------------------------------------------
    def complex_type(self, name: str) -> None:
        if name in self.types:
            return
        node = self.complex.get(name)
        if node is None:
            return
        spec: dict[str, Any] = {"fields": {}}
        self.types[name] = spec  # registered first: types are recursive (Line -> GroupLineDetail -> Line)
        self._fill(name, node, spec)

    def _fill(self, owner: str, node: ET.Element, spec: dict[str, Any]) -> None:
        for child in node:
            tag = child.tag
            if tag == XS + "annotation":
                continue
            if tag in (XS + "sequence", XS + "choice", XS + "all"):
                self._particles(owner, child, spec, many=child.get("maxOccurs", "1") not in ("0", "1"))
            elif tag == XS + "group":
                self._group(owner, child, spec, many=False)
            elif tag == XS + "attribute":
                self._attribute(child, spec)
            elif tag == XS + "complexContent":
                for sub in child:
                    if sub.tag in (XS + "extension", XS + "restriction"):
                        base = _local(sub.get("base"))
                        if base and not _is_xs(sub.get("base")):
                            self.complex_type(base)
                            base_spec = self.types.get(base)
                            if base_spec is not None:
                                self._merge(spec, base_spec)
                        self._fill(owner, sub, spec)
            elif tag == XS + "simpleContent":
                for sub in child:
                    if sub.tag in (XS + "extension", XS + "restriction"):
                        base = sub.get("base", "xs:string")
                        if not _is_xs(base) and _local(base) in self.complex:
                            self.complex_type(_local(base))
                            self._merge(spec, self.types[_local(base)])
                        else:
                            spec["fields"]["value"] = self.leaf(base)
                        self._fill(owner, sub, spec)

    @staticmethod
    def _merge(spec: dict[str, Any], base_spec: dict[str, Any]) -> None:
        for k, v in base_spec["fields"].items():
            spec["fields"].setdefault(k, dict(v))
        if base_spec.get("any"):
            spec["any"] = True

    def _particles(self, owner: str, node: ET.Element, spec: dict[str, Any], many: bool) -> None:
        for child in node:
            tag = child.tag
            if tag == XS + "element":
                self._element(owner, child, spec, many)
            elif tag in (XS + "sequence", XS + "choice", XS + "all"):
                self._particles(owner, child, spec, many or child.get("maxOccurs", "1") not in ("0", "1"))
            elif tag == XS + "group":
                self._group(owner, child, spec, many)
            elif tag == XS + "any":
                spec["any"] = True

    def _group(self, owner: str, ref_node: ET.Element, spec: dict[str, Any], many: bool) -> None:
        group = self.groups.get(_local(ref_node.get("ref")))
        if group is None:
            return
        for child in group:
            if child.tag in (XS + "sequence", XS + "choice", XS + "all"):
                self._particles(owner, child, spec, many or child.get("maxOccurs", "1") not in ("0", "1"))

    def _element(self, owner: str, node: ET.Element, spec: dict[str, Any], many: bool) -> None:
        many = many or node.get("maxOccurs", "1") not in ("0", "1")
        ref = node.get("ref")
        if ref:
            head = _local(ref)
            names = (
                [head]
                if not self.subst.get(head)
                else [m for m in self.members(head) if not self._abstract(m)]
            )
            for elem_name in names:
                self._add_field(
                    spec, elem_name, self._field_for_type(self.elements.get(elem_name, "")), many, None
                )
            return
        name = node.get("name")
        if not name:
            return
        type_q = node.get("type")
        if type_q:
            field = self._field_for_type(type_q)
        else:
            inline = node.find(XS + "complexType")
            inline_simple = node.find(XS + "simpleType")
            if inline is not None:
                anon = f"{owner}.{name}"
                self.complex[anon] = inline
                self.complex_type(anon)
                field = {"type": anon}
            elif inline_simple is not None:
                restriction = inline_simple.find(XS + "restriction")
                field = (
                    self.leaf(restriction.get("base", "xs:string"))
                    if restriction is not None
                    else {"kind": "string"}
                )
            else:
                field = {"kind": "any"}
        self._add_field(spec, name, field, many, node)

    def _abstract(self, elem_name: str) -> bool:
        return elem_name in self.abstract

    def _field_for_type(self, type_q: str) -> dict[str, Any]:
        if not type_q:
            return {"kind": "any"}
        name = _local(type_q)
        if not _is_xs(type_q) and name in self.complex:
            self.complex_type(name)
            return {"type": name}
        return self.leaf(type_q)

    def _add_field(
        self, spec: dict[str, Any], name: str, field: dict[str, Any], many: bool, node: ET.Element | None
    ) -> None:
        field = dict(field)
        if many:
            field["list"] = True
        if node is not None:
            doc = " ".join(d.text or "" for d in node.iter(XS + "documentation"))
            m = _FILTERABLE_RE.search(doc)
            if m and re.search(r"\b(ALL|QBO)\b", m.group(1)):
                field["filterable"] = True
        existing = spec["fields"].get(name)
        if existing is not None and existing.get("filterable"):
            field["filterable"] = True
        spec["fields"][name] = field

    def _attribute(self, node: ET.Element, spec: dict[str, Any]) -> None:
        name = node.get("name")
        if not name:
            return
        type_q = node.get("type", "xs:string")
        spec["fields"][name] = self.leaf(type_q)

    # whole model --------------------------------------------------------------------------------
    def build(self) -> dict[str, Any]:
        for name in sorted(self.complex):
            self.complex_type(name)
        entities = {m: self.elements[m] for m in sorted(self.members("IntuitObject")) if m in self.elements}
        return {
            "version": 1,
            "entities": entities,
            "elements": dict(sorted(self.elements.items())),
            "types": {k: self.types[k] for k in sorted(self.types)},
            "enums": {k: self.enums[k] for k in sorted(self.enums)},
        }


def build_model(xsd_dir: Path | str) -> dict[str, Any]:
    """Parses every `*.xsd` of `xsd_dir` into the model dict (what `qbo_fields.json` holds)."""
    return _XsdReader(Path(xsd_dir)).build()


def dump_model(model: dict[str, Any]) -> str:
    return json.dumps(model, indent=None, separators=(",", ":"), sort_keys=False) + "\n"


# ----------------------------------------------------------------------------------------------
# run-time API
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FieldInfo:
    name: str
    type: str | None  # complex type name, or None for a leaf
    kind: str | None  # leaf kind, or None for a complex field
    list: bool
    filterable: bool
    enum_values: tuple[str, ...] | None


class FieldModel:
    """Read-only view of the XSD model. Entity names are XML element names (`Customer`, `Invoice`)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data
        self._types: dict[str, dict[str, Any]] = data["types"]
        self._elements: dict[str, str] = data["elements"]
        self._entities: dict[str, str] = data["entities"]
        self._enums: dict[str, list[str]] = data["enums"]

    # names ---------------------------------------------------------------------------------------
    def entities(self) -> set[str]:
        """Every top-level entity (members of the IntuitObject substitution group)."""
        return set(self._entities)

    def has_entity(self, entity: str) -> bool:
        return entity in self._entities or entity in self._elements

    def _type_of(self, entity: str) -> str:
        type_name = (
            self._entities.get(entity)
            or self._elements.get(entity)
            or (entity if entity in self._types else None)
        )
        if type_name is None or type_name not in self._types:
            raise KeyError(f"unknown QBO entity {entity!r}")
        return type_name

    def entity_type(self, entity: str) -> str:
        """The complex type name of `entity` (raises KeyError for an unknown entity)."""
        return self._type_of(entity)

    def type_fields(self, type_name: str) -> dict[str, dict[str, Any]]:
        """Raw field specs of a complex type: `{name: {"type"|"kind", "list", "enum", "filterable"}}`."""
        return self._types[type_name]["fields"]

    def type_is_open(self, type_name: str) -> bool:
        """True when the type holds `xs:any` content (a free-form `any` key)."""
        return bool(self._types.get(type_name, {}).get("any"))

    def fields(self, entity: str) -> set[str]:
        """Top-level JSON keys allowed for `entity` (elements and attributes)."""
        return set(self._types[self._type_of(entity)]["fields"])

    def filterable(self, entity: str) -> set[str]:
        """Top-level fields documented `Filterable: ALL/QBO` in the XSD."""
        return {k for k, v in self._types[self._type_of(entity)]["fields"].items() if v.get("filterable")}

    def enum_values(self, enum_name: str) -> tuple[str, ...]:
        return tuple(self._enums.get(enum_name, ()))

    def field(self, entity: str, path: str) -> FieldInfo | None:
        """The field at dotted `path` (`Line.SalesItemLineDetail.Qty`; list indexes are not written)."""
        type_name: str | None = self._type_of(entity)
        info: FieldInfo | None = None
        for part in path.split("."):
            if type_name is None:
                return None
            spec = self._types.get(type_name)
            if spec is None or part not in spec["fields"]:
                return None
            raw = spec["fields"][part]
            enum = raw.get("enum")
            info = FieldInfo(
                part,
                raw.get("type"),
                raw.get("kind"),
                bool(raw.get("list")),
                bool(raw.get("filterable")),
                tuple(self._enums[enum]) if enum else None,
            )
            type_name = raw.get("type")
        return info

    # validation ----------------------------------------------------------------------------------
    def unknown_fields(self, entity: str, payload: dict[str, Any]) -> list[str]:
        """Dotted paths (`Line[0].SalesItemLineDetail.Bogus`) of every key of `payload` (an entity
        object, not an envelope) that the XSD does not declare for `entity`."""
        out: list[str] = []
        self._walk(self._type_of(entity), payload, "", out)
        return out

    def _walk(self, type_name: str, obj: Any, prefix: str, out: list[str]) -> None:
        if isinstance(obj, list):
            for i, item in enumerate(obj):
                self._walk(type_name, item, f"{prefix}[{i}]", out)
            return
        if not isinstance(obj, dict):
            return
        spec = self._types.get(type_name)
        if spec is None:
            return
        fields = spec["fields"]
        for key, value in obj.items():
            path = f"{prefix}.{key}" if prefix else key
            field = fields.get(key)
            if field is None:
                if spec.get("any") and key == "any":
                    continue  # xs:any content is free-form by definition
                out.append(path)
                continue
            sub = field.get("type")
            if sub is not None:
                self._walk(sub, value, path, out)


@functools.lru_cache(maxsize=1)
def load_field_model() -> FieldModel:
    """The packaged model (`qbo_fields.json` next to this module), cached."""
    with MODEL_PATH.open(encoding="utf-8") as fh:
        return FieldModel(json.load(fh))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate the QBO field model JSON from Intuit's XSD files.")
    parser.add_argument("--xsd-dir", required=True, type=Path)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    model = build_model(args.xsd_dir)
    args.out.write_text(dump_model(model), encoding="utf-8")
    print(f"{len(model['entities'])} entities, {len(model['types'])} types -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
