"""Concurrency for the sync jobs: independent records are written at the same time, so that the
services' rate limits (not the round-trip time of each request) bound a sync.

- `run_groups`: each group's items run one after the other, in order, in one worker; different groups
  run at once. Records that depend on each other (a contact's invoice and its payment, two customers
  with one email) go in one group. The first exception stops the start of new items and is raised
  again in the caller once the items already running have finished; the caller's thread gets every
  completion (for progress callbacks).
- `KeyedLocks`: one lock per key (an email, a contact id), for sections that must not run twice at
  once for the same key, created on demand and dropped when unused.
- `group_by`: groups in first-seen order, items in their order, from each item's keys (union of
  items sharing any key).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")

_ITEM_DONE = object()


def run_groups(groups: Sequence[Sequence[T]], run: Callable[[T], object], *, workers: int,
               on_item_done: Callable[[], None] | None = None, thread_name: str = "crocoqb-sync") -> None:
    """Runs `run(item)` for every item; see the module docstring."""
    workers = max(1, min(int(workers), len(groups)))
    if workers == 1:
        for group in groups:
            for item in group:
                run(item)
                if on_item_done:
                    on_item_done()
        return
    events: queue.SimpleQueue[object] = queue.SimpleQueue()
    stop = threading.Event()

    def run_group(group: Sequence[T]) -> None:
        outcome: object = None
        try:
            for item in group:
                if stop.is_set():
                    break
                run(item)
                events.put(_ITEM_DONE)
        except BaseException as exc:  # handed to the caller's thread
            stop.set()
            outcome = exc
        events.put(outcome)

    first_error: BaseException | None = None
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix=thread_name) as pool:
        try:
            for group in groups:
                pool.submit(run_group, group)
            finished = 0
            while finished < len(groups):
                event = events.get()
                if event is _ITEM_DONE:
                    if on_item_done and not stop.is_set():
                        on_item_done()
                    continue
                finished += 1
                if isinstance(event, BaseException) and first_error is None:
                    first_error = event
        finally:
            stop.set()  # also on KeyboardInterrupt in this thread: no new item starts
    if first_error is not None:
        raise first_error


def group_by(items: Iterable[T], keys: Callable[[T], Iterable[Hashable]]) -> list[list[T]]:
    """Items sharing a key (directly or through other items) form one group; order is kept."""
    parent: dict[int, int] = {}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    ordered = list(items)
    owner: dict[Hashable, int] = {}
    for index, item in enumerate(ordered):
        parent[index] = index
        for key in keys(item):
            if key in owner:
                a, b = find(owner[key]), find(index)
                if a != b:
                    parent[max(a, b)] = min(a, b)  # the root is the earliest item: groups keep their order
            else:
                owner[key] = index
    groups: dict[int, list[T]] = {}
    for index, item in enumerate(ordered):
        groups.setdefault(find(index), []).append(item)
    return [groups[root] for root in sorted(groups)]


class _Entry:
    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.users = 0


class KeyedLocks:
    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[Hashable, _Entry] = {}

    @contextmanager
    def hold(self, key: Hashable) -> Iterator[None]:
        with self._guard:
            entry = self._locks.setdefault(key, _Entry())
            entry.users += 1
        entry.lock.acquire()
        try:
            yield
        finally:
            entry.lock.release()
            with self._guard:
                entry.users -= 1
                if entry.users == 0:
                    del self._locks[key]


class Counter:
    """Thread-safe `+=` for the result dataclasses (`counter.add(result, "created")`)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def add(self, target: object, name: str, amount: int = 1) -> None:
        with self._lock:
            setattr(target, name, getattr(target, name) + amount)
