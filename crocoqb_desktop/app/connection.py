"""The QuickBooks connection as the CLI and the GUI see it: connect, status, client, disconnect.

State kept (no secret anywhere but the keychain):
- keychain: the refresh token and the realm id (`TokenManager`);
- state DB cursors: `qbo.company_info`, `qbo.preferences` (JSON), `qbo.api_base`, `qbo.realm_id`,
  `qbo.activated_at` (first connection), and `qbo.reconnect_needed` (a plain reason) so that another
  process (`crocoqb status --json`) sees that the grant was lost.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crocoqb_desktop import keychain, paths
from crocoqb_desktop.errors import CrocoQBError, KeychainError, NotConfiguredError, ReconnectNeeded, Text
from crocoqb_desktop.messages import message
from crocoqb_desktop.qbo.client import QboClient
from crocoqb_desktop.qbo.oauth import (
    DirectOAuth,
    HttpRelayApi,
    LoopbackListener,
    OAuthMode,
    RelayApi,
    RelayOAuth,
    parse_pasted,
)
from crocoqb_desktop.qbo.tokens import TokenManager
from crocoqb_desktop.redaction import redact
from crocoqb_desktop.settings import INTUIT_API_PRODUCTION, Settings
from crocoqb_desktop.sync.store import StateStore, utc_now_iso

log = logging.getLogger("crocoqb.app.connection")

CURSOR_COMPANY_INFO = "qbo.company_info"
CURSOR_PREFERENCES = "qbo.preferences"
CURSOR_ACTIVATED_AT = "qbo.activated_at"
CURSOR_RECONNECT = "qbo.reconnect_needed"
CURSOR_API_BASE = "qbo.api_base"
CURSOR_REALM_ID = "qbo.realm_id"

_NOT_CONNECTED_FIX = message("app.qbo_not_connected.fix", "Press Connect (or run `crocoqb connect`) and sign in to QuickBooks.")


@dataclass
class PendingAuthorization:
    """An authorization in progress: show `url` (also as text), then call `QboConnection.complete`."""

    url: str
    state: str = field(repr=False)
    port: int
    redirect_uri: str
    mode: str
    listener: LoopbackListener = field(repr=False)
    flow: OAuthMode = field(repr=False)

    def cancel(self) -> None:
        self.listener.close()
        self.flow.close()


class QboConnection:
    def __init__(
        self,
        settings: Settings,
        store: StateStore,
        *,
        relay_api: RelayApi | None = None,
        lock_path: Path | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self._relay_api = relay_api
        self._lock_path = lock_path
        self._lock = threading.RLock()
        self._client: QboClient | None = None
        self._tokens: TokenManager | None = None
        #: after `disconnect()`: why the grant could not be revoked remotely (None if it was)
        self.last_disconnect_note: str | None = None

    # -- modes ------------------------------------------------------------------------------------
    def _relay(self) -> RelayApi:
        if self._relay_api is not None:
            return self._relay_api
        api_key = keychain.get_secret(keychain.CROCO_API_KEY)
        location = self.settings.get("croco.location_id")
        if not api_key or not location:
            raise NotConfiguredError(
                message("app.croco_not_connected", "QuickBooks is connected through CrocoClick, and CrocoClick is not connected yet"),
                title=message("app.croco_not_connected.title", "CrocoClick not connected"),
                fix=message("app.croco_not_connected.fix", "Run `crocoqb croco-login --location-id <LOCATION>` (or use the CrocoClick card in the app) "
                "first, then connect QuickBooks."),
            )
        return HttpRelayApi(self.settings.get("croco.api_base"), api_key, location)

    def _mode(self) -> OAuthMode:
        if self.settings.get("qbo.oauth") == "direct":
            return DirectOAuth(
                client_id=self.settings.get("qbo.client_id"),
                client_secret=keychain.get_secret(keychain.QBO_CLIENT_SECRET) or "",
                auth_url=self.settings.get("qbo.auth_url"),
                token_url=self.settings.get("qbo.token_url"),
                revoke_url=self.settings.get("qbo.revoke_url"),
                redirect_uri=self.settings.get("qbo.redirect_uri"),
                api_base=self.settings.get("qbo.api_base") or None,
            )
        return RelayOAuth(self._relay())

    def _refresh(self, refresh_token: str) -> dict[str, Any]:
        mode = self._mode()
        try:
            return mode.refresh(refresh_token)
        finally:
            mode.close()

    def _mark_reconnect_needed(self, reason: Text) -> None:
        self.store.set_cursor(CURSOR_RECONNECT, redact(str(reason)))
        self.store.log("ERROR", "system", message("app.reconnect_needed", "QuickBooks needs to be reconnected: {reason}",
                                                  reason=reason), fix=ReconnectNeeded.fix)

    def token_manager(self) -> TokenManager:
        with self._lock:
            if self._tokens is None:
                self._tokens = TokenManager(
                    self._refresh,
                    on_reconnect_needed=self._mark_reconnect_needed,
                    lock_path=self._lock_path or (paths.data_dir() / "qbo-token.lock"),
                )
            return self._tokens

    # -- connect ----------------------------------------------------------------------------------
    def begin_authorization(self) -> PendingAuthorization:
        """Starts the loopback listener and builds the authorization URL (open it in the browser and
        show it as text)."""
        flow = self._mode()
        port, path = flow.listener_address()
        listener = LoopbackListener(port=port, path=path)
        try:
            redirect_uri = flow.redirect_uri(listener.port)
            url = flow.authorization_url(listener.state, redirect_uri)
        except BaseException:
            listener.close()
            flow.close()
            raise
        log.info("QuickBooks authorization started (%s mode, listening on 127.0.0.1:%d)", flow.name, listener.port)
        return PendingAuthorization(url=url, state=listener.state, port=listener.port, redirect_uri=redirect_uri,
                                    mode=flow.name, listener=listener, flow=flow)

    def complete(self, pending: PendingAuthorization, *, timeout_s: float = 300, pasted: str | None = None
                 ) -> dict[str, Any]:
        """Waits for the browser's answer (or uses `pasted`), exchanges the code, stores the grant, reads
        the company's info and preferences once. Returns {"company_name", "realm_id"}."""
        try:
            if pasted is not None:
                result = parse_pasted(pasted, expected_state=pending.state)
            else:
                result = pending.listener.wait(timeout_s)
            result.raise_for_error()
            assert result.code is not None and result.realm_id is not None
            token_response = pending.flow.exchange_code(result.code, pending.redirect_uri)
            api_base = self.settings.get("qbo.api_base") or pending.flow.api_base() or INTUIT_API_PRODUCTION
        finally:
            pending.listener.close()
            pending.flow.close()
        realm_id = result.realm_id
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None
            tokens = self.token_manager()
            tokens.save_grant(token_response, realm_id)
            client = self._new_client(api_base, realm_id, tokens)
            self._client = client
        info = client.company_info()
        prefs = client.preferences()
        previous_realm = self.store.cursor(CURSOR_REALM_ID)
        company_name = str(info.get("CompanyName") or info.get("LegalName") or realm_id)
        with self.store.transaction():
            self.store.set_cursor(CURSOR_COMPANY_INFO, json.dumps(info, default=str))
            self.store.set_cursor(CURSOR_PREFERENCES, json.dumps(prefs, default=str))
            self.store.set_cursor(CURSOR_API_BASE, api_base)
            self.store.set_cursor(CURSOR_REALM_ID, realm_id)
            if self.store.cursor(CURSOR_ACTIVATED_AT) is None:
                self.store.set_cursor(CURSOR_ACTIVATED_AT, utc_now_iso())
            self.store.delete_cursor(CURSOR_RECONNECT)
        if previous_realm and previous_realm != realm_id:
            self.store.log(
                "WARNING", "system",
                message("app.other_company", 'Connected to another QuickBooks company ({company_name}, id {realm_id}) than before (id {previous_realm})', company_name=company_name, realm_id=realm_id, previous_realm=previous_realm),
                fix=message("app.other_company.fix", "If this is not intended, disconnect and connect the right company."),
            )
        self.store.log("INFO", "system", message("app.qbo_connected", 'Connected to QuickBooks company {company_name} (id {realm_id})', company_name=company_name, realm_id=realm_id))
        return {"company_name": company_name, "realm_id": realm_id}

    # -- use --------------------------------------------------------------------------------------
    def _new_client(self, api_base: str, realm_id: str, tokens: TokenManager) -> QboClient:
        return QboClient(
            api_base,
            realm_id,
            tokens,
            requests_per_minute=self.settings.get("qbo.requests_per_minute"),
            requests_per_second=self.settings.get("qbo.requests_per_second"),
            batches_per_minute=self.settings.get("qbo.batches_per_minute"),
            throttle_wait_s=self.settings.get("qbo.throttle_wait_s"),
            window_s=self.settings.get("qbo.rate_window_s"),
        )

    def client(self) -> QboClient:
        """The API client for the connected company (one per connection object, shared by threads)."""
        reason = self.store.cursor(CURSOR_RECONNECT)
        if reason:
            raise ReconnectNeeded(reason)
        with self._lock:
            if self._client is not None:
                return self._client
            tokens = self.token_manager()
            realm_id = tokens.realm_id
            if not realm_id or not tokens.has_grant():
                raise NotConfiguredError(message("app.qbo_not_connected", "QuickBooks is not connected yet"), title=message("app.qbo_not_connected.title", "QuickBooks not connected"),
                                         fix=_NOT_CONNECTED_FIX)
            api_base = self.settings.get("qbo.api_base") or self.store.cursor(CURSOR_API_BASE)
            if not api_base:  # connected by an older version: ask the mode (relay: CrocoClick's config)
                mode = self._mode()
                try:
                    api_base = mode.api_base() or INTUIT_API_PRODUCTION
                finally:
                    mode.close()
            self._client = self._new_client(api_base, realm_id, tokens)
            return self._client

    def status(self) -> dict[str, Any]:
        """{"state": "connected" | "reconnect_needed" | "not_connected", "company_name", "realm_id", "reason"}."""
        reason = self.store.cursor(CURSOR_RECONNECT)
        company_name = None
        raw = self.store.cursor(CURSOR_COMPANY_INFO)
        if raw:
            try:
                company_name = json.loads(raw).get("CompanyName")
            except (ValueError, AttributeError):
                company_name = None
        try:
            has_refresh = bool(keychain.get_secret(keychain.QBO_REFRESH_TOKEN))
            realm_id = keychain.get_secret(keychain.QBO_REALM_ID)
        except KeychainError as exc:
            return {"state": "not_connected", "company_name": company_name, "realm_id": None,
                    "reason": exc.message}
        if reason:
            return {"state": "reconnect_needed", "company_name": company_name,
                    "realm_id": realm_id or self.store.cursor(CURSOR_REALM_ID), "reason": reason}
        if has_refresh and realm_id:
            return {"state": "connected", "company_name": company_name, "realm_id": realm_id, "reason": None}
        return {"state": "not_connected", "company_name": None, "realm_id": None, "reason": None}

    def disconnect(self) -> None:
        """Revokes the grant (through CrocoClick or Intuit) and forgets it locally. Offline or refused:
        the grant is forgotten on this computer anyway and the log says how to finish in QuickBooks."""
        with self._lock:
            refresh = keychain.get_secret(keychain.QBO_REFRESH_TOKEN)
            note: Text | None = None
            if refresh:
                try:
                    mode = self._mode()
                    try:
                        mode.revoke(refresh)
                    finally:
                        mode.close()
                except CrocoQBError as exc:
                    note = exc.message_msg
                    log.warning("QuickBooks authorization could not be revoked: %s", exc.message)
            tokens = self.token_manager()
            tokens.forget()
            if self._client is not None:
                self._client.close()
                self._client = None
            with self.store.transaction():
                for name in (CURSOR_COMPANY_INFO, CURSOR_PREFERENCES, CURSOR_RECONNECT, CURSOR_API_BASE):
                    self.store.delete_cursor(name)
        if note:
            self.store.log(
                "WARNING", "system",
                message("app.disconnected_not_revoked", 'Disconnected from QuickBooks on this computer, but the authorization could not be revoked ({note})', note=note),
                fix=message("app.disconnected_not_revoked.fix", "To revoke it too, open QuickBooks: Settings > Apps (or Manage connections) > CrocoQB > "
                "Disconnect. Nothing else is needed."),
            )
        else:
            self.store.log("INFO", "system", message("app.disconnected", "Disconnected from QuickBooks"))
        self.last_disconnect_note = str(note) if note else None
