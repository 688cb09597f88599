"""Batch catch-up (design-notes rule 11): creates and queries of a backlog go through `POST /batch`.

`BatchingClient` stands in for the QboClient of the push engine during a catch-up. The engine's workers
call `create()` and `query()` as usual; each call waits while a few dispatcher threads send what is
queued, as one batch of up to `batch_size` operations when the batches-per-minute window has room and
enough is waiting, else as a single request. Within QuickBooks' limits together (500 requests/min,
batches included; 40 batches/min; 10 requests/s; 10 in flight: the QboClient enforces each), that is up to
40 x 30 operations a minute through batches plus the single requests left, instead of 500.

Exactly once, as without batches:
- each batch carries its own requestid, kept by the client across its retries of that request: a retry
  after a timeout is a replay, QuickBooks answers it without writing twice (a batch of creates only gets
  the one its creates' own requestids make; one with look-ups a fresh one, so no old answer is replayed);
- an uncertain outcome (the batch failed without an answer) reaches each operation's worker as the error
  it is; the record is retried later and, having been attempted, looks up its marker first (push_shared.find_own);
- a fault of one item is raised in that item's worker only, where the engine handles it as it handles
  the same fault of a single request (a duplicate name tries the next name, a validation error parks
  the record...); the other items' results stand.
Everything else (get, update, void, company settings) goes straight to the QboClient.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from crocoqb_desktop.errors import ProtocolError
from crocoqb_desktop.qbo.client import MAX_BATCH_ITEMS, QboClient
from crocoqb_desktop.sync.qbo_context import request_id_for

log = logging.getLogger("crocoqb.sync.batch")

#: a partial batch goes once its oldest operation has waited this long (seconds) and the batch window
#: has room; a full one goes at once
LINGER_S = 0.05


@dataclass
class _Op:
    kind: str  # "create" | "query"
    entity: str
    payload: Any  # the body of a create, the SQL text of a query
    request_id: str = ""
    queued_at: float = field(default_factory=time.monotonic)
    done: threading.Event = field(default_factory=threading.Event)
    result: Any = None
    error: BaseException | None = None

    def item(self, bid: str) -> dict[str, Any]:
        if self.kind == "query":
            return {"bId": bid, "Query": self.payload}
        return {"bId": bid, "operation": "create", self.entity: self.payload}


class BatchingClient:
    """See the module docstring. `max_concurrency` is how many workers the push engine should run so
    that full batches form (several batch sizes); the QboClient still caps the requests in flight."""

    def __init__(self, client: QboClient, batch_size: int, *, linger_s: float = LINGER_S) -> None:
        self._client = client
        self.realm_id = client.realm_id
        self.batch_size = max(1, min(int(batch_size), MAX_BATCH_ITEMS))
        self.linger_s = linger_s
        self.max_concurrency = max(client.max_concurrency, 3 * self.batch_size)
        self._queue: deque[_Op] = deque()
        self._cond = threading.Condition()
        self._closed = False
        self.stats = {"batches": 0, "batched_ops": 0, "single_ops": 0}
        self._threads = [threading.Thread(target=self._dispatch, name=f"crocoqb-batch-{n}", daemon=True)
                         for n in range(max(1, client.max_concurrency))]
        for thread in self._threads:
            thread.start()

    def __getattr__(self, name: str) -> Any:  # everything not batched: the QboClient itself
        return getattr(self._client, name)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        for thread in self._threads:
            thread.join(60)

    # -- the calls the push engine makes ------------------------------------------------------------
    def create(self, entity: str, body: dict[str, Any], *, request_id: str) -> dict[str, Any]:
        result = self._submit(_Op("create", entity, body, request_id))
        value = result.get(entity)
        if not isinstance(value, dict):
            raise ProtocolError(f"QuickBooks' answer has no {entity}")
        return value

    def query(self, sql: str) -> dict[str, Any]:
        result = self._submit(_Op("query", "", sql))
        response = result.get("QueryResponse")
        if not isinstance(response, dict):
            raise ProtocolError("QuickBooks' answer to a query has no QueryResponse")
        return response

    def query_all(self, entity: str, where: list[str] | None = None, *, page_size: int = 1000,
                  order_by: str | None = None) -> Iterator[dict[str, Any]]:
        return QboClient.query_all(self, entity, where, page_size=page_size, order_by=order_by)  # type: ignore[arg-type]

    def count(self, entity: str, where: list[str] | None = None) -> int:
        return QboClient.count(self, entity, where)  # type: ignore[arg-type]

    def _submit(self, op: _Op) -> dict[str, Any]:
        with self._cond:
            if self._closed:
                raise RuntimeError("the batching client is closed")
            self._queue.append(op)
            self._cond.notify()
        op.done.wait()
        if op.error is not None:
            raise op.error
        return op.result  # type: ignore[no-any-return]

    # -- dispatchers ------------------------------------------------------------------------------
    def _take(self) -> list[_Op] | None:
        """The next request's operations: a full batch when the batch window has room; a partial one
        when the oldest has lingered; else one operation sent alone."""
        with self._cond:
            while True:
                if not self._queue:
                    if self._closed:
                        return None
                    self._cond.wait()
                    continue
                waiting = len(self._queue)
                lingered = time.monotonic() - self._queue[0].queued_at >= self.linger_s
                if waiting >= 2 and (waiting >= self.batch_size or lingered) and self._client.batch_room():
                    return [self._queue.popleft() for _ in range(min(self.batch_size, waiting))]
                if lingered or waiting >= self.batch_size or not self._client.batch_room():
                    return [self._queue.popleft()]
                self._cond.wait(self.linger_s)

    def _dispatch(self) -> None:
        while True:
            ops = self._take()
            if ops is None:
                return
            if len(ops) == 1:
                self._send_single(ops[0])
            else:
                self._send_batch(ops)

    def _send_single(self, op: _Op) -> None:
        self.stats["single_ops"] += 1
        try:
            if op.kind == "query":
                op.result = {"QueryResponse": self._client.query(op.payload)}
            else:
                op.result = {op.entity: self._client.create(op.entity, op.payload, request_id=op.request_id)}
        except BaseException as exc:  # handed to the waiting worker
            op.error = exc
        op.done.set()

    def _send_batch(self, ops: list[_Op]) -> None:
        self.stats["batches"] += 1
        self.stats["batched_ops"] += len(ops)
        # the same creates always make the same requestid: a retried batch is a replay. A batch with
        # look-ups gets a fresh one: replaying an old answer to a look-up (made before an uncertain create)
        # would hide what that create wrote. The client keeps it across its own retries of this request.
        parts = sorted(op.request_id for op in ops if op.kind == "create")
        if any(op.kind == "query" for op in ops):
            parts.append(uuid.uuid4().hex)
        request_id = request_id_for("batch", *parts)
        try:
            answers = self._client.batch([op.item(str(n)) for n, op in enumerate(ops)], request_id=request_id)
        except BaseException as exc:  # the whole batch failed (uncertain for its writes): each worker sees it
            for op in ops:
                op.error = exc
                op.done.set()
            return
        by_bid = {str(answer.get("bId")): answer for answer in answers}
        for n, op in enumerate(ops):
            answer = by_bid.get(str(n))
            if answer is None:
                op.error = ProtocolError("QuickBooks' batch answer lacks one of its items")
            elif answer.get("fault") is not None:
                op.error = answer["fault"]
            else:
                op.result = answer
            op.done.set()
