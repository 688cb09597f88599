"""QBO sandbox: query language, change data capture and batch (real HTTP)."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from typing import Any

from crocoqb_desktop.sandbox.qbo_common import meta_time, now_local
from crocoqb_desktop.sandbox.qbo_server import QboSandbox
from tests.conftest import QBO_FIXTURES
from tests.plugins.qbo_sandbox_fixtures import QBO_REALM, SandboxApi


def _seed_customers(sandbox: QboSandbox, n: int) -> list[dict[str, Any]]:
    return [
        sandbox.put_entity(
            QBO_REALM,
            "Customer",
            {"DisplayName": f"Customer {i:02d}", "PrimaryEmailAddr": {"Address": f"c{i}@Example.com"}},
        )
        for i in range(1, n + 1)
    ]


def test_query_paging_count_and_empty(qbo_api: SandboxApi, qbo_sandbox: QboSandbox) -> None:
    _seed_customers(qbo_sandbox, 7)
    page1 = qbo_api.query("SELECT * FROM Customer MAXRESULTS 3 STARTPOSITION 1")
    assert page1["startPosition"] == 1 and page1["maxResults"] == 3
    assert [c["DisplayName"] for c in page1["Customer"]] == ["Customer 01", "Customer 02", "Customer 03"]
    page3 = qbo_api.query("SELECT * FROM Customer STARTPOSITION 7 MAXRESULTS 3")
    assert page3["startPosition"] == 7 and [c["DisplayName"] for c in page3["Customer"]] == ["Customer 07"]
    assert (
        qbo_api.query("SELECT * FROM Customer STARTPOSITION 8 MAXRESULTS 3") == {}
    )  # query_empty_response.json
    assert qbo_api.query("SELECT COUNT(*) FROM Customer") == {"totalCount": 7}
    assert qbo_api.query("select count(*) from Customer where DisplayName LIKE 'Customer 0%'") == {
        "totalCount": 7
    }
    desc = qbo_api.query("SELECT * FROM Customer ORDERBY DisplayName DESC MAXRESULTS 2")
    assert [c["DisplayName"] for c in desc["Customer"]] == ["Customer 07", "Customer 06"]
    default_max = qbo_api.query("SELECT * FROM Account")
    assert default_max["maxResults"] == len(default_max["Account"]) <= 100
    big = qbo_api.query("SELECT * FROM Customer MAXRESULTS 5000")
    assert big["maxResults"] == 7


def test_query_filters_escaping_and_inactive(qbo_api: SandboxApi, qbo_sandbox: QboSandbox) -> None:
    amy = qbo_api.create(
        "Customer",
        {"DisplayName": "Amy's Bird Sanctuary", "PrimaryEmailAddr": {"Address": "Birds@Intuit.com"}},
    )
    other = qbo_api.create("Customer", {"DisplayName": "Bill's Windsurf Shop"})
    got = qbo_api.query("SELECT * FROM Customer WHERE DisplayName = 'Amy\\'s Bird Sanctuary'")
    assert [c["Id"] for c in got["Customer"]] == [amy["Id"]]
    # email compared exactly as stored: QBO does not normalise, the client must
    assert qbo_api.query("SELECT * FROM Customer WHERE PrimaryEmailAddr = 'Birds@Intuit.com'")["Customer"]
    assert qbo_api.query("SELECT * FROM Customer WHERE PrimaryEmailAddr = 'birds@intuit.com'") == {}
    both = qbo_api.query(f"SELECT * FROM Customer WHERE Id IN ('{amy['Id']}', '{other['Id']}') ORDERBY Id")
    assert [c["Id"] for c in both["Customer"]] == [amy["Id"], other["Id"]]
    qbo_api.create("Customer", {"Id": other["Id"], "SyncToken": "0", "sparse": True, "Active": False})
    assert qbo_api.query("SELECT COUNT(*) FROM Customer") == {"totalCount": 1}
    assert qbo_api.query("SELECT COUNT(*) FROM Customer WHERE Active IN (true, false)") == {"totalCount": 2}
    assert qbo_api.query("SELECT * FROM Customer WHERE Active = false")["Customer"][0]["Id"] == other["Id"]
    stamp = amy["MetaData"]["LastUpdatedTime"]
    assert (
        qbo_api.query(f"SELECT COUNT(*) FROM Customer WHERE MetaData.LastUpdatedTime >= '{stamp}'")[
            "totalCount"
        ]
        == 1
    )
    compact = stamp[:-3] + stamp[-2:]  # '-0800' form of the Intuit docs
    assert qbo_api.query(f"SELECT COUNT(*) FROM Customer WHERE MetaData.LastUpdatedTime < '{compact}'") == {
        "totalCount": 0
    }
    inv = qbo_api.create(
        "Invoice",
        {
            "CustomerRef": {"value": amy["Id"]},
            "DocNumber": "A&B-1",
            "Line": [
                {
                    "Amount": 300,
                    "DetailType": "SalesItemLineDetail",
                    "SalesItemLineDetail": {"ItemRef": {"value": "1"}},
                }
            ],
        },
    )
    found = qbo_api.query(
        f"SELECT * FROM Invoice WHERE CustomerRef = '{amy['Id']}' AND TotalAmt > '299.99' "
        f"AND DocNumber = 'A&B-1' AND TxnDate <= '{inv['TxnDate']}'"
    )
    assert found["Invoice"][0]["Id"] == inv["Id"]
    assert found["Invoice"][0]["TotalAmt"] == Decimal("300.00")
    # POST /query with the SELECT as an application/text body
    posted = qbo_api.session.post(
        f"{qbo_api.base}/query",
        data="SELECT * FROM Invoice",
        headers={"Content-Type": "application/text"},
        timeout=5,
    )
    assert qbo_api.ok(posted)["QueryResponse"]["Invoice"][0]["Id"] == inv["Id"]


def test_query_errors(qbo_api: SandboxApi) -> None:
    expected = json.loads((QBO_FIXTURES / "fault_invalid_query_4001.json").read_text())["Fault"]["Error"][0]
    err = qbo_api.fault(qbo_api.get("query", query="SELECT * FROM Custmoer"))
    assert err == expected
    assert (
        qbo_api.fault(qbo_api.get("query", query="SELECT * FROM customer"))["code"] == "4001"
    )  # case-sensitive
    not_queryable = qbo_api.fault(
        qbo_api.get("query", query="SELECT * FROM Vendor WHERE PrimaryEmailAddr = 'a'")
    )
    assert not_queryable["code"] == "4001" and "not queryable" in not_queryable["Detail"]
    for bad in (
        "SELECT * FROM Customer WHERE Id = '1' OR Id = '2'",
        "SELECT DisplayName FROM Customer",
        "SELECT * FROM Customer WHERE DisplayName = 'unterminated",
        "DELETE FROM Customer",
    ):
        assert qbo_api.fault(qbo_api.get("query", query=bad))["code"] == "4000", bad
    assert qbo_api.query("SELECT * FROM Estimate") == {}  # a real entity the sandbox does not hold


def test_cdc_changes_deletes_and_window(qbo_api: SandboxApi, qbo_sandbox: QboSandbox) -> None:
    since = meta_time(now_local() - timedelta(minutes=1))
    c = qbo_api.create("Customer", {"DisplayName": "Changed"})
    inv = qbo_api.create(
        "Invoice",
        {
            "CustomerRef": {"value": c["Id"]},
            "Line": [
                {
                    "Amount": 5,
                    "DetailType": "SalesItemLineDetail",
                    "SalesItemLineDetail": {"ItemRef": {"value": "1"}},
                }
            ],
        },
    )
    qbo_api.create("Invoice", {"Id": inv["Id"], "SyncToken": "0"}, operation="delete")
    body = qbo_api.ok(qbo_api.get("cdc", entities="Customer,Invoice,Payment", changedSince=since))
    assert set(body) == {"CDCResponse", "time"}
    responses = body["CDCResponse"][0]["QueryResponse"]
    assert len(responses) == 3
    assert [x["Id"] for x in responses[0]["Customer"]] == [c["Id"]]
    assert responses[0]["startPosition"] == 1 and responses[0]["maxResults"] == 1
    deleted = responses[1]["Invoice"][0]
    assert deleted["status"] == "Deleted" and deleted["Id"] == inv["Id"] and deleted["domain"] == "QBO"
    assert set(deleted) == {"Id", "status", "domain", "MetaData"}
    assert responses[2] == {}
    later = qbo_api.ok(
        qbo_api.get("cdc", entities="customer", changedSince=meta_time(now_local() + timedelta(minutes=1)))
    )
    assert later["CDCResponse"][0]["QueryResponse"] == [{}]
    old = qbo_api.fault(
        qbo_api.get("cdc", entities="Customer", changedSince=meta_time(now_local() - timedelta(days=31)))
    )
    assert old["code"] == "6000" and "30 days" in old["Detail"]
    assert qbo_api.fault(qbo_api.get("cdc", entities="Custmoer", changedSince=since))["code"] == "4001"
    assert qbo_api.fault(qbo_api.get("cdc", entities="Customer"))["code"] == "2020"


def test_cdc_caps_at_1000_objects_oldest_first(qbo_api: SandboxApi, qbo_sandbox: QboSandbox) -> None:
    base = now_local() - timedelta(days=1)
    for i in range(1003):
        qbo_sandbox.put_entity(
            QBO_REALM,
            "Customer",
            {
                "DisplayName": f"Bulk {i:04d}",
                "MetaData": {"CreateTime": meta_time(base + timedelta(seconds=i))},
            },
        )
    body = qbo_api.ok(qbo_api.get("cdc", entities="Customer,Invoice", changedSince=meta_time(base)))
    got = body["CDCResponse"][0]["QueryResponse"][0]["Customer"]
    assert len(got) == 1000
    assert got[0]["DisplayName"] == "Bulk 0000" and got[-1]["DisplayName"] == "Bulk 0999"
    rest = qbo_api.ok(
        qbo_api.get("cdc", entities="Customer", changedSince=got[-1]["MetaData"]["LastUpdatedTime"])
    )
    assert [c["DisplayName"] for c in rest["CDCResponse"][0]["QueryResponse"][0]["Customer"]] == [
        "Bulk 0999",
        "Bulk 1000",
        "Bulk 1001",
        "Bulk 1002",
    ]


def test_batch_per_item_answers(qbo_api: SandboxApi, qbo_sandbox: QboSandbox) -> None:
    c = qbo_api.create("Customer", {"DisplayName": "Dylan Sollfrank"})
    sr = qbo_api.create(
        "SalesReceipt",
        {
            "CustomerRef": {"value": c["Id"]},
            "Line": [
                {
                    "Amount": 337.5,
                    "DetailType": "SalesItemLineDetail",
                    "SalesItemLineDetail": {"ItemRef": {"value": "1"}},
                }
            ],
        },
    )
    qbo_api.create(
        "SalesReceipt", {"Id": sr["Id"], "SyncToken": "0", "sparse": True, "PrivateNote": "moved on"}
    )
    request = json.loads((QBO_FIXTURES / "batch_request.json").read_text())
    request["BatchItemRequest"][2]["SalesReceipt"]["Id"] = sr["Id"]  # SyncToken "0" is now stale
    resp = qbo_api.post("batch", request)
    assert resp.status_code == 200
    items = qbo_api.data(resp)["BatchItemResponse"]
    assert [i["bId"] for i in items] == ["bid1", "bid2", "bid3", "bid4"]
    assert (
        items[0]["Vendor"]["DisplayName"] == "Boraski Family Store"
        and items[0]["Vendor"]["Vendor1099"] is False
    )
    assert items[1]["Fault"]["Error"][0]["code"] == "610" and items[1]["Fault"]["type"] == "ValidationFault"
    assert items[2]["Fault"]["Error"][0]["code"] == "5010"
    assert items[1]["Fault"]["Error"][0]["element"] == ""
    assert [s["Id"] for s in items[3]["QueryResponse"]["SalesReceipt"]] == [sr["Id"]]

    # objects created by an earlier item are invisible to later items of the same batch
    next_id = str(max(int(x["Id"]) for x in qbo_sandbox.entities(QBO_REALM, "Customer")) + 1)
    chained = qbo_api.ok(
        qbo_api.post(
            "batch",
            {
                "BatchItemRequest": [
                    {"bId": "1", "operation": "create", "Customer": {"DisplayName": "New in batch"}},
                    {
                        "bId": "2",
                        "operation": "create",
                        "Invoice": {
                            "CustomerRef": {"value": next_id},
                            "Line": [
                                {
                                    "Amount": 1,
                                    "DetailType": "SalesItemLineDetail",
                                    "SalesItemLineDetail": {"ItemRef": {"value": "1"}},
                                }
                            ],
                        },
                    },
                    {"bId": "3", "operation": "create", "Customer": {"BadJson": True}},
                ]
            },
        )
    )["BatchItemResponse"]
    assert chained[0]["Customer"]["Id"] == next_id
    assert chained[1]["Fault"]["Error"][0]["code"] == "610"
    assert chained[2]["Fault"]["Error"][0]["code"] == "2010"

    too_many = {"BatchItemRequest": [{"bId": str(i), "Query": "SELECT * FROM Term"} for i in range(31)]}
    assert qbo_api.post("batch", too_many).status_code == 400
