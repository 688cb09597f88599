"""What the sync will meet in CrocoClick: the taxes, products, free-text line names, payment source
types, processors, payment methods and currencies on recent invoices and payments (read only).

"Recent" = updated in the last `days` days (90 by default), at most `max_records` of each kind:
what the next syncs will push looks like what was sold lately. Drafts and imported invoices
(`origin: import`, they came from QuickBooks) are skipped: they are never pushed. Failed payments too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import islice
from typing import Any

from crocoqb_desktop.sync.mapping_common import MappingError, dec
from crocoqb_desktop.sync.mappings import source_key, tax_source


@dataclass
class TaxSeen:
    name: str
    rates: set[Decimal] = field(default_factory=set)
    #: rate -> the line's taxes as CrocoClick gave them (one example per rate)
    examples: dict[Decimal, list[dict[str, Any]]] = field(default_factory=dict)
    inclusive: bool = False
    lines: int = 0


@dataclass
class LineSeen:
    """A product (by id) or a free-text line (by name) and how many lines carried it."""

    source: str
    name: str
    product_id: str | None
    lines: int = 0


@dataclass
class Seen:
    taxes: dict[str, TaxSeen] = field(default_factory=dict)
    products: dict[str, LineSeen] = field(default_factory=dict)
    free_lines: dict[str, LineSeen] = field(default_factory=dict)
    source_types: Counter[str] = field(default_factory=Counter)
    providers: Counter[str] = field(default_factory=Counter)
    methods: Counter[str] = field(default_factory=Counter)
    method_examples: dict[str, dict[str, Any]] = field(default_factory=dict)
    currencies: Counter[str] = field(default_factory=Counter)
    invoices: int = 0
    payments: int = 0
    #: document dates (invoice issue date, payment day), to compare with a closing date
    dates: Counter[str] = field(default_factory=Counter)

    def dated_on_or_before(self, day: str) -> int:
        return sum(n for date, n in self.dates.items() if date <= day)

    def tax_rates(self, name: str) -> set[Decimal]:
        found = self.taxes.get(source_key("tax", name))
        return set(found.rates) if found else set()

    def add_lines(self, items: Iterable[dict[str, Any]]) -> None:
        for item in items:
            taxes = [t for t in (item.get("taxes") or []) if isinstance(t, dict)]
            if taxes:
                name = tax_source(taxes)
                entry = self.taxes.setdefault(source_key("tax", name), TaxSeen(name))
                try:
                    rate = sum((dec(t.get("rate"), "a tax rate") for t in taxes), Decimal(0)).normalize()
                except MappingError:
                    rate = None  # a broken rate fails its own document at sync time, with its own message
                if rate is not None:
                    entry.rates.add(rate)
                    entry.examples.setdefault(rate, [dict(t) for t in taxes])
                entry.inclusive = entry.inclusive or any(t.get("inclusive") for t in taxes)
                entry.lines += 1
            line_name = " ".join(str(item.get("name") or "").split())
            product_id = item.get("productId")
            if product_id:
                seen = self.products.setdefault(str(product_id), LineSeen(str(product_id), line_name, str(product_id)))
            else:
                seen = self.free_lines.setdefault(source_key("item", line_name),
                                                  LineSeen(line_name, line_name, None))
            seen.lines += 1

    def add_invoice(self, invoice: dict[str, Any]) -> None:
        if invoice.get("status") == "draft" or invoice.get("origin") == "import":
            return
        self.invoices += 1
        self.add_lines(invoice.get("items") or [])
        if invoice.get("issueDate"):
            self.dates[str(invoice["issueDate"])[:10]] += 1
        if invoice.get("currency"):
            self.currencies[str(invoice["currency"]).upper()] += 1

    def add_payment(self, payment: dict[str, Any]) -> None:
        if payment.get("status") == "failed":
            return
        self.payments += 1
        self.add_lines(payment.get("lineItems") or [])
        if payment.get("paidAt"):
            self.dates[str(payment["paidAt"])[:10]] += 1
        self.source_types[str(payment.get("sourceType") or "manual")] += 1
        method = payment.get("paymentMethod") or {}
        if method.get("type"):
            label = " ".join(str(method.get(k) or "").strip() for k in ("type", "brand") if method.get(k))
            self.methods[label] += 1
            self.method_examples.setdefault(label, dict(method))
        if method.get("provider"):
            self.providers[str(method["provider"]).strip().casefold()] += 1
        if payment.get("currency"):
            self.currencies[str(payment["currency"]).upper()] += 1


def scan(croco: Any, *, days: int = 90, max_records: int = 2000, now: datetime | None = None) -> Seen:
    """Reads CrocoClick's recent invoices and payments (GET only)."""
    since = ((now or datetime.now(UTC)) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")
    seen = Seen()
    invoices: Iterator[dict[str, Any]] = croco.list_invoices(updated_since=since)
    for invoice in islice(invoices, max_records):
        seen.add_invoice(invoice)
    payments: Iterator[dict[str, Any]] = croco.list_payments(updated_since=since)
    for payment in islice(payments, max_records):
        seen.add_payment(payment)
    return seen
