"""Runs blocking work (network, disk, keychain) off the GUI thread and hands results back to it.

`TaskRunner.run(fn, on_done, on_error)` starts `fn` on a worker thread; when it ends, `on_done(result)`
or `on_error(exception)` is called on the GUI thread through a queued Qt signal. Short ordered jobs
(settings writes, log reads, status) share one "io" thread; long ones (sync, sign-in) get their own.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

from crocoqb_desktop import paths

log = logging.getLogger("crocoqb.gui.tasks")

Callback = Callable[[Any], None]


class _Bridge(QObject):
    """Lives on the GUI thread; `deliver` emitted from any thread runs the callable on the GUI thread."""

    deliver = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.deliver.connect(self._run, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _run(self, call: Callable[[], None]) -> None:
        try:
            call()
        except RuntimeError as exc:  # a callback into a widget already deleted (window closed)
            if "already deleted" not in str(exc):
                log.exception("GUI callback failed")
        except Exception:
            log.exception("GUI callback failed")


class TaskRunner(QObject):
    """`profile`: every task runs as that profile (rule 12), whichever profile the window shows."""

    def __init__(self, parent: QObject | None = None, *, profile: str | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self._bridge = _Bridge()
        self._active = 0
        self._io_active = 0
        self._lock = threading.Lock()
        self._closed = False
        self._io_queue: queue.SimpleQueue[tuple[Future, Callable[[], Any]] | None] = queue.SimpleQueue()
        self._io_thread = threading.Thread(target=self._io_loop, name="crocoqb-io", daemon=True)
        self._io_thread.start()

    @property
    def active(self) -> int:
        """Tasks started and not yet delivered (both kinds)."""
        with self._lock:
            return self._active

    @property
    def io_active(self) -> int:
        """Short io tasks queued or running and not yet delivered."""
        with self._lock:
            return self._io_active

    def call_in_gui(self, call: Callable[[], None]) -> None:
        """Run `call` on the GUI thread (from any thread)."""
        self._bridge.deliver.emit(call)

    def io(self, fn: Callable[[], Any], on_done: Callback | None = None, on_error: Callback | None = None) -> Future:
        """Short, ordered work on the shared io thread."""
        if self._closed:
            cancelled: Future = Future()
            cancelled.cancel()
            return cancelled
        future: Future = Future()
        self._begin(io=True)
        future.add_done_callback(lambda f: self._finish(f, on_done, on_error, io=True))
        self._io_queue.put((future, self._scoped(fn)))
        return future

    def _io_loop(self) -> None:
        while True:
            item = self._io_queue.get()
            if item is None:
                return
            future, fn = item
            _execute(future, fn)

    def run(self, fn: Callable[[], Any], on_done: Callback | None = None, on_error: Callback | None = None,
            name: str = "crocoqb-task") -> Future:
        """Long work on its own daemon thread (never holds up the app when it quits)."""
        future: Future = Future()
        self._begin()
        future.add_done_callback(lambda f: self._finish(f, on_done, on_error))
        threading.Thread(target=_execute, args=(future, self._scoped(fn)), name=name, daemon=True).start()
        return future

    def _scoped(self, fn: Callable[[], Any]) -> Callable[[], Any]:
        profile = self.profile
        if profile is None:
            return fn

        def run() -> Any:
            with paths.profile_scope(profile):
                return fn()

        return run

    def _begin(self, io: bool = False) -> None:
        with self._lock:
            self._active += 1
            self._io_active += int(io)

    def _finish(self, future: Future, on_done: Callback | None, on_error: Callback | None, io: bool = False) -> None:
        """Runs on the worker thread; the callback and the `active` count update run on the GUI thread."""
        if future.cancelled():
            self._end(io)
            return
        exc = future.exception()

        def deliver() -> None:
            try:
                if exc is not None:
                    if on_error is not None:
                        on_error(exc)
                    else:
                        log.error("background task failed: %s", exc.__class__.__name__, exc_info=exc)
                elif on_done is not None:
                    on_done(future.result())
            finally:
                self._end(io)

        self.call_in_gui(deliver)

    def _end(self, io: bool = False) -> None:
        with self._lock:
            self._active -= 1
            self._io_active -= int(io)

    def shutdown(self) -> None:
        self._closed = True
        self._io_queue.put(None)


def _execute(future: Future, fn: Callable[[], Any]) -> None:
    if not future.set_running_or_notify_cancel():
        return
    try:
        future.set_result(fn())
    except BaseException as exc:  # delivered to on_error
        future.set_exception(exc)
