"""QuickBooks tokens: the refresh token in the keychain, the access token in memory.

- `access_token()` refreshes when there is none or it expires within 60 s. Refreshes are
  single-flight: threads asking at once wait for the one refresh in progress (Intuit answers
  `invalid_grant` to a second concurrent refresh with a rotated token). An optional lock file also
  serialises refreshes across processes (GUI and CLI).
- Intuit rotates refresh tokens: the new one is written to the keychain BEFORE the new access token
  is handed out, and the keychain is re-read before each refresh (another process may have rotated it).
- `invalid_grant` means the grant is gone (revoked, expired, rotated away): `ReconnectNeeded` is
  raised and `on_reconnect_needed(reason)` called once; the keychain entries are kept (nothing lost).
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from crocoqb_desktop import keychain
from crocoqb_desktop.errors import ProtocolError, ReconnectNeeded, Text
from crocoqb_desktop.messages import Message, message
from crocoqb_desktop.redaction import register_secret

log = logging.getLogger("crocoqb.qbo.tokens")

#: refresh when the access token has less than this left
EXPIRY_MARGIN_S = 60.0


class InvalidGrant(Exception):  # noqa: N818 - mirrors the OAuth error name
    """Raised by a refresher when the token endpoint answers `invalid_grant` (HTTP 400).

    `reason` is plain text for the user (no secret)."""

    def __init__(self, reason: Text) -> None:
        super().__init__(str(reason))
        self.reason = str(reason)
        #: the reason as data, for the log in the user's language
        self.reason_msg = reason


def reconnect_reason(error: str | None = None, description: str | None = None) -> Message:
    extra = " - ".join(x for x in (error, description) if x)
    if extra:
        return message("qbo.grant_lost.detail", "QuickBooks no longer accepts CrocoQB's authorization (it was "
                       "revoked, expired or replaced): {detail}", detail=extra)
    return message("qbo.grant_lost", "QuickBooks no longer accepts CrocoQB's authorization (it was revoked, "
                   "expired or replaced)")


class TokenManager:
    def __init__(
        self,
        refresher: Callable[[str], dict[str, Any]],
        *,
        on_reconnect_needed: Callable[[Text], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        lock_path: Path | None = None,
    ) -> None:
        self._refresher = refresher
        self._on_reconnect_needed = on_reconnect_needed
        self._clock = clock
        self._lock = threading.Lock()
        self._process_lock = _FileLock(lock_path) if lock_path else None
        # (access token, expires at on self._clock); replaced atomically, read without the lock
        self._current: tuple[str, float] | None = None
        self._refresh_token: str | None = None
        self._unsaved_refresh_token: str | None = None
        self._realm_id: str | None = None
        self._failed_refresh_token: str | None = None
        self._failed_reason: Text | None = None
        self.refresh_count = 0
        self.refresh_token_expires_in: int | None = None

    # -- grant ----------------------------------------------------------------------------------
    @property
    def realm_id(self) -> str | None:
        if self._realm_id is None:
            self._realm_id = keychain.get_secret(keychain.QBO_REALM_ID)
        return self._realm_id

    def has_grant(self) -> bool:
        return bool(keychain.get_secret(keychain.QBO_REFRESH_TOKEN) and keychain.get_secret(keychain.QBO_REALM_ID))

    def refresh_token(self) -> str | None:
        """The stored refresh token (for revoking it); None if there is none."""
        with self._lock:
            return self._refresh_token or keychain.get_secret(keychain.QBO_REFRESH_TOKEN)

    def save_grant(self, token_response: dict[str, Any], realm_id: str) -> None:
        """Store a new grant: refresh token and realm id in the keychain, access token in memory."""
        access, refresh, expires_in = _read_token_response(token_response)
        if not realm_id:
            raise ProtocolError(message("qbo.no_realm", "QuickBooks did not say which company was connected (no realmId)"))
        with self._lock:
            keychain.set_secret(keychain.QBO_REFRESH_TOKEN, refresh)
            keychain.set_secret(keychain.QBO_REALM_ID, str(realm_id))
            self._refresh_token = refresh
            self._unsaved_refresh_token = None
            self._realm_id = str(realm_id)
            self._failed_refresh_token = None
            self._failed_reason = None
            self._current = (access, self._clock() + expires_in)
            self.refresh_token_expires_in = _opt_int(token_response.get("x_refresh_token_expires_in"))

    def forget(self) -> None:
        """Remove the grant from the keychain and memory."""
        with self._lock:
            self._current = None
            self._refresh_token = None
            self._unsaved_refresh_token = None
            self._realm_id = None
            keychain.delete_secret(keychain.QBO_REFRESH_TOKEN)
            keychain.delete_secret(keychain.QBO_REALM_ID)

    # -- access token ---------------------------------------------------------------------------
    def access_token(self) -> str:
        current = self._current
        if current is not None and current[1] - self._clock() > EXPIRY_MARGIN_S:
            return current[0]
        with self._lock:
            current = self._current
            if current is not None and current[1] - self._clock() > EXPIRY_MARGIN_S:
                return current[0]  # another thread refreshed while this one waited
            return self._refresh_locked()

    def invalidate(self, token: str) -> None:
        """Forget `token` after QuickBooks answered 401 to it. Invalidating a token that was already
        replaced does nothing, so N threads failing with the same old token cause one refresh."""
        with self._lock:
            if self._current is not None and self._current[0] == token:
                self._current = None

    def _refresh_locked(self) -> str:
        with self._interprocess():
            stored = keychain.get_secret(keychain.QBO_REFRESH_TOKEN)
            if self._unsaved_refresh_token:  # the last rotation could not be written: try again first
                keychain.set_secret(keychain.QBO_REFRESH_TOKEN, self._unsaved_refresh_token)
                stored, self._unsaved_refresh_token = self._unsaved_refresh_token, None
            refresh = stored or self._refresh_token
            if not refresh:
                raise ReconnectNeeded(
                    message("qbo.no_authorization", "CrocoQB has no QuickBooks authorization on this computer"),
                    title=message("qbo.no_authorization.title", "QuickBooks is not connected"),
                    fix=message("qbo.no_authorization.fix", "Press Connect (or run `crocoqb connect`) and sign in to QuickBooks."),
                )
            if refresh == self._failed_refresh_token and self._failed_reason:
                raise ReconnectNeeded(self._failed_reason)
            try:
                response = self._refresher(refresh)
            except InvalidGrant as exc:
                return self._grant_lost(refresh, exc.reason_msg)
            except ReconnectNeeded as exc:
                return self._grant_lost(refresh, exc.message_msg)
            self.refresh_count += 1
            access, new_refresh, expires_in = _read_token_response(response)
            # rotation: persist the new refresh token before anything uses the new access token
            if new_refresh != stored:
                self._unsaved_refresh_token = new_refresh  # kept, should the keychain write fail
                keychain.set_secret(keychain.QBO_REFRESH_TOKEN, new_refresh)
                self._unsaved_refresh_token = None
            self._refresh_token = new_refresh
            self.refresh_token_expires_in = _opt_int(response.get("x_refresh_token_expires_in"))
            self._current = (access, self._clock() + expires_in)
            log.info("QuickBooks access token renewed (valid %d s)", int(expires_in))
            return access

    def _grant_lost(self, refresh: str, reason: Text) -> str:
        self._current = None
        self._failed_refresh_token = refresh
        self._failed_reason = reason
        log.warning("QuickBooks authorization lost: %s", reason)
        if self._on_reconnect_needed is not None:
            try:
                self._on_reconnect_needed(reason)
            except Exception:  # the flag is best effort; the error below still reaches the caller
                log.exception("could not record that QuickBooks needs reconnecting")
        raise ReconnectNeeded(reason)

    @contextmanager
    def _interprocess(self) -> Iterator[None]:
        if self._process_lock is None:
            yield
            return
        with self._process_lock:
            yield


def _opt_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _read_token_response(response: dict[str, Any]) -> tuple[str, str, float]:
    if not isinstance(response, dict):
        raise ProtocolError(message("qbo.token.not_token", "the token endpoint answered something that is not a token response"))
    access = response.get("access_token")
    refresh = response.get("refresh_token")
    if not isinstance(access, str) or not access or not isinstance(refresh, str) or not refresh:
        raise ProtocolError(message("qbo.token.incomplete", "the token endpoint's answer has no access or refresh token"))
    register_secret(access)
    register_secret(refresh)
    register_secret(response.get("id_token") if isinstance(response.get("id_token"), str) else None)
    try:
        expires_in = float(response.get("expires_in", 3600))
    except (TypeError, ValueError):
        expires_in = 3600.0
    return access, refresh, expires_in


class _FileLock:
    """An exclusive lock on a file, held across processes (fcntl on POSIX, msvcrt on Windows)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._thread_lock = threading.Lock()
        self._fd: int | None = None

    def __enter__(self) -> _FileLock:
        self._thread_lock.acquire()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            _lock_fd(fd)
            self._fd = fd
        except BaseException:
            self._thread_lock.release()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        fd, self._fd = self._fd, None
        try:
            if fd is not None:
                _unlock_fd(fd)
                os.close(fd)
        finally:
            self._thread_lock.release()


if sys.platform == "win32":  # pragma: no cover - exercised on Windows CI
    import msvcrt

    def _lock_fd(fd: int) -> None:
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                return
            except OSError:
                time.sleep(0.05)

    def _unlock_fd(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock_fd(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _unlock_fd(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
