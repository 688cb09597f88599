"""The invariant of rule 9, checked after every sync of the test suite (World.sync): every CrocoClick
record the engine has seen is exactly one of linked and up to date, pending, or a visible problem."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

#: the QuickBooks entity a pushed record of each kind is linked to
_ENTITIES = {"invoice": ("Invoice",), "payment": ("SalesReceipt",), "invoice_payment": ("Payment",),
             "refund": ("RefundReceipt",)}


def assert_no_limbo(store: Any, qbo: Any, realm: str) -> None:
    alive = {entity: {str(o["Id"]): o for o in qbo.entities(realm, entity)}
             for entities in _ENTITIES.values() for entity in entities}
    problems = {r["op_key"]: r for r in store.execute("SELECT op_key, state, reason FROM problems")}
    limbo: list[str] = []
    for row in store.execute("SELECT op_key, kind, croco_id, action, status FROM outbox"):
        op_key, kind, status = row["op_key"], row["kind"], row["status"]
        if status == "pending":
            continue
        if status == "parked":
            if op_key not in problems:
                limbo.append(f"{op_key}: parked without a problem")
            continue
        if op_key in problems:
            limbo.append(f"{op_key}: done but still listed as a problem")
        if kind == "customer" or (kind == "invoice" and row["action"] == "void"):
            continue  # a contact update of an unlinked contact / a void of a never-sent invoice: nothing to write
        if row["action"] == "invoice_payment":
            kind = "invoice_payment"
        link = store.link(kind, row["croco_id"])
        if link is None:
            limbo.append(f"{op_key}: done but not linked to anything in QuickBooks")
            continue
        doc = next((alive[e][link.qbo_id] for e in _ENTITIES[kind] if link.qbo_id in alive[e]), None)
        if doc is None:
            limbo.append(f"{op_key}: linked to {link.qbo_id}, which is not in QuickBooks")
        elif kind == "invoice" and doc.get("PrivateNote") == "Voided" and Decimal(str(doc.get("TotalAmt"))) == 0 \
                and link.fingerprint != "void":
            limbo.append(f"{op_key}: voided in QuickBooks, open in CrocoClick, and no problem")
    for op_key, row in problems.items():
        if row["state"] == "open" and not op_key.startswith("payout:") and store.outbox_item(op_key) is None:
            limbo.append(f"{op_key}: a problem without its record")
    limbo += _payouts_in_limbo(store, qbo, realm, problems)
    assert not limbo, "records in limbo (neither synced, pending nor a visible problem):\n" + "\n".join(limbo)


#: why a payout waits that only the user can answer (an account to map): such a wait is a problem
_USER_WAITS = ("payouts.no_bank", "payouts.no_adjustment", "payouts.account_inactive")


def _payouts_in_limbo(store: Any, qbo: Any, realm: str, problems: dict[str, Any]) -> list[str]:
    """Rule 14 payouts: booked (its Transfer is in QuickBooks), waiting for its payments (pending, not a
    problem), waiting for an account to map (a problem naming it), or left to the user (manual)."""
    limbo: list[str] = []
    transfers = {str(t["Id"]) for t in qbo.entities(realm, "Transfer")}
    for row in store.execute("SELECT id, state, detail_id FROM payouts"):
        key = f"payout:{row['id']}"
        problem = problems.get(key)
        if row["state"] == "waiting" and row["detail_id"] in _USER_WAITS and problem is None:
            limbo.append(f"{key}: waits for an account to map, and no problem says so")
        if row["state"] in ("booked", "failed", "not_clearing") and problem is not None:
            limbo.append(f"{key}: {row['state']} but still listed as a problem")
        if problem is not None and problem["state"] == "skipped" and row["state"] != "manual":
            limbo.append(f"{key}: skipped by the user but still {row['state']}")
        if row["state"] == "booked":
            write = store.execute("SELECT qbo_id FROM payout_writes WHERE key=?", (key,)).fetchone()
            if write is not None and write["qbo_id"] and str(write["qbo_id"]) not in transfers:
                limbo.append(f"{key}: booked as Transfer {write['qbo_id']}, which is not in QuickBooks")
    for key in problems:
        if key.startswith("payout:") and store.execute(
                "SELECT 1 FROM payouts WHERE id=?", (key.split(":", 1)[1],)).fetchone() is None:
            limbo.append(f"{key}: a problem without its payout")
    return limbo
