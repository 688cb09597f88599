"""Write rules of the sales forms (Invoice, SalesReceipt, RefundReceipt): lines, discount, tax, totals."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from .qbo_common import (
    CURRENCY_NAMES,
    QboFault,
    business,
    money,
    plain,
    required_missing,
    to_decimal,
    today_local,
)
from .qbo_entities import DOC_NUMBER_MAX, WriteContext
from .qbo_parties import PartyRules


class SalesRules(PartyRules):
    """Sales documents on top of the list rules; `_norm_sales_document` is their normaliser."""

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
