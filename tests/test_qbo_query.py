"""Query building: quoting, clauses, paging bounds."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from crocoqb_desktop.qbo.query import build_count, build_select, cmp, eq, in_, literal, quote


def test_quote_backslash_escapes() -> None:
    # the recorded query that found "Amy's Bird Sanctuary" (query_customer_response.json)
    assert quote("Amy's Bird Sanctuary") == "'Amy\\'s Bird Sanctuary'"
    assert quote("back\\slash") == "'back\\\\slash'"
    assert quote("a\\'b") == "'a\\\\\\'b'"
    assert quote("") == "''"
    assert quote("R&D 100%") == "'R&D 100%'"  # URL encoding is the HTTP layer's job


def test_eq_and_in() -> None:
    assert eq("DisplayName", "Amy's Bird Sanctuary") == "DisplayName = 'Amy\\'s Bird Sanctuary'"
    assert eq("PrimaryEmailAddr", "a@b.com") == "PrimaryEmailAddr = 'a@b.com'"
    assert eq("Active", True) == "Active = true"
    assert in_("Id", ["1", "2"]) == "Id IN ('1', '2')"
    assert in_("Active", [True, False]) == "Active IN (true, false)"
    assert cmp("MetaData.LastUpdatedTime", ">", "2011-08-10T10:20:30-07:00") == (
        "MetaData.LastUpdatedTime > '2011-08-10T10:20:30-07:00'")
    assert cmp("TotalAmt", ">", Decimal("300.00")) == "TotalAmt > '300.00'"
    assert literal(date(2025, 3, 1)) == "'2025-03-01'"
    with pytest.raises(ValueError):
        in_("Id", [])
    with pytest.raises(ValueError):
        eq("Name; DROP", "x")
    with pytest.raises(ValueError):
        cmp("Name", "OR", "x")


def test_build_select() -> None:
    assert build_select("Customer") == "SELECT * FROM Customer STARTPOSITION 1 MAXRESULTS 1000"
    sql = build_select("Customer", [eq("DisplayName", "O'Neil"), "Active IN (true, false)"], "Id", 1001, 500)
    assert sql == ("SELECT * FROM Customer WHERE DisplayName = 'O\\'Neil' AND Active IN (true, false) "
                   "ORDERBY Id STARTPOSITION 1001 MAXRESULTS 500")
    assert build_select("Invoice", order_by="MetaData.LastUpdatedTime DESC").startswith(
        "SELECT * FROM Invoice ORDERBY MetaData.LastUpdatedTime DESC")
    assert build_count("Customer") == "SELECT COUNT(*) FROM Customer"
    assert build_count("Customer", [eq("Active", True)]) == "SELECT COUNT(*) FROM Customer WHERE Active = true"


@pytest.mark.parametrize(
    "kwargs",
    [{"entity": "customer"}, {"entity": "Customer x"}, {"entity": "Customer", "start": 0},
     {"entity": "Customer", "max_results": 1001}, {"entity": "Customer", "max_results": 0},
     {"entity": "Customer", "order_by": "Id; x"}],
)
def test_build_select_refuses(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        build_select(**kwargs)
