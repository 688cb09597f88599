"""The stored objects of one sandbox company: seeding, look-ups, references and the payment links."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from . import qbo_presets
from .qbo_common import meta_time, not_found, required_missing, stale_object, to_decimal
from .qbo_entities import SUPPORTED, WriteContext, name_of
from .xsd_model import FieldModel


class CompanyBase:
    """Objects of one realm, by entity and Id, and the deletion log; the look-ups every rule uses."""

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
        return name_of(entity, self.objects[entity].get(oid, {}))

    def find_account(self, sub_type: str) -> dict[str, Any] | None:
        for acct in self.objects["Account"].values():
            if acct.get("AccountSubType") == sub_type and acct.get("Active", True):
                return acct
        return None

    def touch(self, entity: str, obj: dict[str, Any]) -> None:
        """A system change (payment applied, ...) bumps SyncToken and LastUpdatedTime
        (invoice_with_tax_paid.json has SyncToken 3 after two payments)."""
        obj["SyncToken"] = str(int(obj["SyncToken"]) + 1)
        obj["MetaData"]["LastUpdatedTime"] = meta_time()

    def _check_sync_token(self, token: Any, obj: dict[str, Any]) -> None:
        """An update names the SyncToken it read; another one means the object changed since (ref §7.2)."""
        if token is None:
            raise required_missing("SyncToken")
        if str(token) != obj["SyncToken"]:
            raise stale_object(self.user)

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
        return {"value": obj["Id"], "name": name_of(entity, obj)}

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
