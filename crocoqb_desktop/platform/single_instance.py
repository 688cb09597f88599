"""One app instance per user and data folder.

Who runs is decided by an OS file lock (`InstanceLock`: `flock` on POSIX, `msvcrt.locking` on
Windows), which the OS drops when the process ends, even by a crash: no stale state to clean up.
Showing the running instance's window goes through a QLocalServer: a second launch finds the lock
taken, connects, asks the first to show its window and exits. The lock is cheap; QtNetwork and the
server can wait until the first screen is drawn (`claim(listen=False)`, then `listen()`), which keeps
the start at login light. A socket file left behind by a crashed instance is removed before listening.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

SHOW_MESSAGE = b"show\n"
#: how long a second launch keeps trying to reach the first (which may not listen yet: it starts
#: listening once its window is drawn)
NOTIFY_PATIENCE_S = 5.0


def server_name(data_dir: str) -> str:
    """A per-user, per-data-folder name (so a demo world or a test home is its own instance)."""
    try:
        user = getpass.getuser()
    except Exception:  # no user name (some containers): the data folder is enough
        user = str(os.getuid()) if hasattr(os, "getuid") else "user"
    digest = hashlib.sha256(f"{user}\0{os.path.realpath(data_dir)}".encode()).hexdigest()[:16]
    return f"crocoqb-{digest}"


class InstanceLock:
    """An exclusive, non-blocking lock on a file, held until `release()` or the process ends.

    Two `InstanceLock`s on one path exclude each other even inside one process (flock and
    msvcrt locks belong to the open file, not to the process)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[bytes] | None = None

    @property
    def held(self) -> bool:
        return self._file is not None

    def acquire(self) -> bool:
        """True if this lock is now held; False if another holder has it. OSError: the file system
        cannot lock (the caller decides what to do)."""
        if self._file is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        handle = os.fdopen(fd, "r+b")
        try:
            locked = _lock(handle)
        except OSError:
            handle.close()
            raise
        if not locked:
            handle.close()
            return False
        self._file = handle
        return True

    def release(self) -> None:
        handle, self._file = self._file, None
        if handle is not None:
            try:
                _unlock(handle)
            finally:
                handle.close()


if sys.platform == "win32":
    import msvcrt

    def _lock(handle: IO[bytes]) -> bool:
        handle.seek(0)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except PermissionError:  # another handle holds the byte (EACCES)
            return False
        except OSError as exc:
            if exc.errno in (13, 36):  # EACCES, EDEADLOCK: held elsewhere
                return False
            raise
        return True

    def _unlock(handle: IO[bytes]) -> None:
        handle.seek(0)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        except OSError:
            pass
else:
    import fcntl

    def _lock(handle: IO[bytes]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


class SingleInstance(QObject):
    """`claim()` returns True for the first instance; `activation_requested` fires when another
    launch asks this one to show itself (once it `listen()`s)."""

    activation_requested = Signal()

    def __init__(self, name: str, parent: QObject | None = None, *, lock_dir: Path | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.lock = InstanceLock((lock_dir or Path(tempfile.gettempdir())) / f"{name}.lock")
        self._server: QLocalServer | None = None

    def notify_running(self, timeout_ms: int = 1000) -> bool:
        """If an instance is listening, ask it to show its window and return True."""
        from PySide6.QtNetwork import QLocalSocket

        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(timeout_ms):
            return False
        socket.write(SHOW_MESSAGE)
        socket.flush()
        socket.waitForBytesWritten(timeout_ms)
        socket.disconnectFromServer()
        return True

    def claim(self, *, listen: bool = True) -> bool:
        """Become the running instance unless another one holds the lock. With `listen=False` the
        activation server is started later by `listen()`."""
        try:
            first = self.lock.acquire()
        except OSError:  # a file system without locks: the socket alone decides, as best it can
            if self.notify_running():
                return False
            first = True
        if not first:
            deadline = time.monotonic() + NOTIFY_PATIENCE_S
            while not self.notify_running(timeout_ms=500) and time.monotonic() < deadline:
                time.sleep(0.1)  # the first instance is starting: it listens once its window is drawn
            return False
        if listen:
            self.listen()
        return True

    def listen(self) -> bool:
        """Start answering other launches. Only the lock holder calls it, so any socket file already
        there was left by a crashed instance."""
        if self._server is not None:
            return True
        from PySide6.QtNetwork import QLocalServer

        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            QLocalServer.removeServer(self.name)  # stale socket of a crashed instance
            if not server.listen(self.name):
                return False  # cannot listen (unusual file system): runs without activation
        server.newConnection.connect(self._on_connection)
        self._server = server
        return True

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None
        self.lock.release()

    def _on_connection(self) -> None:
        if self._server is None:
            return
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            socket.readyRead.connect(self._on_ready_read)
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._handle(socket)

    @Slot()
    def _on_ready_read(self) -> None:
        from PySide6.QtNetwork import QLocalSocket

        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._handle(socket)

    def _handle(self, socket: QLocalSocket) -> None:
        data = bytes(socket.readAll().data())
        if SHOW_MESSAGE.strip() in data:
            self.activation_requested.emit()
