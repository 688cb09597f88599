"""Builds the long-lived parts (settings, state store, clients) from the data folder and keychain."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from crocoqb_desktop.errors import NotConfiguredError
from crocoqb_desktop.logging_setup import configure_logging
from crocoqb_desktop.messages import message
from crocoqb_desktop.settings import Settings
from crocoqb_desktop.sync.store import StateStore

if TYPE_CHECKING:
    from crocoqb_desktop.croco.client import CrocoClient

# The keychain (keyring and its backends) and the CrocoClick client (requests) are imported where
# they are used: the app's window opens with an AppContext before either is needed.

log = logging.getLogger("crocoqb.app")


@dataclass
class AppContext:
    settings: Settings = field(default_factory=Settings)
    store: StateStore = field(default_factory=StateStore)

    @classmethod
    def open(cls) -> AppContext:
        configure_logging()
        return cls()

    def croco_client(self, **options: Any) -> CrocoClient:
        """`options` go to CrocoClient (the long-poll watcher asks for a read timeout above its wait)."""
        from crocoqb_desktop import keychain
        from crocoqb_desktop.croco.client import CrocoClient

        api_key = keychain.get_secret(keychain.CROCO_API_KEY)
        location = self.settings.get("croco.location_id")
        if not api_key or not location:
            raise NotConfiguredError(
                message("app.croco_missing", "CrocoClick is not connected yet"),
                title=message("app.croco_missing.title", "CrocoClick not connected"),
                fix=message("app.croco_missing.fix", "Run `crocoqb croco-login --location-id <LOCATION>` (or use the CrocoClick card in the app) "
                "with an API key from CrocoClick: Settings > Integrations > API keys."),
            )
        return CrocoClient(
            self.settings.get("croco.api_base"), api_key, location,
            requests_per_10s=self.settings.get("croco.requests_per_10s"), **options,
        )

    def croco_login(self, api_key: str, location_id: str) -> dict[str, Any]:
        """Checks the key with GET /me, then stores it in the keychain and the location in settings."""
        from crocoqb_desktop import keychain
        from crocoqb_desktop.croco.client import CrocoClient
        from crocoqb_desktop.croco.errors import CrocoAuthError, CrocoForbidden

        api_key = api_key.strip()
        location_id = location_id.strip()
        if not api_key:
            raise NotConfiguredError(message("app.no_api_key", "no API key was given"), title=message("app.no_api_key.title", "API key missing"),
                                     fix=message("app.no_api_key.fix", "Paste the API key from CrocoClick: Settings > Integrations > API keys."))
        client = CrocoClient(self.settings.get("croco.api_base"), api_key, location_id, max_attempts=3)
        try:
            me = client.me()
        except (CrocoAuthError, CrocoForbidden) as exc:
            if isinstance(exc, CrocoAuthError):
                exc.set_message(message("app.login_key_refused", "CrocoClick refused the API key (401). Check that "
                                        "it was copied whole and is still active."))
            else:
                exc.set_message(message("app.login_forbidden", "CrocoClick refused access to location "
                                        "'{location_id}' (403). Check the location id and the key's permissions.",
                                        location_id=location_id))
            raise
        finally:
            client.close()
        keychain.set_secret(keychain.CROCO_API_KEY, api_key)
        self.settings.set("croco.location_id", location_id)
        self.store.set_cursor("croco.me", _json(me))
        self.store.log("INFO", "system", message("app.croco_connected", 'Connected to CrocoClick location {location_name}', location_name=me.get('locationName', location_id)))
        return me

    def croco_status(self) -> dict[str, Any]:
        import json

        from crocoqb_desktop import keychain

        raw = self.store.cursor("croco.me")
        has_key = keychain.get_secret(keychain.CROCO_API_KEY) is not None
        me = json.loads(raw) if raw else {}
        return {
            "connected": bool(has_key and self.settings.get("croco.location_id")),
            "location_id": self.settings.get("croco.location_id") or None,
            "location_name": me.get("locationName") if has_key else None,
            "country": me.get("country") if has_key else None,
            "currency": me.get("currency") if has_key else None,
        }


def _json(value: Any) -> str:
    import json

    return json.dumps(value, default=str)
