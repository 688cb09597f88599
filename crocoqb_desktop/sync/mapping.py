"""The mapping rules between CrocoClick and QuickBooks Online, as pure functions (no I/O).

CrocoClick -> QBO payloads (`customer_payload`, `invoice_payload`, `sales_receipt_payload`,
`payment_payload`, `refund_receipt_payload`) and QBO -> CrocoClick bodies
(`contact_body_from_customer`, `contact_update_from_customer`, `invoice_body_from_qbo`).
The rules live in the `mapping_*` modules, each with its own docstring:

- `mapping_common`: MappingError, QboCompany/company_from_qbo, Decimal helpers, `fingerprint`,
  `implied_total` (QBO's TotalAmt arithmetic);
- `mapping_customers`: contacts <-> customers, DisplayName candidates;
- `mapping_tax`: CrocoClick taxes -> QBO tax codes;
- `mapping_lines`: lines, discount and taxes of sales documents (totals exact to the cent);
- `mapping_sales`: Invoice, SalesReceipt, Payment, RefundReceipt, payment methods, markers;
- `mapping_import`: QBO invoices -> CrocoClick (historical import);
- `mapping_totals`: CrocoClick's own arithmetic (fills values CrocoClick did not supply).

QBO payloads hold `Decimal` numbers: serialise them as JSON numbers (never through float).
"""

from __future__ import annotations

from crocoqb_desktop.sync.mapping_common import (
    MappingError,
    QboCompany,
    company_from_qbo,
    fingerprint,
    implied_total,
    normalise_email,
)
from crocoqb_desktop.sync.mapping_customers import (
    contact_body_from_customer,
    contact_update_from_customer,
    customer_payload,
    display_name_candidates,
    is_noop_update,
)
from crocoqb_desktop.sync.mapping_import import invoice_body_from_qbo, is_voided
from crocoqb_desktop.sync.mapping_sales import (
    expected_qbo_total,
    invoice_payload,
    marker,
    payment_method_for,
    payment_payload,
    refund_receipt_payload,
    sales_receipt_payload,
    tax_lines_for,
)
from crocoqb_desktop.sync.mapping_tax import match_tax_code

__all__ = [
    "MappingError",
    "QboCompany",
    "company_from_qbo",
    "contact_body_from_customer",
    "contact_update_from_customer",
    "customer_payload",
    "display_name_candidates",
    "expected_qbo_total",
    "fingerprint",
    "implied_total",
    "invoice_body_from_qbo",
    "invoice_payload",
    "is_noop_update",
    "is_voided",
    "marker",
    "match_tax_code",
    "normalise_email",
    "payment_method_for",
    "payment_payload",
    "refund_receipt_payload",
    "sales_receipt_payload",
    "tax_lines_for",
]
