"""Delete and void, and what every change moves: account postings and customer balances."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from . import qbo_banking
from .qbo_common import (
    invalid_id,
    meta_time,
    money,
    not_found,
    required_missing,
    to_decimal,
    unsupported_operation,
)
from .qbo_entities import TRANSACTIONS, VOIDABLE
from .qbo_payments import PaymentRules


class LedgerRules(PaymentRules):
    """Removal (delete, void) and the side effects of a saved transaction."""

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
        self._check_sync_token(body.get("SyncToken"), obj)
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
        cust["BalanceWithJobs"] = money(balance + self._jobs_balance(cid))
        parent = cust.get("ParentRef", {}).get("value")
        if parent and parent in self.objects["Customer"]:
            p = self.objects["Customer"][parent]
            p["BalanceWithJobs"] = money(to_decimal(p.get("Balance", 0)) + self._jobs_balance(parent))

    def _jobs_balance(self, parent_id: str) -> Decimal:
        """Sum of the Balance of the sub-customers (jobs) directly under `parent_id`."""
        return sum(
            (
                to_decimal(c.get("Balance", 0))
                for c in self.objects["Customer"].values()
                if c.get("ParentRef", {}).get("value") == parent_id
            ),
            Decimal(0),
        )
