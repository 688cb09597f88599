"""What the engine needs to know about the QuickBooks company, read once per sync cycle:
the mapping context (`QboCompany`), items by product id or name, and the customer email index."""

from __future__ import annotations

import logging
import threading
import uuid
from typing import Any

from crocoqb_desktop.messages import message
from crocoqb_desktop.qbo.client import QboClient
from crocoqb_desktop.qbo.faults import DuplicateNameFault
from crocoqb_desktop.qbo.query import eq
from crocoqb_desktop.sync import mapping, mapping_common
from crocoqb_desktop.sync.mappings import DEPOSIT, ITEM, TAX, Mappings, source_key
from crocoqb_desktop.sync.problems import inactive_item_problem
from crocoqb_desktop.sync.store import StateStore

log = logging.getLogger("crocoqb.sync")

# Deterministic request ids: the same logical write always carries the same requestid, also after
# a crash and a rerun, so QuickBooks can recognise the replay.
_NAMESPACE = uuid.UUID("6f1c1f3e-52a4-4c3b-9a1e-7bb0c8a4d2f1")


def request_id_for(*parts: object) -> str:
    return str(uuid.uuid5(_NAMESPACE, "|".join(str(p) for p in parts)))


#: how a line's item was chosen (the check shows it)
BY_MAPPING, BY_LINK, BY_NAME, BY_DEFAULT, BY_CREATING = "mapping", "id", "name", "default", "created"
#: the item free-text lines go to when no default item is set (created once, as a Service item)
DEFAULT_ITEM_NAME = "CrocoClick sale"


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
        #: names carried by several active items (sub-items of different parents): never guessed
        self._shared_names: dict[str, list[dict[str, Any]]] = {}
        self._all_items: list[dict[str, Any]] = []
        self._income_account: dict[str, Any] | None = None
        # the engine writes several records at once: the company and the items are read (and a missing
        # item created) once
        self._lock = threading.RLock()
        self.mappings = Mappings(store)

    # -- company ----------------------------------------------------------------------------------
    def company(self) -> mapping.QboCompany:
        if self._company is not None:
            return self._company
        with self._lock:
            return self._load_company()

    def _load_company(self) -> mapping.QboCompany:
        if self._company is None:
            # read fresh each cycle (two GETs): the bookkeeper may change a setting (automated sales tax,
            # custom numbers, multicurrency) at any time, and the check shows the same settings as the sync uses
            info = self.client.company_info()
            prefs = self.client.preferences()
            accounts = list(self.client.query_all("Account"))
            self._company = mapping.company_from_qbo(
                info, prefs,
                tax_codes=list(self.client.query_all("TaxCode")),
                tax_rates=list(self.client.query_all("TaxRate")),
                accounts=accounts,
                payment_methods=list(self.client.query_all("PaymentMethod")),
                deposit_account=self._deposit_account,
                **self.mapped(),
            )
            self._income_account = next(
                (a for a in accounts if a.get("AccountType") == "Income" and a.get("Active", True)), None
            )
        return self._company

    def mapped(self) -> dict[str, dict[str, str]]:
        """The tax and deposit mappings as `company_from_qbo` takes them."""
        taxes = self.mappings.all(TAX)
        return {"tax_map": {source_key(TAX, m.source): m.qbo_id for m in taxes},
                "deposit_map": {m.source: m.qbo_id for m in self.mappings.all(DEPOSIT)},
                "mapped_names": {m.qbo_id: m.qbo_name for m in taxes if m.qbo_name}}

    def prime(self, company: mapping.QboCompany, items: list[dict[str, Any]],
              income_account: dict[str, Any] | None) -> None:
        """Uses lists already read (the check reads them once, inactive objects included)."""
        with self._lock:
            self._company = company
            self._index_items(items)
            self._income_account = income_account

    # -- items ------------------------------------------------------------------------------------
    def item_refs(self, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Each CrocoClick line -> a QBO Item ref (see `item_choice`)."""
        return [self.item_ref(line) for line in lines]

    def item_ref(self, line: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            item, how = self._item_choice(line, create=True)
            out: dict[str, Any] = ref(item)
            if how == BY_DEFAULT:
                out["free_text"] = True  # the line's own name goes in the description
            return out

    def item_choice(self, line: dict[str, Any]) -> tuple[dict[str, Any] | None, str]:
        """(item or None when it would be created, how) without writing anything (the check)."""
        with self._lock:
            return self._item_choice(line, create=False)

    def _item_choice(self, line: dict[str, Any], *, create: bool) -> tuple[dict[str, Any], str]:
        """A product line (productId): the user's mapping of the product id (or of its name), then the
        product's link, then an active item of the same name, then the default item when one is set,
        else a new Service item named like the product (remembered for that product).
        A free-text line (no productId): the user's mapping of its name, then an active item of the
        same name, else the default item (`sync.default_item`, or one item "CrocoClick sale" made once)
        with the line's name in the description: a 250-line invoice never creates 250 items."""
        product_id = str(line.get("productId") or "")
        name = _item_name(line.get("name") or "CrocoClick item")
        for source in ([product_id] if product_id else []) + [name]:
            mapped = self.mappings.get(ITEM, source)
            if mapped:
                return self._mapped_item(mapped.qbo_id, source), BY_MAPPING
        if product_id:
            link = self.store.link("product", product_id)
            if link:
                return {"Id": link.qbo_id, "Name": link.extra.get("name", "")}, BY_LINK
        item = self._item_named(name)
        if item is not None:
            how = BY_NAME
        elif product_id and not self._default_item:
            if not create:
                return {"Name": name}, BY_CREATING
            item, how = self._create_service_item(name), BY_CREATING
        else:
            item, how = self._default(create), BY_DEFAULT
        if product_id and create and "Id" in item:
            self.store.save_link("product", product_id, str(item["Id"]), extra={"name": item.get("Name")})
        return item, how

    def _mapped_item(self, item_id: str, source: str) -> dict[str, Any]:
        item = self._item_by_id(item_id)
        if item is None:
            raise mapping_common.MappingProblem(
                "unmapped_item", message("mappings.item_inactive", "the item (Id {qbo_id}) chosen for '{source}' is inactive or was "
                        "deleted in QuickBooks", qbo_id=item_id, source=source),
                fix=message("mappings.item_inactive_fix", "Choose another item for '{source}' on the Check page "
                            "(`crocoqb map set item`), or make it active again in QuickBooks, then press Sync now.",
                            source=source), qbo_id=item_id)
        return item

    def _default(self, create: bool) -> dict[str, Any]:
        wanted = self._default_item or DEFAULT_ITEM_NAME
        item = self._items().get(wanted.casefold()) or self._item_by_id(wanted)
        if item is None and self._default_item:
            raise mapping.MappingError(
                message("mappings.default_item_missing", "the default item '{name}' (setting sync.default_item) is "
                        "not an active item in QuickBooks", name=self._default_item),
                fix=message("mappings.default_item_missing_fix", "Correct sync.default_item in CrocoQB's settings "
                            "(an item name or Id), or clear it, then press Sync now."))
        if item is None:
            return self._create_service_item(DEFAULT_ITEM_NAME) if create else {"Name": DEFAULT_ITEM_NAME}
        return item

    def default_item_name(self) -> str:
        return self._default_item or DEFAULT_ITEM_NAME

    def default_item_ref(self) -> dict[str, str]:
        with self._lock:
            return ref(self._default(create=True))

    def _items(self) -> dict[str, dict[str, Any]]:
        if self._items_by_name is None:
            self._index_items(list(self.client.query_all("Item")))
        assert self._items_by_name is not None
        return self._items_by_name

    def _index_items(self, items: list[dict[str, Any]]) -> None:
        by_name: dict[str, list[dict[str, Any]]] = {}
        for item in items:
            by_name.setdefault(str(item.get("Name", "")).casefold(), []).append(item)
        self._all_items = list(items)
        self._items_by_name = {name: found[0] for name, found in by_name.items()}
        self._shared_names = {name: found for name, found in by_name.items() if len(found) > 1}

    def _item_named(self, name: str) -> dict[str, Any] | None:
        items = self._items()
        shared = self._shared_names.get(name.casefold())
        if shared:
            raise mapping_common.MappingProblem(
                "ambiguous_item", message("item.ambiguous", "QuickBooks has {count} items named '{name}': {items}", count=len(shared),
                        name=name, items=", ".join(f"'{i.get('FullyQualifiedName') or i.get('Name')}' (Id {i.get('Id')})"
                                                   for i in shared)),
                fix=message("item.ambiguous_fix", "Choose the item for '{name}' on the Check page, or run "
                            "`crocoqb map set item \"{name}\" <Item Id>`, then press Sync now.", name=name))
        return items.get(name.casefold())

    def _item_by_id(self, item_id: str) -> dict[str, Any] | None:
        self._items()
        return next((i for i in self._all_items if str(i.get("Id")) == item_id), None)

    def _create_service_item(self, name: str) -> dict[str, Any]:
        self.company()
        if self._income_account is None:
            raise mapping_common.MappingProblem(  # an item mapping answers it as well
                "unmapped_item", message("sync.item_no_income_account", "the item '{name}' does not exist in QuickBooks and no income account was found to create it", name=name),
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
            active = [i for i in found if i.get("Active", True)]
            if not active:  # the bookkeeper made it inactive: a problem naming it, never a new item
                raise inactive_item_problem(name, str(found[0].get("Id"))) from None
            item = active[0]
        self._items()[name.casefold()] = item
        self._all_items.append(item)
        self.store.log("INFO", "to_qbo", message("sync.item_created", "Created the service item '{name}' in QuickBooks", name=name),
                       record_kind="item", qbo_id=str(item["Id"]))
        return item


def _item_name(name: str) -> str:
    # QBO item names: at most 100 characters, no colon (it separates sub-items)
    cleaned = " ".join(name.replace(":", "-").split())
    return cleaned[:100] or "CrocoClick item"
