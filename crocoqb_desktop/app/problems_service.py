"""Problems for the GUI (design rule 9): the list, the ones nobody was told about yet, the user's answers,
and the QuickBooks customers to pick from for `relink`. Blocking calls: run them off the GUI thread."""

from __future__ import annotations

from itertools import islice
from typing import Any

from crocoqb_desktop.app.connection import QboConnection
from crocoqb_desktop.app.context import AppContext
from crocoqb_desktop.messages import Message, message
from crocoqb_desktop.qbo.query import cmp
from crocoqb_desktop.sync import mapping, problems, resolve
from crocoqb_desktop.sync.problems import Problem
from crocoqb_desktop.sync.qbo_context import QboContext

MAX_RESULTS = 20


class ProblemsService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def open_problems(self) -> list[Problem]:
        return problems.list_problems(self.ctx.store)

    def take_new(self) -> list[Problem]:
        return problems.take_new(self.ctx.store)

    def resolve(self, op_key: str, action: str, qbo_id: str | None = None) -> Message:
        """Checks, then applies the answer (nothing changes when it is refused: ResolveRefused). The caller
        runs a sync afterwards for everything but `skip`."""
        store = self.ctx.store
        problem = problems.get(store, op_key)
        if problem is None:
            raise resolve.ResolveRefused(message("resolve.already_solved", "this record no longer needs you: it was "
                                                 "solved meanwhile"))
        resolve.check(problem, action, qbo_id)
        customer = None
        if action == "relink" and qbo_id:
            item = store.outbox_item(op_key)
            if item is None:
                raise resolve.ResolveRefused(resolve.RECORD_GONE)
            qbo = QboContext(QboConnection(self.ctx.settings, store).client(), store)
            customer = resolve.relink_target(qbo.client, qbo.company(), item, qbo_id)
        return resolve.apply(store, problem, action, customer)

    def search_customers(self, text: str) -> list[dict[str, str]]:
        """Active QuickBooks customers whose name contains `text` (asked to QuickBooks) or whose email does
        (the app's normalised index: QuickBooks compares emails literally)."""
        text = text.strip()
        if not text:
            return []
        store = self.ctx.store
        client = QboConnection(self.ctx.settings, store).client()
        found: dict[str, dict[str, str]] = {}
        pattern = f"%{text}%"
        for c in islice(client.query_all("Customer", [cmp("DisplayName", "LIKE", pattern)], page_size=MAX_RESULTS),
                        MAX_RESULTS):
            found[str(c["Id"])] = _row(c)
        email = mapping.normalise_email(text) or text.casefold()
        rows = store.execute("SELECT qbo_id FROM qbo_customers WHERE active=1 AND email_norm LIKE ? LIMIT ?",
                             (f"%{email}%", MAX_RESULTS)).fetchall()
        for row in rows:
            if row[0] not in found:
                c = client.get("Customer", row[0])
                if c.get("Active", True):
                    found[str(c["Id"])] = _row(c)
        return list(found.values())[:MAX_RESULTS]


def _row(customer: dict[str, Any]) -> dict[str, str]:
    return {"id": str(customer["Id"]), "name": str(customer.get("DisplayName", "")),
            "email": str((customer.get("PrimaryEmailAddr") or {}).get("Address") or "")}
