"""Customer merge as a QuickBooks user does it in the QuickBooks screens (there is no merge call in the
API): the transactions of the merged-away customer move to the surviving one; the merged-away customer
stays as an inactive record named "<name> (deleted)" (qbo-reference.md: name-list entities are never
hard-deleted; deactivated records carry a "(deleted)" name). Both show in CDC as changed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .qbo_common import not_found
from .qbo_data import TRANSACTIONS, Company


def merge_customers(company: Company, from_id: str, into_id: str) -> dict[str, Any]:
    customers = company.objects["Customer"]
    gone, kept = customers.get(str(from_id)), customers.get(str(into_id))
    if gone is None or kept is None or gone is kept or gone.get("Active") is False or kept.get("Active") is False:
        raise not_found()
    for entity in TRANSACTIONS:
        for txn in company.objects[entity].values():
            if (txn.get("CustomerRef") or {}).get("value") == str(from_id):
                txn["CustomerRef"] = {"value": str(into_id), "name": kept.get("DisplayName", "")}
                company.touch(entity, txn)
    gone["Active"] = False
    gone["DisplayName"] = f"{gone.get('DisplayName', '')} (deleted)"
    gone["Balance"] = Decimal(0)
    company.touch("Customer", gone)
    company.touch("Customer", kept)
    company._refresh_customer({"CustomerRef": {"value": str(into_id)}})
    return gone
