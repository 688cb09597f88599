"""The sync service: status and one sync cycle, used by the CLI, the scheduler and the GUI."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

from crocoqb_desktop import paths
from crocoqb_desktop.app.connection import QboConnection
from crocoqb_desktop.app.context import AppContext
from crocoqb_desktop.croco.client import CrocoClient
from crocoqb_desktop.errors import CrocoQBError
from crocoqb_desktop.messages import message
from crocoqb_desktop.sync.engine import SyncOptions, SyncResult, run_cycle
from crocoqb_desktop.sync.push import EVENTS_CURSOR
from crocoqb_desktop.sync.qbo_context import QboContext

Progress = Callable[[str, int, int], None]
#: how long a push after events may reuse the QuickBooks company settings read by an earlier cycle
QBO_CONTEXT_TTL_S = 600.0


class SyncService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.connection = QboConnection(ctx.settings, ctx.store)
        self._watch_client: CrocoClient | None = None
        self._qbo_ctx: tuple[tuple[Any, ...], float, QboContext] | None = None

    def after_connect(self) -> None:
        """Activation: remember the CrocoClick feed position now, so only later changes are pushed."""
        if self.ctx.store.cursor(EVENTS_CURSOR) is None:
            try:
                croco = self.ctx.croco_client()
                head = croco.events_head()
                self.ctx.store.set_cursor(EVENTS_CURSOR, str(head["cursor"]))
            except CrocoQBError:
                pass  # taken at the first sync instead

    def sync_once(self, progress: Progress | None = None, *, retry_now: bool = False,
                  intake: bool = True, stop: threading.Event | None = None, event_push: bool = False
                  ) -> SyncResult:
        """One cycle. `retry_now` (a sync the user asked for) also retries the records waiting for
        their next attempt instead of leaving them to their backoff. `intake=False`: the event feed is
        watched live by the long-poll, so this cycle does not read it again. `event_push`: a push right
        after new events (seconds count): the QuickBooks company settings read in the last minutes are
        reused, and QuickBooks' changes are left to the regular check."""
        settings, store = self.ctx.settings, self.ctx.store
        if retry_now:
            store.retry_pending_now()
            from crocoqb_desktop.sync import problems

            problems.recheck_due(store, min_age_s=0)  # records whose cause may be gone: now, not in a minute
        try:
            croco = self.ctx.croco_client()
            client = self.connection.client()
        except CrocoQBError as exc:
            store.log("ERROR", "system", message("sync.cannot_run", "Sync cannot run: {reason}", reason=exc.message_msg),
                      fix=exc.fix_msg)
            return SyncResult(exit_code=2, error=exc)
        qbo_ctx = self._qbo_context(client, reuse=event_push)
        options = SyncOptions(
            import_invoices=settings.get("sync.import_invoices"),
            review_automation=settings.get("sync.review_automation"),
            review_channel=settings.get("sync.review_channel"),
            payouts=settings.get("sync.payouts"),
            intake=intake,
            stop=stop,
            batch_size=settings.get("qbo.batch_size"),
            changes=not event_push,
        )
        try:
            return run_cycle(croco, qbo_ctx, store, options, lock_path=paths.data_dir() / "sync.lock",
                             progress=progress)
        except CrocoQBError as exc:
            return SyncResult(exit_code=2, error=exc)
        finally:
            croco.close()

    def _qbo_context(self, client: Any, *, reuse: bool) -> QboContext:
        """A new context reads the company's settings, accounts, tax codes and items again (several
        requests); a push after events reuses one younger than QBO_CONTEXT_TTL_S with the same settings."""
        settings = self.ctx.settings
        key = (id(client), settings.get("sync.deposit_account"), settings.get("sync.default_item"))
        cached = self._qbo_ctx
        if reuse and cached is not None and cached[0] == key and time.monotonic() - cached[1] < QBO_CONTEXT_TTL_S:
            return cached[2]
        qbo_ctx = QboContext(client, self.ctx.store, deposit_account=key[1], default_item=key[2])
        self._qbo_ctx = (key, time.monotonic(), qbo_ctx)
        return qbo_ctx

    def wait_for_events(self, wait_s: float) -> str | None:
        """The long-poll (rule 11): holds `GET /events?after=<cursor>&wait=N` until something is in the
        feed after the cursor or N seconds pass. Returns the cursor when there is something (or when no
        cursor exists yet: the next cycle takes the feed's head), None when the wait ran out."""
        after = self.ctx.store.cursor(EVENTS_CURSOR)
        if after is None:
            return ""
        if self._watch_client is None:  # kept between polls (one connection); its read timeout follows wait
            self._watch_client = self.ctx.croco_client(max_attempts=2)
        page = self._watch_client.list_events(after, limit=1, wait=int(wait_s))
        data = page.get("data")
        return after if data else None

    def close(self) -> None:
        if self._watch_client is not None:
            self._watch_client.close()
            self._watch_client = None

    def status(self) -> dict[str, Any]:
        from crocoqb_desktop.sync import problems

        store = self.ctx.store
        counts = store.outbox_counts()
        last_result = store.cursor("sync.last_result")
        return {
            "crococlick": self.ctx.croco_status(),
            "quickbooks": self.connection.status(),
            "sync": {
                "last_sync_at": store.cursor("sync.last_sync_at"),
                "last_exit_code": int(last_result) if last_result else None,
                "pending": counts["pending"],
                "failed": counts["parked"],
                "activated_at": store.cursor("qbo.activated_at"),
                "import_invoices": self.ctx.settings.get("sync.import_invoices"),
                "review_automation": self.ctx.settings.get("sync.review_automation"),
                "links": {kind: store.count_links(kind) for kind in ("customer", "invoice", "payment", "invoice_payment",
                                                                      "invoice_import")},
            },
            "problems": problems.count_open(store),  # records that need the user (crocoqb problems)
            "data_dir": str(paths.data_dir()),
            "log_file": str(paths.log_file()),
        }


__all__ = ["SyncService", "json"]
