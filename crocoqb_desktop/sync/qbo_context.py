"""What the engine needs to know about the QuickBooks company, read once per sync cycle:
the mapping context (`QboCompany`), items by product id or name, and the customer email index."""

from __future__ import annotations

import json
import logging
import threading
import uuid
from typing import Any

from crocoqb_desktop.messages import message
from crocoqb_desktop.qbo.client import QboClient
from crocoqb_desktop.qbo.faults import DuplicateNameFault
from crocoqb_desktop.qbo.query import eq
from crocoqb_desktop.sync import mapping
from crocoqb_desktop.sync.store import StateStore

log = logging.getLogger("crocoqb.sync")

# Deterministic request ids: the same logical write always carries the same requestid, also after
# a crash and a rerun, so QuickBooks can recognise the replay.
_NAMESPACE = uuid.UUID("6f1c1f3e-52a4-4c3b-9a1e-7bb0c8a4d2f1")


def request_id_for(*parts: object) -> str:
    return str(uuid.uuid5(_NAMESPACE, "|".join(str(p) for p in parts)))


def ref(obj: dict[str, Any], name_field: str = "Name") -> dict[str, str]:
    out = {"value": str(obj["Id"])}
    name = obj.get(name_field) or obj.get("DisplayName") or obj.get("FullyQualifiedName")
    if name:
        out["name"] = str(name)
    return out


class QboContext:
    def __init__(self, client: QboClient, store: StateStore, *, deposit_account: str = "",
                 default_item: str = "") -> None:
        self.client = client
        self.store = store
        self.realm_id = client.realm_id
        self._deposit_account = deposit_account
        self._default_item = default_item
        self._company: mapping.QboCompany | None = None
        self._items_by_name: dict[str, dict[str, Any]] | None = None
        self._income_account: dict[str, Any] | None = None
        # the engine writes several records at once: the company and the items are read (and a missing
        # item created) once
        self._lock = threading.RLock()

    # -- company ----------------------------------------------------------------------------------
    def company(self) -> mapping.QboCompany:
        if self._company is not None:
            return self._company
        with self._lock:
            return self._load_company()

    def _load_company(self) -> mapping.QboCompany:
        if self._company is None:
            info = self._cached_json("qbo.company_info") or self.client.company_info()
            prefs = self._cached_json("qbo.preferences") or self.client.preferences()
            accounts = list(self.client.query_all("Account"))
            self._company = mapping.company_from_qbo(
                info, prefs,
                tax_codes=list(self.client.query_all("TaxCode")),
                tax_rates=list(self.client.query_all("TaxRate")),
                accounts=accounts,
                payment_methods=list(self.client.query_all("PaymentMethod")),
                deposit_account=self._deposit_account,
            )
            self._income_account = next(
                (a for a in accounts if a.get("AccountType") == "Income" and a.get("Active", True)), None
            )
        return self._company

    def _cached_json(self, name: str) -> dict[str, Any] | None:
        raw = self.store.cursor(name)
        return json.loads(raw) if raw else None

    # -- items ------------------------------------------------------------------------------------
    def item_refs(self, lines: list[dict[str, Any]]) -> list[dict[str, str]]:
        """Each CrocoClick line -> a QBO Item ref: by product id link, then by name, then the
        configured default item, else a new Service item."""
        return [self.item_ref(line) for line in lines]

    def item_ref(self, line: dict[str, Any]) -> dict[str, str]:
        with self._lock:
            return self._item_ref(line)

    def _item_ref(self, line: dict[str, Any]) -> dict[str, str]:
        product_id = line.get("productId")
        if product_id:
            link = self.store.link("product", str(product_id))
            if link:
                return {"value": link.qbo_id, "name": link.extra.get("name", "")}
        name = _item_name(line.get("name") or "CrocoClick item")
        item = self._items().get(name.casefold())
        if item is None and self._default_item:
            item = self._items().get(self._default_item.casefold()) or self._item_by_id(self._default_item)
        if item is None:
            item = self._create_service_item(name)
        if product_id:
            self.store.save_link("product", str(product_id), str(item["Id"]), extra={"name": item.get("Name")})
        return ref(item)

    def default_item_ref(self) -> dict[str, str]:
        return self.item_ref({"name": self._default_item or "CrocoClick sale"})

    def _items(self) -> dict[str, dict[str, Any]]:
        if self._items_by_name is None:
            self._items_by_name = {
                str(i.get("Name", "")).casefold(): i for i in self.client.query_all("Item")
            }
        return self._items_by_name

    def _item_by_id(self, item_id: str) -> dict[str, Any] | None:
        return next((i for i in self._items().values() if str(i.get("Id")) == item_id), None)

    def _create_service_item(self, name: str) -> dict[str, Any]:
        self.company()
        if self._income_account is None:
            raise mapping.MappingError(
                message("sync.item_no_income_account", "the item '{name}' does not exist in QuickBooks and no income account was found to create it", name=name),
                fix=message("sync.item_no_income_account.fix", "Create the item in QuickBooks (Sales > Products and services), or set a default item "
                "in CrocoQB's settings, then press Sync now."),
            )
        body = {"Name": name, "Type": "Service", "IncomeAccountRef": ref(self._income_account)}
        try:
            item = self.client.create("Item", body, request_id=request_id_for("item", self.realm_id, name))
        except DuplicateNameFault:
            # created by an earlier (interrupted) run, or inactive: find it again by name
            found = list(self.client.query_all("Item", [eq("Name", name), "Active IN (true, false)"]))
            if not found:
                raise
            item = found[0]
        self._items()[name.casefold()] = item
        self.store.log("INFO", "to_qbo", message("sync.item_created", "Created the service item '{name}' in QuickBooks", name=name),
                       record_kind="item", qbo_id=str(item["Id"]))
        return item


def _item_name(name: str) -> str:
    # QBO item names: at most 100 characters, no colon (it separates sub-items)
    cleaned = " ".join(name.replace(":", "-").split())
    return cleaned[:100] or "CrocoClick item"
