"""One app instance per user and data folder, through a QLocalServer.

The first instance listens on a local socket; a second launch connects, asks it to show its window
and exits. A socket left behind by a crashed instance is removed and taken over.
"""

from __future__ import annotations

import getpass
import hashlib
import os

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket

SHOW_MESSAGE = b"show\n"


def server_name(data_dir: str) -> str:
    """A per-user, per-data-folder name (so a demo world or a test home is its own instance)."""
    try:
        user = getpass.getuser()
    except Exception:  # no user name (some containers): the data folder is enough
        user = str(os.getuid()) if hasattr(os, "getuid") else "user"
    digest = hashlib.sha256(f"{user}\0{os.path.realpath(data_dir)}".encode()).hexdigest()[:16]
    return f"crocoqb-{digest}"


class SingleInstance(QObject):
    """`claim()` returns True for the first instance; `activation_requested` fires when another
    launch asks this one to show itself."""

    activation_requested = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._server: QLocalServer | None = None

    def notify_running(self, timeout_ms: int = 1000) -> bool:
        """If an instance is running, ask it to show its window and return True."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(timeout_ms):
            return False
        socket.write(SHOW_MESSAGE)
        socket.flush()
        socket.waitForBytesWritten(timeout_ms)
        socket.disconnectFromServer()
        return True

    def claim(self) -> bool:
        """Become the running instance unless one answers already."""
        if self.notify_running():
            return False
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            QLocalServer.removeServer(self.name)  # stale socket of a crashed instance
            if not server.listen(self.name):
                return True  # cannot listen (unusual file system): run without the guard
        server.newConnection.connect(self._on_connection)
        self._server = server
        return True

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None

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
        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._handle(socket)

    def _handle(self, socket: QLocalSocket) -> None:
        data = bytes(socket.readAll().data())
        if SHOW_MESSAGE.strip() in data:
            self.activation_requested.emit()
