"""Seed data of a new sandbox company ("us" and "ca" presets).

Shapes follow the recorded objects (account_undeposited_funds.json, item_service.json, paymentmethod_*.json,
term.json, taxcode.json, taxrate.json). Ids are deliberately not the ones of Intuit's sample company
(Undeposited Funds is not "4": ref §7.7 "never hardcode").
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

# (Id, Name, AccountType, AccountSubType)
_ACCOUNTS = [
    ("1", "Checking", "Bank", "Checking"),
    ("2", "Services", "Income", "ServiceFeeIncome"),
    ("3", "Sales of Product Income", "Income", "SalesOfProductIncome"),
    ("5", "Discounts given", "Income", "DiscountsRefundsGiven"),
    ("6", "Accounts Receivable (A/R)", "Accounts Receivable", "AccountsReceivable"),
    ("7", "Undeposited Funds", "Other Current Asset", "UndepositedFunds"),
    ("8", "Inventory Asset", "Other Current Asset", "Inventory"),
    ("9", "Cost of Goods Sold", "Cost of Goods Sold", "SuppliesMaterialsCogs"),
    ("10", "Savings", "Bank", "Savings"),
]

_PAYMENT_METHODS = [
    ("1", "Cash", "NON_CREDIT_CARD"),
    ("2", "Check", "NON_CREDIT_CARD"),
    ("3", "Visa", "CREDIT_CARD"),
    ("4", "MasterCard", "CREDIT_CARD"),
    ("5", "American Express", "CREDIT_CARD"),
    ("6", "Discover", "CREDIT_CARD"),
    ("7", "Diners Club", "CREDIT_CARD"),
]

_TERMS = [("1", "Due on receipt", 0), ("2", "Net 15", 15), ("3", "Net 30", 30), ("4", "Net 60", 60)]

CLASSIFICATION = {
    "Bank": "Asset",
    "Accounts Receivable": "Asset",
    "Other Current Asset": "Asset",
    "Fixed Asset": "Asset",
    "Other Asset": "Asset",
    "Accounts Payable": "Liability",
    "Credit Card": "Liability",
    "Other Current Liability": "Liability",
    "Long Term Liability": "Liability",
    "Equity": "Equity",
    "Income": "Revenue",
    "Other Income": "Revenue",
    "Cost of Goods Sold": "Expense",
    "Expense": "Expense",
    "Other Expense": "Expense",
    "Non-Posting": "Non-Posting",
}
DEFAULT_SUBTYPE = {
    "Bank": "Checking",
    "Accounts Receivable": "AccountsReceivable",
    "Other Current Asset": "OtherCurrentAssets",
    "Fixed Asset": "OtherFixedAssets",
    "Other Asset": "OtherLongTermAssets",
    "Accounts Payable": "AccountsPayable",
    "Credit Card": "CreditCard",
    "Other Current Liability": "OtherCurrentLiabilities",
    "Long Term Liability": "OtherLongTermLiabilities",
    "Equity": "OwnersEquity",
    "Income": "ServiceFeeIncome",
    "Other Income": "OtherMiscellaneousIncome",
    "Cost of Goods Sold": "SuppliesMaterialsCogs",
    "Expense": "OtherMiscellaneousServiceCost",
    "Other Expense": "OtherMiscellaneousExpense",
}


def seed(
    preset: str, name: str, realm_id: str, custom_txn_numbers: bool | None, multicurrency: bool
) -> dict[str, list[dict[str, Any]]]:
    """Entity name -> objects (without domain/SyncToken/MetaData, which the store adds)."""
    if preset not in ("us", "ca"):
        raise ValueError(f"unknown preset {preset!r} (use 'us' or 'ca')")
    us = preset == "us"
    currency = "USD" if us else "CAD"
    out: dict[str, list[dict[str, Any]]] = {}
    out["Account"] = [
        {
            "Id": i,
            "Name": n,
            "SubAccount": False,
            "FullyQualifiedName": n,
            "Active": True,
            "Classification": CLASSIFICATION[t],
            "AccountType": t,
            "AccountSubType": st,
            "CurrentBalance": Decimal(0),
            "CurrentBalanceWithSubAccounts": Decimal(0),
            "CurrencyRef": {"value": currency, "name": "United States Dollar" if us else "Canadian Dollar"},
        }
        for i, n, t, st in _ACCOUNTS
    ]
    out["Item"] = [
        {
            "Id": "1",
            "Name": "Services",
            "Description": "Professional services",
            "Active": True,
            "FullyQualifiedName": "Services",
            "Taxable": False,
            "UnitPrice": Decimal(0),
            "Type": "Service",
            "IncomeAccountRef": {"value": "2", "name": "Services"},
            "PurchaseCost": Decimal(0),
            "TrackQtyOnHand": False,
        }
    ]
    out["PaymentMethod"] = [{"Id": i, "Name": n, "Active": True, "Type": t} for i, n, t in _PAYMENT_METHODS]
    out["Term"] = [
        {"Id": i, "Name": n, "Active": True, "Type": "STANDARD", "DueDays": d, "DiscountDays": 0}
        for i, n, d in _TERMS
    ]
    if us:
        # US: line tax codes are the pseudo codes TAX / NON (ref §7.4); the automated-sales-tax engine
        # (AST, Preferences.TaxPrefs.PartnerTaxEnabled) uses one combined rate (taxcode.json / taxrate.json).
        out["TaxRate"] = [
            {
                "Id": "1",
                "Name": "California",
                "Description": "Sales Tax",
                "Active": True,
                "RateValue": Decimal(8),
                "AgencyRef": {"value": "1"},
                "SpecialTaxType": "NONE",
                "DisplayType": "ReadOnly",
            }
        ]
        out["TaxCode"] = [
            {
                "Id": "TAX",
                "Name": "TAX",
                "Description": "TAX",
                "Active": True,
                "Taxable": True,
                "TaxGroup": False,
            },
            {
                "Id": "NON",
                "Name": "NON",
                "Description": "NON",
                "Active": True,
                "Taxable": False,
                "TaxGroup": False,
            },
            {
                "Id": "2",
                "Name": "California",
                "Description": "California",
                "Active": True,
                "Taxable": True,
                "TaxGroup": True,
                "SalesTaxRateList": {
                    "TaxRateDetail": [
                        {
                            "TaxRateRef": {"value": "1", "name": "California"},
                            "TaxTypeApplicable": "TaxOnAmount",
                            "TaxOrder": 0,
                        }
                    ]
                },
                "PurchaseTaxRateList": {"TaxRateDetail": []},
            },
        ]
    else:
        # Canada: GST 5 %, HST ON 13 %, QST 9.975 % (not compounded since 2013), exempt and zero-rated.
        rates = [
            ("1", "GST", "5", "1"),
            ("2", "HST ON", "13", "1"),
            ("3", "QST", "9.975", "2"),
            ("4", "Exempt", "0", "1"),
            ("5", "Zero-rated", "0", "1"),
        ]
        out["TaxRate"] = [
            {
                "Id": i,
                "Name": n,
                "Description": n,
                "Active": True,
                "RateValue": Decimal(v),
                "AgencyRef": {"value": a},
                "SpecialTaxType": "NONE",
                "DisplayType": "ReadOnly",
            }
            for i, n, v, a in rates
        ]
        codes = [
            ("2", "GST", ["1"]),
            ("3", "HST ON", ["2"]),
            ("4", "GST/QST QC - 9.975", ["1", "3"]),
            ("5", "Exempt", ["4"]),
            ("6", "Zero-rated", ["5"]),
        ]
        names = {i: n for i, n, _v, _a in rates}
        out["TaxCode"] = [
            {
                "Id": i,
                "Name": n,
                "Description": n,
                "Active": True,
                "Taxable": n not in ("Exempt", "Zero-rated"),
                "TaxGroup": len(r) > 1,
                "SalesTaxRateList": {
                    "TaxRateDetail": [
                        {
                            "TaxRateRef": {"value": rid, "name": names[rid]},
                            "TaxTypeApplicable": "TaxOnAmount",
                            "TaxOrder": 0,
                        }
                        for rid in r
                    ]
                },
                "PurchaseTaxRateList": {"TaxRateDetail": []},
            }
            for i, n, r in codes
        ]
    addr = (
        {
            "Id": "1",
            "Line1": "2600 Marine Way",
            "City": "Mountain View",
            "CountrySubDivisionCode": "CA",
            "PostalCode": "94043",
            "Country": "US",
        }
        if us
        else {
            "Id": "1",
            "Line1": "100 King St W",
            "City": "Toronto",
            "CountrySubDivisionCode": "ON",
            "PostalCode": "M5X 1A9",
            "Country": "CA",
        }
    )
    out["CompanyInfo"] = [
        {
            "Id": "1",
            "CompanyName": name,
            "LegalName": name,
            "CompanyAddr": dict(addr),
            "CustomerCommunicationAddr": dict(addr),
            "LegalAddr": dict(addr),
            "PrimaryPhone": {"FreeFormNumber": "(650) 944-6000"},
            "CompanyStartDate": "2024-01-01",
            "FiscalYearStartMonth": "January",
            "Country": "US" if us else "CA",
            "Email": {"Address": "noreply@quickbooks.com"},
            "WebAddr": {},
            "SupportedLanguages": "en",
            "NameValue": [
                {"Name": "NeoEnabled", "Value": "true"},
                {"Name": "IndustryType", "Value": "Services"},
                {"Name": "CompanyType", "Value": "Other"},
                {"Name": "OfferingSku", "Value": "QuickBooks Online Plus"},
            ],
        }
    ]
    out["Preferences"] = [
        {
            "Id": "1",
            "AccountingInfoPrefs": {
                "TrackDepartments": False,
                "DepartmentTerminology": "Location",
                "ClassTrackingPerTxn": False,
                "ClassTrackingPerTxnLine": False,
                "CustomerTerminology": "Customers",
            },
            "ProductAndServicesPrefs": {
                "ForSales": True,
                "ForPurchase": True,
                "QuantityWithPriceAndRate": True,
                "QuantityOnHand": True,
            },
            "SalesFormsPrefs": {
                "CustomField": [],
                "AllowDeposit": True,
                "AllowDiscount": True,
                "DefaultDiscountAccount": "5",
                "AllowEstimates": True,
                "AllowShipping": False,
                "AllowServiceDate": True,
                "CustomTxnNumbers": (us if custom_txn_numbers is None else custom_txn_numbers),
                "DefaultTerms": {"value": "3"},
                "ETransactionEnabledStatus": "NotApplicable",
                "ETransactionAttachPDF": False,
                "ETransactionPaymentEnabled": False,
                "IPNSupportEnabled": False,
                "UsingPriceLevels": False,
                "UsingProgressInvoicing": False,
                "AutoApplyCredit": True,
                "AutoApplyPayments": True,
                "PrintItemWithZeroAmount": False,
            },
            "VendorAndPurchasesPrefs": {"TrackingByCustomer": True, "BillableExpenseTracking": True},
            "TimeTrackingPrefs": {
                "UseServices": True,
                "BillCustomers": True,
                "ShowBillRateToAll": False,
                "WorkWeekStartDate": "Monday",
                "MarkTimeEntriesBillable": True,
            },
            "TaxPrefs": (
                {"UsingSalesTax": True, "PartnerTaxEnabled": True, "TaxGroupCodeRef": {"value": "2"}}
                if us
                else {"UsingSalesTax": True, "PartnerTaxEnabled": False}
            ),
            "CurrencyPrefs": {"MultiCurrencyEnabled": multicurrency, "HomeCurrency": {"value": currency}},
            "ReportPrefs": {"ReportBasis": "Accrual", "CalcAgingReportFromTxnDate": False},
            "OtherPrefs": {
                "NameValue": [
                    {
                        "Name": "SalesFormsPrefs.DefaultCustomerMessage",
                        "Value": "Thank you for your business and have a great day!",
                    }
                ]
            },
        }
    ]
    return out


def company_settings(
    *,
    custom_txn_numbers: bool | None = None,
    automated_sales_tax: bool | None = None,
    multicurrency: bool | None = None,
    home_currency: str | None = None,
    class_tracking: bool | None = None,
    location_tracking: bool | None = None,
    book_close_date: str | None = None,
) -> dict[str, Any]:
    """A Preferences patch for the company settings the pre-flight check reads (design-notes rule 10),
    to seed with `QboSandbox.put_entity(realm, "Preferences", patch)` (seeding merges deeply).
    Field names as in the XSD (AccountingInfoPrefs.ClassTrackingPerTxn, TrackDepartments, BookCloseDate;
    SalesFormsPrefs.CustomTxnNumbers; TaxPrefs.PartnerTaxEnabled; CurrencyPrefs)."""
    patch: dict[str, dict[str, Any]] = {}

    def put(group: str, key: str, value: Any) -> None:
        if value is not None:
            patch.setdefault(group, {})[key] = value

    put("SalesFormsPrefs", "CustomTxnNumbers", custom_txn_numbers)
    put("TaxPrefs", "PartnerTaxEnabled", automated_sales_tax)
    put("CurrencyPrefs", "MultiCurrencyEnabled", multicurrency)
    if home_currency is not None:
        put("CurrencyPrefs", "HomeCurrency", {"value": home_currency})
    put("AccountingInfoPrefs", "ClassTrackingPerTxn", class_tracking)
    put("AccountingInfoPrefs", "TrackDepartments", location_tracking)
    put("AccountingInfoPrefs", "BookCloseDate", book_close_date)
    return patch
