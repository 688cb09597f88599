"""The data of one sandbox company and every write rule (validation, money math, payments).

Facts come from `../shared/docs/qbo-reference.md` ("ref §N") and the recorded payloads in
`../shared/fixtures/qbo/` (cited by file name). Choices made where the reference is UNVERIFIED are
marked as such. Not thread-safe: the server serialises access with its lock.
"""

from __future__ import annotations

import copy
import functools
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from . import qbo_banking, qbo_presets
from .qbo_common import (
    CURRENCY_NAMES,
    QboFault,
    bad_value,
    business,
    duplicate_name,
    invalid_id,
    meta_time,
    money,
    not_found,
    parse_datetime,
    plain,
    required_missing,
    stale_object,
    to_decimal,
    today_local,
    unrecognized_property,
    unsupported_operation,
)
from .xsd_model import FieldModel

# Entities the sandbox serves (the brief + ref §7); URL segment is the lower-case name (ref §2).
SUPPORTED = (
    "Customer",
    "Vendor",
    "Employee",
    "Item",
    "Account",
    "PaymentMethod",
    "Term",
    "TaxCode",
    "TaxRate",
    "Invoice",
    "SalesReceipt",
    "Payment",
    "RefundReceipt",
    "Purchase",
    "Deposit",
    "Transfer",
    "CompanyInfo",
    "Preferences",
)
URL_ENTITIES = {e.lower(): e for e in SUPPORTED}
PEOPLE = ("Customer", "Vendor", "Employee")  # share one DisplayName namespace (ref §7.3)
SALES_FORMS = ("Invoice", "SalesReceipt", "RefundReceipt")
TRANSACTIONS = SALES_FORMS + ("Payment",) + qbo_banking.BANKING
VOIDABLE = ("Invoice", "SalesReceipt", "Payment")  # ref §7.2 / [QBO_API] void/invoice.yml
SINGLETONS = ("CompanyInfo", "Preferences")
READ_ONLY = ("TaxCode", "TaxRate")  # created through TaxService in real QBO, not /taxcode
SYSTEM_KEYS = {"Id", "SyncToken", "MetaData", "domain", "sparse", "status"}
# computed by QBO; ignored on input and kept across a full update
COMPUTED = {
    "Customer": {"Balance", "BalanceWithJobs", "FullyQualifiedName", "Level"},
    "Vendor": {"Balance"},
    "Employee": set(),
    "Item": {"FullyQualifiedName", "Level"},
    "Account": {
        "CurrentBalance",
        "CurrentBalanceWithSubAccounts",
        "FullyQualifiedName",
        "Classification",
        "SubAccount",
    },
    "Invoice": {"Balance", "HomeBalance", "TotalAmt", "HomeTotalAmt", "LinkedTxn"},
    "SalesReceipt": {"Balance", "HomeBalance", "TotalAmt", "HomeTotalAmt"},
    "RefundReceipt": {"Balance", "HomeBalance", "TotalAmt", "HomeTotalAmt"},
    "Payment": {"UnappliedAmt"},
    "Purchase": {"TotalAmt"},
    "Deposit": {"TotalAmt"},
}
DOC_NUMBER_MAX = 21  # ref §7.4 (UNVERIFIED)
_EMAIL_RE = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class WriteContext:
    """Per-request write state. `hidden` holds (entity, id) created earlier in the same batch: later
    items cannot see them (ref §3, Intuit blog "batch-operations-important")."""

    hidden: set[tuple[str, str]] = field(default_factory=set)
    created: list[tuple[str, str]] = field(default_factory=list)


def _strip_none(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _strip_none(v) for k, v in obj.items() if v is not None}
    if isinstance(obj, list):
        return [_strip_none(v) for v in obj if v is not None]
    return obj


def _deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _deep_merge(base[key], value)
        else:
            base[key] = value
    return base


def _name_of(entity: str, obj: dict[str, Any]) -> str:
    if entity in PEOPLE:
        return str(obj.get("DisplayName", ""))
    if entity in ("Account", "Item"):
        return str(obj.get("FullyQualifiedName") or obj.get("Name", ""))
    return str(obj.get("Name", ""))


SALES_DOCUMENTS = frozenset({"Invoice", "SalesReceipt", "RefundReceipt"})


def _norm_name(name: str) -> str:
    # UNVERIFIED whether QBO compares names case-insensitively; the stricter rule is used.
    return " ".join(name.split()).casefold()


class Company:
    """Objects of one realm, by entity and Id; plus the deletion log for CDC."""

    def __init__(
        self,
        realm_id: str,
        model: FieldModel,
        *,
        preset: str = "us",
        name: str = "Croco Demo Co",
        custom_txn_numbers: bool | None = None,
        multicurrency: bool = False,
    ) -> None:
        self.realm_id = realm_id
        self.model = model
        self.preset = preset
        self.user = "Croco Sandbox Admin"  # named in 5010 details (batch_response.json)
        self.objects: dict[str, dict[str, dict[str, Any]]] = {e: {} for e in SUPPORTED}
        self.deleted: dict[str, dict[str, dict[str, Any]]] = {e: {} for e in SUPPORTED}
        self.flags: dict[tuple[str, str], dict[str, Any]] = {}  # internal per-object state
        self.next_id: dict[str, int] = {e: 1 for e in SUPPORTED}
        self.next_doc: dict[str, int] = {e: 1001 for e in SUPPORTED}
        self._tax_in_body = False
        self._sparse = False
        stamp = meta_time()
        for entity, objs in qbo_presets.seed(
            preset, name, realm_id, custom_txn_numbers, multicurrency
        ).items():
            for obj in objs:
                self._store_new(entity, obj, stamp, stamp)

    # ------------------------------------------------------------------------------------------
    # basics
    # ------------------------------------------------------------------------------------------
    @property
    def prefs(self) -> dict[str, Any]:
        return self.objects["Preferences"]["1"]

    @property
    def home_currency(self) -> str:
        return str(self.prefs.get("CurrencyPrefs", {}).get("HomeCurrency", {}).get("value", "USD"))

    @property
    def multicurrency(self) -> bool:
        return bool(self.prefs.get("CurrencyPrefs", {}).get("MultiCurrencyEnabled"))

    @property
    def is_us(self) -> bool:
        return str(self.objects["CompanyInfo"]["1"].get("Country", "US")) == "US"

    @property
    def ast(self) -> bool:
        return bool(self.prefs.get("TaxPrefs", {}).get("PartnerTaxEnabled"))

    @property
    def custom_txn_numbers(self) -> bool:
        return bool(self.prefs.get("SalesFormsPrefs", {}).get("CustomTxnNumbers"))

    def _store_new(self, entity: str, obj: dict[str, Any], created: str, updated: str) -> dict[str, Any]:
        obj = dict(obj)
        oid = str(obj.pop("Id"))
        stored: dict[str, Any] = {
            "domain": "QBO",
            "sparse": False,
            "Id": oid,
            "SyncToken": "0",
            "MetaData": {"CreateTime": created, "LastUpdatedTime": updated},
        }
        stored.update(obj)
        self.objects[entity][oid] = stored
        if oid.isdigit():
            self.next_id[entity] = max(self.next_id[entity], int(oid) + 1)
        return stored

    def get(self, entity: str, oid: str) -> dict[str, Any]:
        obj = self.objects[entity].get(oid)
        if obj is None:
            raise not_found()
        return obj

    def all(self, entity: str) -> list[dict[str, Any]]:
        return list(self.objects[entity].values())

    def name_for(self, entity: str, oid: str) -> str:
        return _name_of(entity, self.objects[entity].get(oid, {}))

    def find_account(self, sub_type: str) -> dict[str, Any] | None:
        for acct in self.objects["Account"].values():
            if acct.get("AccountSubType") == sub_type and acct.get("Active", True):
                return acct
        return None

    # ------------------------------------------------------------------------------------------
    # entry points
    # ------------------------------------------------------------------------------------------
    def write(
        self,
        entity: str,
        body: Any,
        operation: str | None,
        ctx: WriteContext | None = None,
        seeding: bool = False,
    ) -> dict[str, Any]:
        """create / update (POST /{entity}), `operation` delete or void. Returns the answered object."""
        ctx = ctx or WriteContext()
        if not isinstance(body, dict):
            raise QboFault(
                "2010",
                "Request has invalid or unsupported property",
                "Property Name:The request body must be a JSON object specified is unsupported or invalid",
            )
        self._check_unknown(entity, body)
        body = _strip_none(self._coerce(self.model.entity_type(entity), body, entity))
        if operation in (None, "", "update", "create"):
            if operation == "create" and "Id" in body and not seeding:
                body = {k: v for k, v in body.items() if k not in ("Id", "SyncToken")}
            return self._save(entity, body, ctx, seeding)
        if operation == "delete":
            return self._delete(entity, body)
        if operation == "void":
            return self._void(entity, body)
        raise unsupported_operation(f"Operation {operation} is not supported.")

    # ------------------------------------------------------------------------------------------
    # generic checks (XSD driven)
    # ------------------------------------------------------------------------------------------
    def _check_unknown(self, entity: str, body: dict[str, Any]) -> None:
        unknown = self.model.unknown_fields(entity, body)
        if not unknown:
            return
        path = unknown[0]
        parent = re.sub(r"\[\d+\]", "", path).rsplit(".", 1)
        field_name = parent[-1]
        cls = self.model.entity_type(entity)
        if len(parent) == 2:
            info = self.model.field(entity, parent[0])
            if info is not None and info.type:
                cls = info.type
        known = sorted(self.model.type_fields(cls))
        raise unrecognized_property(field_name, cls, known)

    def _coerce(self, type_name: str, obj: dict[str, Any], path: str) -> dict[str, Any]:
        """Leaf values to their XSD kind (Decimal for decimals); wrong types -> 2010 (Jackson's error)."""
        specs = self.model.type_fields(type_name)
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
                out[key] = [self._coerce_one(spec, v, f"{here}[{i}]") for i, v in enumerate(value)]
            else:
                out[key] = self._coerce_one(spec, value, here)
        return out

    def _coerce_one(self, spec: dict[str, Any], value: Any, path: str) -> Any:
        if value is None:
            return None
        sub = spec.get("type")
        if sub is not None:
            if not isinstance(value, dict):
                raise bad_value(path, sub, value)
            return self._coerce(sub, value, path)
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
                values = self.model.enum_values(spec.get("enum", ""))
                if not isinstance(value, str) or (values and value not in values):
                    raise ValueError(value)
                return value
            if kind == "date":
                if not isinstance(value, str) or not _DATE_RE.match(value):
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

    def _ref(
        self, ctx: WriteContext, entity: str, ref: Any, element: str, allow_inactive: bool = False
    ) -> dict[str, Any]:
        """Validates a ReferenceType to an existing active object (else 610, ref §7.1) and echoes `name`."""
        if not isinstance(ref, dict) or not str(ref.get("value", "")).strip():
            raise required_missing(element)
        oid = str(ref["value"]).strip()
        obj = self.objects[entity].get(oid)
        if obj is None or (entity, oid) in ctx.hidden or (obj.get("Active") is False and not allow_inactive):
            raise not_found()
        return obj

    def _named_ref(self, entity: str, obj: dict[str, Any]) -> dict[str, Any]:
        return {"value": obj["Id"], "name": _name_of(entity, obj)}

    # ------------------------------------------------------------------------------------------
    # create / update
    # ------------------------------------------------------------------------------------------
    def _save(self, entity: str, body: dict[str, Any], ctx: WriteContext, seeding: bool) -> dict[str, Any]:
        if entity in READ_ONLY and not seeding:
            raise unsupported_operation(f"Operation create/update is not supported for {entity}.")
        old: dict[str, Any] | None = None
        oid = body.get("Id")
        if oid is not None:
            oid = str(oid)
            if not oid.isdigit() and not (seeding and entity == "TaxCode"):
                raise invalid_id(oid)
            old = self.objects[entity].get(oid)
            if old is None and not seeding:
                raise not_found()
        if entity in SINGLETONS and old is None:
            oid, old = "1", self.objects[entity]["1"]
        if old is not None and not seeding:
            token = body.get("SyncToken")
            if token is None:
                raise required_missing("SyncToken")
            if str(token) != old["SyncToken"]:
                raise stale_object(self.user)  # ref §7.2
        computed = COMPUTED.get(entity, set())
        if seeding and old is not None and entity in SINGLETONS:
            # seeding CompanyInfo / Preferences merges deeply:
            # {"SalesFormsPrefs": {"CustomTxnNumbers": False}} changes only that flag
            body = _deep_merge(copy.deepcopy(old), body)
        if old is None:
            merged = {k: v for k, v in body.items() if k not in SYSTEM_KEYS and k not in computed}
        elif body.get("sparse") is True:
            # sparse: only supplied fields change (ref §7.2, account_deactivate_sparse_*.json)
            merged = copy.deepcopy({k: v for k, v in old.items() if k not in SYSTEM_KEYS})
            merged.update({k: v for k, v in body.items() if k not in SYSTEM_KEYS and k not in computed})
        else:
            # full update: writable fields omitted are cleared (ref §7.2, UNVERIFIED wording); QBO keeps
            # computed ones and DocNumber (salesreceipt_update_request/response.json)
            merged = copy.deepcopy({k: v for k, v in old.items() if k in computed})
            if "DocNumber" in old and "DocNumber" not in body:
                merged["DocNumber"] = old["DocNumber"]
            merged.update({k: v for k, v in body.items() if k not in SYSTEM_KEYS and k not in computed})
        if seeding:
            for key in computed & set(body):
                merged[key] = body[key]
        normalizer = getattr(self, f"_norm_{entity}", None)
        if entity in SALES_DOCUMENTS:
            normalizer = functools.partial(self._norm_sales_document, entity)
        effects: list[Any] = []
        tax = body.get("TxnTaxDetail")
        self._tax_in_body = isinstance(tax, dict) and tax.get("TotalTax") is not None
        self._sparse = old is not None and body.get("sparse") is True
        if normalizer is not None:
            normalizer(merged, old, ctx, effects, oid)
        now = meta_time()
        if old is None:
            if oid is None:
                oid = str(self.next_id[entity])
            created = now
            meta = body.get("MetaData") if seeding and isinstance(body.get("MetaData"), dict) else None
            stored = self._store_new(
                entity,
                {"Id": oid, **merged},
                (meta or {}).get("CreateTime", created),
                (meta or {}).get("LastUpdatedTime", (meta or {}).get("CreateTime", created)),
            )
            ctx.created.append((entity, oid))
        else:
            assert oid is not None
            stored = {
                "domain": "QBO",
                "sparse": False,
                "Id": oid,
                "SyncToken": str(int(old["SyncToken"]) + 1),
                "MetaData": {"CreateTime": old["MetaData"]["CreateTime"], "LastUpdatedTime": now},
            }
            if seeding and isinstance(body.get("MetaData"), dict):
                stored["MetaData"].update(body["MetaData"])
            stored.update(merged)
            self.objects[entity][oid] = stored
        for effect in effects:
            effect(stored)
        self._after_change(entity, stored, old)
        return stored

    def touch(self, entity: str, obj: dict[str, Any]) -> None:
        """A system change (payment applied, ...) bumps SyncToken and LastUpdatedTime
        (invoice_with_tax_paid.json has SyncToken 3 after two payments)."""
        obj["SyncToken"] = str(int(obj["SyncToken"]) + 1)
        obj["MetaData"]["LastUpdatedTime"] = meta_time()

    # people --------------------------------------------------------------------------------------
    def _display_name(self, entity: str, obj: dict[str, Any], oid: str | None) -> str:
        name = str(obj.get("DisplayName") or "").strip()
        if not name:
            # DisplayName defaults to the name parts (ref §7.3; Intuit entity reference)
            parts = [
                str(obj.get(k) or "").strip()
                for k in ("Title", "GivenName", "MiddleName", "FamilyName", "Suffix")
            ]
            name = " ".join(p for p in parts if p)
            if not name and entity == "Customer":
                name = str(obj.get("CompanyName") or "").strip()
        if not name:
            raise required_missing("DisplayName")
        if len(name) > 500:
            raise business("DisplayName is longer than 500 characters.", "DisplayName")
        key = _norm_name(name)
        for other in PEOPLE:  # unique across Customer, Vendor, Employee, inactive ones too (ref §7.3)
            for o in self.objects[other].values():
                if (other, o["Id"]) == (entity, oid):
                    continue
                if _norm_name(str(o.get("DisplayName", ""))) == key:
                    raise duplicate_name("customer, vendor or employee")
        obj["DisplayName"] = name
        return name

    def _currency_for_new_party(self, obj: dict[str, Any], old: dict[str, Any] | None) -> None:
        home = self.home_currency
        if old is not None and "CurrencyRef" in old:
            obj["CurrencyRef"] = old["CurrencyRef"]  # a party's currency cannot change (ref §8)
            return
        code = str(obj.get("CurrencyRef", {}).get("value") or home)
        if code != home and not self.multicurrency:
            raise business(
                f"Multicurrency is not enabled for this company; currency {code} cannot be used "
                f"(home currency {home}).",
                "CurrencyRef",
            )
        obj["CurrencyRef"] = {"value": code, "name": CURRENCY_NAMES.get(code, code)}

    def _check_email(self, obj: dict[str, Any], key: str = "PrimaryEmailAddr") -> None:
        addr = obj.get(key)
        if isinstance(addr, dict) and addr.get("Address") not in (None, ""):
            # checked without surrounding blanks, stored exactly as given (QBO does not normalise, ref §4)
            if not _EMAIL_RE.match(str(addr["Address"]).strip()):
                # UNVERIFIED wording; QBO rejects malformed addresses
                raise business("Email Address does not conform to the syntax rules of RFC 822.", key)

    def _norm_Customer(
        self,
        obj: dict[str, Any],
        old: dict[str, Any] | None,
        ctx: WriteContext,
        effects: list[Any],
        oid: str | None,
    ) -> None:
        name = self._display_name("Customer", obj, oid)
        self._check_email(obj)
        self._currency_for_new_party(obj, old)
        parent_ref = obj.get("ParentRef")
        if parent_ref:
            parent = self._ref(ctx, "Customer", parent_ref, "ParentRef")
            if parent["Id"] == oid:
                raise business("A customer cannot be its own parent.", "ParentRef")
            obj["ParentRef"] = {"value": parent["Id"]}
            obj["Job"] = obj.get("Job", True)
            obj["Level"] = int(parent.get("Level", 0)) + 1
            obj["FullyQualifiedName"] = f"{parent.get('FullyQualifiedName', parent['DisplayName'])}:{name}"
        else:
            obj.pop("Level", None)
            obj["Job"] = bool(obj.get("Job", False))
            obj["FullyQualifiedName"] = name
        obj.setdefault("BillWithParent", False)
        obj.setdefault("Taxable", True)
        if self.is_us and "DefaultTaxCodeRef" not in obj:
            tax_code = self.prefs.get("TaxPrefs", {}).get("TaxGroupCodeRef")
            if tax_code:
                obj["DefaultTaxCodeRef"] = {"value": tax_code["value"]}  # customer_create_response.json
        elif obj.get("DefaultTaxCodeRef"):
            self._ref(ctx, "TaxCode", obj["DefaultTaxCodeRef"], "DefaultTaxCodeRef")
        obj.setdefault("PreferredDeliveryMethod", "Print")
        obj.setdefault("PrintOnCheckName", name)
        obj["Active"] = obj.get("Active", True)
        obj.setdefault("Balance", Decimal(0))
        obj.setdefault("BalanceWithJobs", Decimal(0))
        for key in ("SalesTermRef", "PaymentMethodRef"):
            if obj.get(key):
                target = self._ref(ctx, "Term" if key == "SalesTermRef" else "PaymentMethod", obj[key], key)
                obj[key] = self._named_ref("Term" if key == "SalesTermRef" else "PaymentMethod", target)
        if old is not None and obj["Active"] is False and old.get("Active", True):
            if any(
                c.get("ParentRef", {}).get("value") == oid and c.get("Active", True)
                for c in self.objects["Customer"].values()
            ):
                raise business(
                    "You can't make a customer inactive while it has active sub-customers.", "Active"
                )

    def _norm_Vendor(
        self,
        obj: dict[str, Any],
        old: dict[str, Any] | None,
        ctx: WriteContext,
        effects: list[Any],
        oid: str | None,
    ) -> None:
        name = self._display_name("Vendor", obj, oid)
        self._check_email(obj)
        self._currency_for_new_party(obj, old)
        obj.setdefault("PrintOnCheckName", name)
        obj["Active"] = obj.get("Active", True)
        obj.setdefault("Vendor1099", False)  # batch_response.json
        obj.setdefault("Balance", Decimal(0))

    def _norm_Employee(
        self,
        obj: dict[str, Any],
        old: dict[str, Any] | None,
        ctx: WriteContext,
        effects: list[Any],
        oid: str | None,
    ) -> None:
        name = self._display_name("Employee", obj, oid)
        self._check_email(obj)
        obj.setdefault("PrintOnCheckName", name)
        obj["Active"] = obj.get("Active", True)
        obj.setdefault("BillableTime", False)

    # lists ---------------------------------------------------------------------------------------
    def _unique_name(self, entity: str, obj: dict[str, Any], oid: str | None, what: str) -> str:
        name = str(obj.get("Name") or "").strip()
        if not name:
            raise required_missing("Name")
        key = _norm_name(name)
        for o in self.objects[entity].values():
            if o["Id"] != oid and _norm_name(str(o.get("Name", ""))) == key:
                raise duplicate_name(what)
        obj["Name"] = name
        return name

    def _norm_Item(
        self,
        obj: dict[str, Any],
        old: dict[str, Any] | None,
        ctx: WriteContext,
        effects: list[Any],
        oid: str | None,
    ) -> None:
        # Item names unique: ref §7.7 (UNVERIFIED there; the brief asks for 6240)
        name = self._unique_name("Item", obj, oid, "product or service")
        if ":" in name:
            raise business("Item name cannot contain a colon (:).", "Name")  # UNVERIFIED wording
        obj.setdefault("Type", "Service")
        item_type = obj["Type"]
        if item_type in ("Service", "NonInventory", "Inventory"):
            if not obj.get("IncomeAccountRef"):
                raise required_missing("IncomeAccountRef")  # ref §7.7
        if item_type == "Inventory":
            for key in ("AssetAccountRef", "ExpenseAccountRef", "QtyOnHand", "InvStartDate"):
                if obj.get(key) is None:
                    raise required_missing(key)
            obj["TrackQtyOnHand"] = True
        for key in ("IncomeAccountRef", "ExpenseAccountRef", "AssetAccountRef"):
            if obj.get(key):
                acct = self._ref(ctx, "Account", obj[key], key)
                obj[key] = self._named_ref("Account", acct)
        if obj.get("SalesTaxCodeRef"):
            self._ref(ctx, "TaxCode", obj["SalesTaxCodeRef"], "SalesTaxCodeRef")
        obj["Active"] = obj.get("Active", True)
        obj["FullyQualifiedName"] = name
        obj.setdefault("Taxable", self.is_us)
        obj.setdefault("UnitPrice", Decimal(0))
        obj.setdefault("PurchaseCost", Decimal(0))
        obj.setdefault("TrackQtyOnHand", False)

    def _norm_Account(
        self,
        obj: dict[str, Any],
        old: dict[str, Any] | None,
        ctx: WriteContext,
        effects: list[Any],
        oid: str | None,
    ) -> None:
        name = self._unique_name("Account", obj, oid, "account")
        acct_type = obj.get("AccountType")
        if not acct_type:
            raise required_missing("AccountType")
        obj["Classification"] = qbo_presets.CLASSIFICATION.get(acct_type, "Asset")
        obj.setdefault("AccountSubType", qbo_presets.DEFAULT_SUBTYPE.get(acct_type, ""))
        obj["SubAccount"] = bool(obj.get("ParentRef"))
        obj["FullyQualifiedName"] = name
        obj["Active"] = obj.get("Active", True)
        obj.setdefault("CurrentBalance", Decimal(0))
        obj.setdefault("CurrentBalanceWithSubAccounts", Decimal(0))
        self._currency_for_new_party(obj, old)

    # banking: Purchase, Deposit, Transfer (rules in qbo_banking) -------------------------------
    def _norm_Purchase(self, obj: dict[str, Any], old: dict[str, Any] | None, ctx: WriteContext,
                       effects: list[Any], oid: str | None) -> None:
        qbo_banking.norm_purchase(obj, self._ref, ctx, self.home_currency)

    def _norm_Deposit(self, obj: dict[str, Any], old: dict[str, Any] | None, ctx: WriteContext,
                      effects: list[Any], oid: str | None) -> None:
        qbo_banking.norm_deposit(obj, self._ref, ctx, self.home_currency)

    def _norm_Transfer(self, obj: dict[str, Any], old: dict[str, Any] | None, ctx: WriteContext,
                       effects: list[Any], oid: str | None) -> None:
        qbo_banking.norm_transfer(obj, self._ref, ctx, self.home_currency,
                                  lambda t: qbo_presets.CLASSIFICATION.get(t, "Asset"))

    def _norm_PaymentMethod(
        self,
        obj: dict[str, Any],
        old: dict[str, Any] | None,
        ctx: WriteContext,
        effects: list[Any],
        oid: str | None,
    ) -> None:
        self._unique_name("PaymentMethod", obj, oid, "payment method")
        obj["Active"] = obj.get("Active", True)
        obj.setdefault("Type", "NON_CREDIT_CARD")  # paymentmethod_check.json
        if obj["Type"] not in ("CREDIT_CARD", "NON_CREDIT_CARD"):
            raise business("PaymentMethod Type must be CREDIT_CARD or NON_CREDIT_CARD.", "Type")

    def _norm_Term(
        self,
        obj: dict[str, Any],
        old: dict[str, Any] | None,
        ctx: WriteContext,
        effects: list[Any],
        oid: str | None,
    ) -> None:
        self._unique_name("Term", obj, oid, "term")
        obj["Active"] = obj.get("Active", True)
        obj.setdefault("Type", "STANDARD")  # term.json
        obj.setdefault("DueDays", 0)
        obj.setdefault("DiscountDays", 0)

    def _norm_TaxCode(
        self,
        obj: dict[str, Any],
        old: dict[str, Any] | None,
        ctx: WriteContext,
        effects: list[Any],
        oid: str | None,
    ) -> None:
        obj["Active"] = obj.get("Active", True)

    def _norm_TaxRate(
        self,
        obj: dict[str, Any],
        old: dict[str, Any] | None,
        ctx: WriteContext,
        effects: list[Any],
        oid: str | None,
    ) -> None:
        obj["Active"] = obj.get("Active", True)

    # ------------------------------------------------------------------------------------------
    # sales forms: Invoice, SalesReceipt, RefundReceipt
    # ------------------------------------------------------------------------------------------
    def _party_currency(self, obj: dict[str, Any], customer: dict[str, Any] | None) -> None:
        home = self.home_currency
        cust_code = str(customer.get("CurrencyRef", {}).get("value", home)) if customer else home
        code = str(obj.get("CurrencyRef", {}).get("value") or cust_code)
        if customer is not None and code != cust_code:
            # a customer has one currency; its transactions must use it (ref §8)
            raise business(
                f"The transaction currency {code} does not match the currency {cust_code} of customer "
                f"{customer.get('DisplayName')}. Use the customer's currency.",
                "CurrencyRef",
            )
        if code != home and not self.multicurrency:
            raise business(
                f"Multicurrency is not enabled for this company; currency {code} cannot be used.",
                "CurrencyRef",
            )
        obj["CurrencyRef"] = {"value": code, "name": CURRENCY_NAMES.get(code, code)}
        if code != home:
            obj["ExchangeRate"] = obj.get("ExchangeRate") or Decimal(1)

    def _doc_number(self, entity: str, obj: dict[str, Any], old: dict[str, Any] | None) -> None:
        # CustomTxnNumbers off: QBO assigns DocNumber and a supplied one is ignored (ref §7.4, UNVERIFIED);
        # on: the supplied one is kept, none supplied (or AutoDocNumber) -> next number.
        auto = bool(obj.pop("AutoDocNumber", False))
        supplied = obj.get("DocNumber")
        if self.custom_txn_numbers and supplied not in (None, "") and not auto:
            supplied = str(supplied)
            if len(supplied) > DOC_NUMBER_MAX:
                raise business(
                    f"String length is either shorter or longer than supported by specification. "
                    f"Min:0 Max:{DOC_NUMBER_MAX} supplied:{len(supplied)}",
                    "DocNumber",
                )
            obj["DocNumber"] = supplied
            return
        if old is not None and old.get("DocNumber"):
            obj["DocNumber"] = old["DocNumber"]
            return
        used = {str(o.get("DocNumber")) for o in self.objects[entity].values()}
        n = self.next_doc[entity]
        while str(n) in used:
            n += 1
        self.next_doc[entity] = n + 1
        obj["DocNumber"] = str(n)

    def _tax_rates_of_code(self, code: dict[str, Any]) -> list[tuple[str, Decimal]]:
        out: list[tuple[str, Decimal]] = []
        for detail in code.get("SalesTaxRateList", {}).get("TaxRateDetail", []):
            rid = str(detail.get("TaxRateRef", {}).get("value", ""))
            rate = self.objects["TaxRate"].get(rid)
            if rate is not None:
                out.append((rid, to_decimal(rate.get("RateValue", 0))))
        return out

    def _us_tax_code(self, obj: dict[str, Any], ctx: WriteContext) -> dict[str, Any] | None:
        supplied = obj.get("TxnTaxDetail", {}).get("TxnTaxCodeRef")
        if supplied and not self.ast:
            return self._ref(ctx, "TaxCode", supplied, "TxnTaxCodeRef")
        # AST picks the code itself: "TaxCode you set will be overridden by AST" (ref §7.4)
        ref = self.prefs.get("TaxPrefs", {}).get("TaxGroupCodeRef")
        return self.objects["TaxCode"].get(str(ref["value"])) if ref else None

    def _norm_sales_form(
        self, entity: str, obj: dict[str, Any], old: dict[str, Any] | None, ctx: WriteContext, oid: str | None
    ) -> None:
        customer = None
        if obj.get("CustomerRef"):
            customer = self._ref(ctx, "Customer", obj["CustomerRef"], "CustomerRef")
            obj["CustomerRef"] = self._named_ref("Customer", customer)
        elif entity == "Invoice":
            raise required_missing("CustomerRef")  # ref §7.4
        self._party_currency(obj, customer)
        obj["TxnDate"] = obj.get("TxnDate") or today_local().isoformat()
        self._doc_number(entity, obj, old)
        if obj.get("PrivateNote") is not None and len(str(obj["PrivateNote"])) > 4000:
            raise business("PrivateNote is longer than 4000 characters.", "PrivateNote")
        if obj.get("BillEmail"):
            self._check_email(obj, "BillEmail")
        if customer is not None:
            if "BillEmail" not in obj and customer.get("PrimaryEmailAddr", {}).get("Address"):
                obj["BillEmail"] = {"Address": customer["PrimaryEmailAddr"]["Address"]}
            for key in ("BillAddr", "ShipAddr"):
                if key not in obj and customer.get(key):
                    obj[key] = copy.deepcopy(customer[key])
        if obj.get("PaymentMethodRef"):
            pm = self._ref(ctx, "PaymentMethod", obj["PaymentMethodRef"], "PaymentMethodRef")
            obj["PaymentMethodRef"] = self._named_ref("PaymentMethod", pm)
        if entity in ("SalesReceipt", "RefundReceipt"):
            acct: dict[str, Any] | None
            if obj.get("DepositToAccountRef"):
                acct = self._ref(ctx, "Account", obj["DepositToAccountRef"], "DepositToAccountRef")
            elif entity == "RefundReceipt":
                raise required_missing("DepositToAccountRef")
            else:
                acct = self.find_account("UndepositedFunds")  # default (ref §7.5)
                if acct is None:
                    raise required_missing("DepositToAccountRef")
            obj["DepositToAccountRef"] = self._named_ref("Account", acct)
        if entity == "Invoice":
            term = None
            if obj.get("SalesTermRef"):
                term = self._ref(ctx, "Term", obj["SalesTermRef"], "SalesTermRef")
                obj["SalesTermRef"] = self._named_ref("Term", term)
            if not obj.get("DueDate"):
                if term is None:
                    default = self.prefs.get("SalesFormsPrefs", {}).get("DefaultTerms")
                    term = self.objects["Term"].get(str(default.get("value"))) if default else None
                days = int(term.get("DueDays", 0)) if term else 0
                obj["DueDate"] = (date.fromisoformat(obj["TxnDate"]) + timedelta(days=days)).isoformat()
            for key in (
                "AllowIPNPayment",
                "AllowOnlinePayment",
                "AllowOnlineCreditCardPayment",
                "AllowOnlineACHPayment",
            ):
                obj.setdefault(key, False)  # invoice_create_response.json
            obj.setdefault("LinkedTxn", [])
        delivery = customer.get("PreferredDeliveryMethod") if customer else None
        obj.setdefault(
            "PrintStatus", "NeedToPrint" if delivery == "Print" and entity == "Invoice" else "NotSet"
        )
        obj.setdefault("EmailStatus", "NotSet")
        if obj["EmailStatus"] == "NeedToSend" and not obj.get("BillEmail", {}).get("Address"):
            raise business("You must specify BillEmail when EmailStatus is NeedToSend.", "BillEmail")
        obj.setdefault("ApplyTaxAfterDiscount", False)
        self._lines_and_totals(entity, obj, old, ctx, customer, oid)

    def _lines_and_totals(
        self,
        entity: str,
        obj: dict[str, Any],
        old: dict[str, Any] | None,
        ctx: WriteContext,
        customer: dict[str, Any] | None,
        oid: str | None,
    ) -> None:
        lines_in = obj.get("Line") or []
        old_ids = {str(ln.get("Id")) for ln in (old or {}).get("Line", []) if ln.get("Id")}
        next_line = max([int(i) for i in old_ids if i.isdigit()] or [0]) + 1
        money_lines: list[dict[str, Any]] = []
        discount: dict[str, Any] | None = None
        used_ids: set[str] = set()
        gtc = obj.get("GlobalTaxCalculation")
        if self.is_us:
            obj.pop("GlobalTaxCalculation", None)  # not applicable to US companies (ref §7.4)
            gtc = "TaxExcluded"
        else:
            gtc = gtc or "TaxExcluded"
            obj["GlobalTaxCalculation"] = gtc
        line_codes: list[tuple[Decimal, list[tuple[str, Decimal]]]] = []  # (amount, rates) per item line
        for idx, line in enumerate(lines_in):
            if not isinstance(line, dict):
                continue
            dtype = line.get("DetailType")
            if not dtype:
                raise required_missing(f"Line[{idx}].DetailType")
            if dtype == "SubTotalLineDetail":
                continue  # QBO computes the subtotal line itself (invoice_create_response.json)
            if dtype == "DiscountLineDetail":
                if discount is not None:
                    raise business("Only one discount line is allowed on a transaction.", "Line")
                discount = line
                continue
            if dtype == "DescriptionOnly":
                out = {
                    k: v
                    for k, v in line.items()
                    if k in ("Id", "Description", "DetailType", "DescriptionLineDetail", "LineNum")
                }
                out.setdefault("DescriptionLineDetail", {})
                out["Amount"] = Decimal(0)
                money_lines.append(out)
                continue
            if dtype != "SalesItemLineDetail":
                raise business(
                    f"Line detail type {dtype} is not supported on {entity} by this sandbox.", "Line"
                )
            detail = line.get("SalesItemLineDetail")
            if not isinstance(detail, dict):
                raise required_missing(f"Line[{idx}].SalesItemLineDetail")
            item = self._ref(ctx, "Item", detail.get("ItemRef"), "ItemRef")
            detail["ItemRef"] = self._named_ref("Item", item)
            if line.get("Amount") is None:
                raise required_missing("Line.Amount")
            amount = money(to_decimal(line["Amount"]))
            qty, price = detail.get("Qty"), detail.get("UnitPrice")
            if qty is not None and price is not None:
                expected = money(to_decimal(qty) * to_decimal(price))
                if expected != amount:
                    # the brief's 6070 check: Amount must equal Qty * UnitPrice (rounded to cents)
                    raise QboFault(
                        "6070",
                        "Amount is not equal to UnitPrice * Qty",
                        f"Amount is not equal to UnitPrice * Qty. Supplied value:{line['Amount']}",
                        "Line.Amount",
                    )
            if qty is not None:
                detail["Qty"] = plain(to_decimal(qty))
            if price is not None:
                detail["UnitPrice"] = plain(to_decimal(price))
            rates = self._line_tax(detail, item, customer, gtc, ctx)
            if gtc == "TaxInclusive" and detail.get("TaxInclusiveAmt") is None:
                # TaxInclusive documents store the line Amount net of tax and the gross amount in
                # TaxInclusiveAmt (as in real QBO invoices of tax-inclusive regions)
                line_pct = sum((p for _r, p in rates), Decimal(0))
                detail["TaxInclusiveAmt"] = money(amount * (1 + line_pct / 100))
            elif detail.get("TaxInclusiveAmt") is not None:
                detail["TaxInclusiveAmt"] = money(to_decimal(detail["TaxInclusiveAmt"]))
            line_codes.append((amount, rates))
            out = {k: v for k, v in line.items() if k not in ("Amount", "SalesItemLineDetail", "LineNum")}
            out["Amount"] = amount
            out["SalesItemLineDetail"] = detail
            money_lines.append(out)
        if not line_codes:
            raise required_missing("Line")  # needs at least one SalesItemLine (ref §7.4)
        # line ids: kept on update when known, else the next free number (invoice_create_response.json)
        for num, line in enumerate(money_lines, start=1):
            lid = str(line.get("Id", ""))
            if not lid or lid not in old_ids or lid in used_ids:
                lid = str(next_line)
                next_line += 1
            used_ids.add(lid)
            line["Id"] = lid
            line["LineNum"] = num
            if not line.get("LinkedTxn"):
                line.pop("LinkedTxn", None)
        subtotal = money(sum((a for a, _r in line_codes), Decimal(0)))
        out_lines: list[dict[str, Any]] = [
            *money_lines,
            {"Amount": subtotal, "DetailType": "SubTotalLineDetail", "SubTotalLineDetail": {}},
        ]
        disc_amount = Decimal(0)
        if discount is not None:
            ddetail = dict(discount.get("DiscountLineDetail") or {})
            if ddetail.get("PercentBased"):
                if ddetail.get("DiscountPercent") is None:
                    raise required_missing("DiscountLineDetail.DiscountPercent")
                pct = to_decimal(ddetail["DiscountPercent"])
                disc_amount = money(
                    subtotal * pct / 100
                )  # salesreceipt_with_discount.json: 87.50 * 10% = 8.75
                ddetail["DiscountPercent"] = plain(pct)
            else:
                if discount.get("Amount") is None:
                    raise required_missing("DiscountLineDetail.Amount")
                disc_amount = money(to_decimal(discount["Amount"]))
                ddetail["PercentBased"] = False
            if disc_amount < 0 or disc_amount > subtotal:
                raise business("The discount must be between 0 and the subtotal.", "DiscountLineDetail")
            acct: dict[str, Any] | None
            if ddetail.get("DiscountAccountRef"):
                acct = self._ref(ctx, "Account", ddetail["DiscountAccountRef"], "DiscountAccountRef")
            else:
                default = self.prefs.get("SalesFormsPrefs", {}).get("DefaultDiscountAccount")
                acct = self.objects["Account"].get(str(default)) or self.find_account("DiscountsRefundsGiven")
                if acct is None:
                    raise required_missing("DiscountAccountRef")
            ddetail["DiscountAccountRef"] = self._named_ref("Account", acct)
            out_lines.append(
                {"Amount": disc_amount, "DetailType": "DiscountLineDetail", "DiscountLineDetail": ddetail}
            )
        obj["Line"] = out_lines
        total_tax, tax_detail = self._tax(
            obj, old, oid, entity, line_codes, subtotal, disc_amount, gtc, ctx, customer
        )
        obj["TxnTaxDetail"] = tax_detail
        total = money(subtotal - disc_amount + total_tax)  # ref §7.4 (line Amounts are net in both modes)
        if total < 0:
            raise business("The transaction total cannot be negative.", "TotalAmt")
        obj["TotalAmt"] = total
        if obj["CurrencyRef"]["value"] != self.home_currency:
            obj["HomeTotalAmt"] = money(total * to_decimal(obj.get("ExchangeRate", 1)))
        if entity == "Invoice":
            applied = self.applied_to_invoice(oid) if oid else Decimal(0)
            if applied > total:
                raise business(
                    f"The invoice total {total} is less than the payments applied to it ({applied}).",
                    "TotalAmt",
                )
            obj["Balance"] = money(total - applied)
            if "HomeTotalAmt" in obj:
                obj["HomeBalance"] = money(obj["Balance"] * to_decimal(obj.get("ExchangeRate", 1)))
        else:
            obj["Balance"] = Decimal(0)  # paid at once (ref §7.5)

    def _line_tax(
        self,
        detail: dict[str, Any],
        item: dict[str, Any],
        customer: dict[str, Any] | None,
        gtc: str,
        ctx: WriteContext,
    ) -> list[tuple[str, Decimal]]:
        """Rates applying to one item line. US: TAX/NON pseudo codes (ref §7.4); Canada: a TaxCode id."""
        ref = detail.get("TaxCodeRef")
        if self.is_us:
            code = str(ref.get("value", "")) if isinstance(ref, dict) else ""
            if not code:
                taxable = bool(item.get("Taxable")) and bool((customer or {}).get("Taxable", True))
                code = "TAX" if taxable else "NON"  # invoice_create_response.json: no code -> NON
            if code not in ("TAX", "NON"):
                code_obj = self._ref(ctx, "TaxCode", {"value": code}, "TaxCodeRef")
                code = "TAX" if code_obj.get("Taxable") else "NON"
            detail["TaxCodeRef"] = {"value": code}
            return [("TAX", Decimal(0))] if code == "TAX" else []
        if gtc == "NotApplicable":
            if isinstance(ref, dict) and ref.get("value"):
                self._ref(ctx, "TaxCode", ref, "TaxCodeRef")
                detail["TaxCodeRef"] = {"value": str(ref["value"])}
            return []
        if not isinstance(ref, dict) or not ref.get("value"):
            # real message of QBO Canada when a taxable line has no sales tax code
            raise business(
                "Make sure all your transactions have a GST/HST rate before you save.", "TaxCodeRef"
            )
        code_obj = self._ref(ctx, "TaxCode", ref, "TaxCodeRef")
        detail["TaxCodeRef"] = {"value": code_obj["Id"]}
        return self._tax_rates_of_code(code_obj)

    def _tax(
        self,
        obj: dict[str, Any],
        old: dict[str, Any] | None,
        oid: str | None,
        entity: str,
        line_codes: list[tuple[Decimal, list[tuple[str, Decimal]]]],
        subtotal: Decimal,
        discount: Decimal,
        gtc: str,
        ctx: WriteContext,
        customer: dict[str, Any] | None,
    ) -> tuple[Decimal, dict[str, Any]]:
        supplied: dict[str, Any] = obj["TxnTaxDetail"] if isinstance(obj.get("TxnTaxDetail"), dict) else {}
        override: Decimal | None = None
        flags = self.flags.get((entity, oid or ""), {})
        if self._tax_in_body or (self._sparse and flags.get("tax_override")):
            # supplied now, or kept by a sparse update from an earlier override
            override = money(to_decimal(supplied.get("TotalTax", 0)))
        # Tax is computed on the post-discount net amount (the discount is prorated over the lines).
        # UNVERIFIED for US companies with ApplyTaxAfterDiscount false; QBO's AST taxes the net amount.
        factor = (subtotal - discount) / subtotal if subtotal else Decimal(1)
        bases: dict[str, Decimal] = {}
        percents: dict[str, Decimal] = {}
        us_code = None
        if self.is_us:
            us_code = self._us_tax_code(obj, ctx)
            us_rates = self._tax_rates_of_code(us_code) if us_code else []
            taxable = sum((a for a, r in line_codes if r), Decimal(0))
            if customer is not None and customer.get("Taxable") is False:
                taxable = Decimal(0)
            for rid, pct in us_rates:
                bases[rid] = taxable * factor
                percents[rid] = pct
        elif gtc != "NotApplicable":
            for amount, rates in line_codes:
                net = amount  # line Amounts are net of tax, TaxInclusive or not
                for rid, pct in rates:
                    bases[rid] = bases.get(rid, Decimal(0)) + net * factor
                    percents[rid] = pct
        tax_lines: list[dict[str, Any]] = []
        for rid, base in bases.items():
            amount = money(base * percents[rid] / 100)
            tax_lines.append(
                {
                    "Amount": amount,
                    "DetailType": "TaxLineDetail",
                    "TaxLineDetail": {
                        "TaxRateRef": {"value": rid},
                        "PercentBased": True,
                        "TaxPercent": plain(percents[rid]),
                        "NetAmountTaxable": money(base),
                    },
                }
            )
        computed = money(sum((t["Amount"] for t in tax_lines), Decimal(0)))
        if self.is_us and computed == 0 and override in (None, Decimal(0)):
            tax_lines = []
        total = computed
        if override is not None and gtc != "NotApplicable":
            # an explicit tax amount is honoured and prorated (ref §7.4, AST blog 2017-12-11)
            total = override
            if tax_lines and computed:
                remaining = override
                for i, t in enumerate(tax_lines):
                    share = remaining if i == len(tax_lines) - 1 else money(t["Amount"] * override / computed)
                    t["Amount"] = share
                    remaining -= share
            elif tax_lines:
                tax_lines[0]["Amount"] = override
        self.flags.setdefault((entity, oid or "<new>"), {})["tax_override"] = override is not None
        detail: dict[str, Any] = {}
        if self.is_us and tax_lines and us_code is not None:
            detail["TxnTaxCodeRef"] = {"value": us_code["Id"]}  # invoice_with_tax_open.json
        detail["TotalTax"] = total
        if tax_lines:
            detail["TaxLine"] = tax_lines
        return total, detail

    def _norm_sales_document(
        self,
        entity: str,
        obj: dict[str, Any],
        old: dict[str, Any] | None,
        ctx: WriteContext,
        effects: list[Any],
        oid: str | None,
    ) -> None:
        """Invoice, SalesReceipt and RefundReceipt: the sales-form rules, then the print/email flags."""
        self._norm_sales_form(entity, obj, old, ctx, oid)
        effects.append(lambda stored: self._move_flags(entity, stored["Id"]))

    def _move_flags(self, entity: str, oid: str) -> None:
        pending = self.flags.pop((entity, "<new>"), None)
        if pending is not None:
            self.flags[(entity, oid)] = pending

    # ------------------------------------------------------------------------------------------
    # payments (ref §7.6)
    # ------------------------------------------------------------------------------------------
    def applied_to_invoice(self, invoice_id: str, exclude_payment: str | None = None) -> Decimal:
        total = Decimal(0)
        for pay in self.objects["Payment"].values():
            if pay["Id"] == exclude_payment:
                continue
            for line in pay.get("Line", []):
                for link in line.get("LinkedTxn", []):
                    if link.get("TxnType") == "Invoice" and str(link.get("TxnId")) == invoice_id:
                        total += to_decimal(line.get("Amount", 0))
        return total

    def _payment_links(self, payment: dict[str, Any] | None) -> set[str]:
        out: set[str] = set()
        for line in (payment or {}).get("Line", []):
            for link in line.get("LinkedTxn", []):
                if link.get("TxnType") == "Invoice":
                    out.add(str(link.get("TxnId")))
        return out

    def _norm_Payment(
        self,
        obj: dict[str, Any],
        old: dict[str, Any] | None,
        ctx: WriteContext,
        effects: list[Any],
        oid: str | None,
    ) -> None:
        if not obj.get("CustomerRef"):
            raise required_missing("CustomerRef")
        if obj.get("TotalAmt") is None:
            raise required_missing("TotalAmt")
        customer = self._ref(ctx, "Customer", obj["CustomerRef"], "CustomerRef")
        obj["CustomerRef"] = self._named_ref("Customer", customer)
        self._party_currency(obj, customer)
        total = money(to_decimal(obj["TotalAmt"]))
        if total < 0:
            raise business("The payment amount cannot be negative.", "TotalAmt")
        obj["TotalAmt"] = total
        obj["TxnDate"] = obj.get("TxnDate") or today_local().isoformat()
        acct: dict[str, Any] | None
        if obj.get("DepositToAccountRef"):
            acct = self._ref(ctx, "Account", obj["DepositToAccountRef"], "DepositToAccountRef")
        else:
            acct = self.find_account("UndepositedFunds")  # default (ref §7.6)
            if acct is None:
                raise required_missing("DepositToAccountRef")
        obj["DepositToAccountRef"] = {"value": acct["Id"]}  # payment_linked_invoice.json: no name
        if obj.get("PaymentMethodRef"):
            pm = self._ref(ctx, "PaymentMethod", obj["PaymentMethodRef"], "PaymentMethodRef")
            obj["PaymentMethodRef"] = {"value": pm["Id"]}
        applied = Decimal(0)
        per_invoice: dict[str, Decimal] = {}
        lines: list[dict[str, Any]] = []
        for line in obj.get("Line") or []:
            links = [lk for lk in line.get("LinkedTxn", []) if isinstance(lk, dict)]
            if line.get("Amount") is None:
                raise required_missing("Line.Amount")
            amount = money(to_decimal(line["Amount"]))
            if not links:
                raise required_missing("Line.LinkedTxn")
            if len(links) != 1 or links[0].get("TxnType") != "Invoice":
                raise business(
                    "Each payment line must link exactly one Invoice (TxnType Invoice) in this sandbox.",
                    "LinkedTxn",
                )
            inv_id = str(links[0].get("TxnId", ""))
            invoice = self.objects["Invoice"].get(inv_id)
            if invoice is None or ("Invoice", inv_id) in ctx.hidden:
                # fault_business_validation_6000.json wording
                raise business(
                    f"The entity Invoice {inv_id} that you are trying to link does not exist. "
                    f"Invoice {inv_id}",
                    "LinkedTxn",
                )
            if invoice["CustomerRef"]["value"] != customer["Id"]:
                raise business(f"Invoice {inv_id} belongs to another customer.", "LinkedTxn")
            if amount <= 0:
                raise business("The amount applied to an invoice must be positive.", "Line.Amount")
            per_invoice[inv_id] = per_invoice.get(inv_id, Decimal(0)) + amount
            open_balance = to_decimal(invoice["TotalAmt"]) - self.applied_to_invoice(
                inv_id, exclude_payment=oid
            )
            if per_invoice[inv_id] > open_balance:
                raise business(
                    f"The amount applied to invoice {invoice.get('DocNumber', inv_id)} "
                    f"({per_invoice[inv_id]}) "
                    f"is more than its open balance ({money(open_balance)}).",
                    "Line.Amount",
                )
            applied += amount
            lines.append(
                {
                    "Amount": amount,
                    "LinkedTxn": [{"TxnId": inv_id, "TxnType": "Invoice"}],
                    "LineEx": {
                        "any": [
                            _name_value("txnId", inv_id),
                            _name_value("txnOpenBalance", format(money(open_balance), "f")),
                            _name_value("txnReferenceNumber", str(invoice.get("DocNumber", ""))),
                        ]
                    },
                }
            )
        if applied > total:
            raise business(
                f"The amount applied to invoices ({applied}) is more than the payment amount ({total}).",
                "TotalAmt",
            )
        obj["Line"] = lines
        obj["UnappliedAmt"] = money(total - applied)  # ref §7.6
        obj.setdefault("ProcessPayment", False)
        before = self._payment_links(old)
        effects.append(lambda stored: self._sync_invoices(before | self._payment_links(stored)))

    def _sync_invoices(self, invoice_ids: set[str]) -> None:
        """Recomputes Balance and LinkedTxn of invoices from the payments applied to them."""
        for inv_id in invoice_ids:
            inv = self.objects["Invoice"].get(inv_id)
            if inv is None:
                continue
            links = [
                {"TxnId": p["Id"], "TxnType": "Payment"}
                for p in self.objects["Payment"].values()
                if inv_id in self._payment_links(p)
            ]
            others = [lk for lk in inv.get("LinkedTxn", []) if lk.get("TxnType") != "Payment"]
            new_links = others + links
            new_balance = money(to_decimal(inv["TotalAmt"]) - self.applied_to_invoice(inv_id))
            if self.flags.get(("Invoice", inv_id), {}).get("voided"):
                new_balance = Decimal(0)
            if new_links != inv.get("LinkedTxn") or new_balance != to_decimal(inv.get("Balance", 0)):
                inv["LinkedTxn"] = new_links
                inv["Balance"] = new_balance
                if "HomeBalance" in inv:
                    inv["HomeBalance"] = money(new_balance * to_decimal(inv.get("ExchangeRate", 1)))
                self.touch("Invoice", inv)

    def _unlink_invoice(self, inv_id: str) -> None:
        """Invoice voided or deleted: payments applied to it become unapplied credit."""
        for pay in self.objects["Payment"].values():
            if inv_id not in self._payment_links(pay):
                continue
            kept = [
                ln
                for ln in pay.get("Line", [])
                if not any(str(lk.get("TxnId")) == inv_id for lk in ln.get("LinkedTxn", []))
            ]
            pay["Line"] = kept
            applied = sum((to_decimal(ln["Amount"]) for ln in kept), Decimal(0))
            pay["UnappliedAmt"] = money(to_decimal(pay["TotalAmt"]) - applied)
            self.touch("Payment", pay)

    # ------------------------------------------------------------------------------------------
    # delete / void
    # ------------------------------------------------------------------------------------------
    def _target(self, entity: str, body: dict[str, Any]) -> dict[str, Any]:
        oid = body.get("Id")
        if oid is None:
            raise required_missing("Id")
        oid = str(oid)
        if not oid.isdigit():
            raise invalid_id(oid)
        obj = self.objects[entity].get(oid)
        if obj is None:
            raise not_found()  # batch_response.json: deleting a missing invoice -> 610
        if body.get("SyncToken") is None:
            raise required_missing("SyncToken")
        if str(body["SyncToken"]) != obj["SyncToken"]:
            raise stale_object(self.user)
        return obj

    def _delete(self, entity: str, body: dict[str, Any]) -> dict[str, Any]:
        if entity not in TRANSACTIONS:
            # name lists have no hard delete: deactivate with a sparse update (ref §7.2)
            raise unsupported_operation(f"Operation delete is not supported for {entity}.")
        obj = self._target(entity, body)
        oid = obj["Id"]
        if entity == "Invoice":
            self._unlink_invoice(oid)
        links = self._payment_links(obj) if entity == "Payment" else set()
        self._post(entity, obj, -1)
        del self.objects[entity][oid]
        self.flags.pop((entity, oid), None)
        tomb = {
            "domain": "QBO",
            "status": "Deleted",
            "Id": oid,
            "MetaData": {"CreateTime": obj["MetaData"]["CreateTime"], "LastUpdatedTime": meta_time()},
        }
        self.deleted[entity][oid] = tomb
        if links:
            self._sync_invoices(links)
        self._refresh_customer(obj)
        return {"domain": "QBO", "status": "Deleted", "Id": oid}  # invoice_delete_response.json

    def _void(self, entity: str, body: dict[str, Any]) -> dict[str, Any]:
        if entity not in VOIDABLE:
            raise unsupported_operation(f"Operation void is not supported for {entity}.")
        obj = self._target(entity, body)
        oid = obj["Id"]
        self._post(entity, obj, -1)  # a voided document moves no money; posted again below at 0
        # invoice_void_response.json: amounts 0, PrivateNote "Voided", SyncToken + 1
        if entity == "Invoice":
            self._unlink_invoice(oid)
            obj["LinkedTxn"] = [lk for lk in obj.get("LinkedTxn", []) if lk.get("TxnType") != "Payment"]
        links = self._payment_links(obj) if entity == "Payment" else set()
        if entity == "Payment":
            obj["Line"] = []
            obj["UnappliedAmt"] = Decimal(0)
        else:
            for line in obj.get("Line", []):
                if "Amount" in line:
                    line["Amount"] = Decimal(0)
                if line.get("DetailType") == "SalesItemLineDetail":
                    line["SalesItemLineDetail"].pop("TaxInclusiveAmt", None)
            tax = obj.get("TxnTaxDetail", {})
            obj["TxnTaxDetail"] = {"TotalTax": Decimal(0)}
            if tax.get("TxnTaxCodeRef"):
                obj["TxnTaxDetail"] = {"TxnTaxCodeRef": tax["TxnTaxCodeRef"], "TotalTax": Decimal(0)}
            obj["Balance"] = Decimal(0)
            obj.pop("HomeBalance", None)
        obj["TotalAmt"] = Decimal(0)
        obj.pop("HomeTotalAmt", None)
        obj["PrivateNote"] = "Voided"
        self.flags.setdefault((entity, oid), {})["voided"] = True
        self.flags[(entity, oid)]["tax_override"] = False
        self.touch(entity, obj)
        self._post(entity, obj, 1)
        if links:
            self._sync_invoices(links)
        self._refresh_customer(obj)
        return obj

    # ------------------------------------------------------------------------------------------
    # side effects
    # ------------------------------------------------------------------------------------------
    def _post(self, entity: str, obj: dict[str, Any] | None, sign: int) -> None:
        """Account.CurrentBalance follows every transaction (see qbo_banking)."""
        receivable = self.find_account("AccountsReceivable")
        moves = qbo_banking.postings(entity, obj, receivable["Id"] if receivable else None)
        qbo_banking.apply_postings(self.objects["Account"], moves, sign)

    def _after_change(self, entity: str, stored: dict[str, Any], old: dict[str, Any] | None) -> None:
        if entity in TRANSACTIONS:
            self._post(entity, old, -1)
            self._post(entity, stored, 1)
            self._refresh_customer(stored)
            if old is not None and old.get("CustomerRef") != stored.get("CustomerRef"):
                self._refresh_customer(old)

    def _refresh_customer(self, txn: dict[str, Any]) -> None:
        """Customer.Balance = open invoices - unapplied payments (no SyncToken change: UNVERIFIED)."""
        ref = txn.get("CustomerRef")
        if not isinstance(ref, dict):
            return
        cid = str(ref.get("value"))
        cust = self.objects["Customer"].get(cid)
        if cust is None:
            return
        balance = Decimal(0)
        for inv in self.objects["Invoice"].values():
            if inv.get("CustomerRef", {}).get("value") == cid:
                balance += to_decimal(inv.get("Balance", 0))
        for pay in self.objects["Payment"].values():
            if pay.get("CustomerRef", {}).get("value") == cid:
                balance -= to_decimal(pay.get("UnappliedAmt", 0))
        cust["Balance"] = money(balance)
        jobs = sum(
            (
                to_decimal(c.get("Balance", 0))
                for c in self.objects["Customer"].values()
                if c.get("ParentRef", {}).get("value") == cid
            ),
            Decimal(0),
        )
        cust["BalanceWithJobs"] = money(balance + jobs)
        parent = cust.get("ParentRef", {}).get("value")
        if parent and parent in self.objects["Customer"]:
            p = self.objects["Customer"][parent]
            p_jobs = sum(
                (
                    to_decimal(c.get("Balance", 0))
                    for c in self.objects["Customer"].values()
                    if c.get("ParentRef", {}).get("value") == parent
                ),
                Decimal(0),
            )
            p["BalanceWithJobs"] = money(to_decimal(p.get("Balance", 0)) + p_jobs)

    # ------------------------------------------------------------------------------------------
    # change data capture (ref §5)
    # ------------------------------------------------------------------------------------------
    def changed_since(self, entity: str, since: datetime) -> list[tuple[datetime, dict[str, Any]]]:
        out: list[tuple[datetime, dict[str, Any]]] = []
        for group in (self.objects[entity], self.deleted[entity]):
            for obj in group.values():
                updated = parse_datetime(obj["MetaData"]["LastUpdatedTime"])
                if updated >= since:
                    out.append((updated, obj))
        return out


def _name_value(name: str, value: str) -> dict[str, Any]:
    # payment_linked_invoice.json: JAXB's rendering of Line[].LineEx (read-only noise, ref §7.6)
    return {
        "name": "{http://schema.intuit.com/finance/v3}NameValue",
        "declaredType": "com.intuit.schema.finance.v3.NameValue",
        "scope": "javax.xml.bind.JAXBElement$GlobalScope",
        "value": {"Name": name, "Value": value},
        "nil": False,
        "globalScope": True,
        "typeSubstituted": False,
    }
