"""The data of one sandbox company and every write rule (validation, money math, payments).

The write entry points live here; the rules, by entity family, in the mixins it stacks:
`qbo_company_base` -> `qbo_parties` -> `qbo_sales` -> `qbo_payments` -> `qbo_ledger`.

Facts come from `../shared/docs/qbo-reference.md` ("ref §N") and the recorded payloads in
`../shared/fixtures/qbo/` (cited by file name). Choices made where the reference is UNVERIFIED are
marked as such. Not thread-safe: the server serialises access with its lock.
"""

from __future__ import annotations

import copy
import functools
from datetime import datetime
from typing import Any

from .qbo_common import (
    invalid_id,
    meta_time,
    not_found,
    parse_datetime,
    unsupported_operation,
)
from .qbo_entities import (
    COMPUTED,
    DOC_NUMBER_MAX,
    PEOPLE,
    READ_ONLY,
    SALES_DOCUMENTS,
    SALES_FORMS,
    SINGLETONS,
    SUPPORTED,
    SYSTEM_KEYS,
    TRANSACTIONS,
    URL_ENTITIES,
    VOIDABLE,
    WriteContext,
    deep_merge,
    strip_none,
)
from .qbo_ledger import LedgerRules
from .qbo_xsd_input import check_unknown, coerce, invalid_property

__all__ = [
    "COMPUTED",
    "DOC_NUMBER_MAX",
    "PEOPLE",
    "READ_ONLY",
    "SALES_DOCUMENTS",
    "SALES_FORMS",
    "SINGLETONS",
    "SUPPORTED",
    "SYSTEM_KEYS",
    "TRANSACTIONS",
    "URL_ENTITIES",
    "VOIDABLE",
    "Company",
    "WriteContext",
]


class Company(LedgerRules):
    """Objects of one realm, by entity and Id; plus the deletion log for CDC."""

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
            raise invalid_property("The request body must be a JSON object specified is unsupported or invalid")
        check_unknown(self.model, entity, body)
        body = strip_none(coerce(self.model, self.model.entity_type(entity), body, entity))
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
            self._check_sync_token(body.get("SyncToken"), old)
        computed = COMPUTED.get(entity, set())
        if seeding and old is not None and entity in SINGLETONS:
            # seeding CompanyInfo / Preferences merges deeply:
            # {"SalesFormsPrefs": {"CustomTxnNumbers": False}} changes only that flag
            body = deep_merge(copy.deepcopy(old), body)
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
