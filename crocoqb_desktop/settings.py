"""Typed settings with defaults and validation, stored as JSON in the data folder.

Secrets never live here: they go through `keychain`. Every URL is a setting so that the app
works unchanged against the real services and against the embedded sandbox.
"""

from __future__ import annotations

import ipaddress
import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from crocoqb_desktop import paths
from crocoqb_desktop.errors import SettingsError
from crocoqb_desktop.messages import message

INTUIT_AUTH_URL = "https://appcenter.intuit.com/connect/oauth2"
INTUIT_TOKEN_URL = "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer"
INTUIT_REVOKE_URL = "https://developer.api.intuit.com/v2/oauth2/tokens/revoke"
INTUIT_API_PRODUCTION = "https://quickbooks.api.intuit.com"
INTUIT_API_SANDBOX = "https://sandbox-quickbooks.api.intuit.com"


def _parse_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in {"1", "true", "yes", "on", "oui", "vrai"}:
        return True
    if text in {"0", "false", "no", "off", "non", "faux"}:
        return False
    raise ValueError("expected true or false")


def _int_range(low: int, high: int) -> Callable[[Any], int]:
    def parse(raw: Any) -> int:
        if isinstance(raw, bool):
            raise ValueError("expected a whole number")
        value = int(str(raw).strip())
        if not low <= value <= high:
            raise ValueError(f"expected a whole number from {low} to {high}")
        return value

    return parse


def _choice(*options: str) -> Callable[[Any], str]:
    def parse(raw: Any) -> str:
        text = str(raw).strip()
        if text not in options:
            raise ValueError("expected one of: " + ", ".join(options))
        return text

    return parse


def _text(raw: Any) -> str:
    return str(raw).strip()


def is_loopback_host(host: str | None) -> bool:
    """"localhost" or a loopback IP address (127.0.0.0/8, ::1). A name that merely starts with "127."
    (127.0.0.1.evil.example) is not: it resolves wherever its owner wants."""
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _url(raw: Any) -> str:
    """An absolute URL; plain http is accepted only for loopback addresses (the sandbox)."""
    text = str(raw).strip().rstrip("/")
    if text == "":
        return ""
    parsed = urlparse(text)
    if parsed.scheme not in {"https", "http"} or not parsed.netloc:
        raise ValueError("expected an absolute https:// URL")
    if parsed.scheme == "http" and not is_loopback_host(parsed.hostname):
        raise ValueError("plain http is accepted only for 127.0.0.1 / localhost; use https://")
    return text


@dataclass(frozen=True)
class SettingSpec:
    key: str
    default: Any
    parse: Callable[[Any], Any]
    help: str


SPECS: dict[str, SettingSpec] = {
    spec.key: spec
    for spec in [
        SettingSpec("croco.api_base", "https://api.crococlick.example/v1", _url, "CrocoClick API root URL"),
        SettingSpec("croco.location_id", "", _text, "CrocoClick location id (X-Location-Id)"),
        SettingSpec("qbo.oauth", "relay", _choice("relay", "direct"), "relay (through CrocoClick) or direct"),
        SettingSpec("qbo.client_id", "", _text, "Intuit client id (direct mode only)"),
        SettingSpec("qbo.auth_url", INTUIT_AUTH_URL, _url, "Intuit authorization URL (direct mode)"),
        SettingSpec("qbo.token_url", INTUIT_TOKEN_URL, _url, "Intuit token URL (direct mode)"),
        SettingSpec("qbo.revoke_url", INTUIT_REVOKE_URL, _url, "Intuit revoke URL (direct mode)"),
        SettingSpec(
            "qbo.api_base", "", _url, "QuickBooks API root; empty = the one CrocoClick's oauth-config names"
        ),
        SettingSpec("qbo.redirect_uri", "", _url, "Redirect URI registered with Intuit (direct mode)"),
        SettingSpec("sync.import_invoices", False, _parse_bool, "import past QuickBooks invoices at activation"),
        SettingSpec("sync.review_automation", False, _parse_bool, "ask for a review on a first paid invoice"),
        SettingSpec("sync.review_channel", "email", _choice("email", "sms"), "channel of review requests"),
        SettingSpec("sync.push_interval_s", 60, _int_range(5, 86_400), "seconds between pushes to QuickBooks"),
        SettingSpec(
            "sync.poll_interval_s", 60, _int_range(5, 86_400),
            "seconds between QuickBooks change checks (one CDC request each; 60 = 1,440 a day of QuickBooks' "
            "500 a minute; 10 costs 8,640 a day and takes room from a backlog and from other apps)",
        ),
        SettingSpec("sync.deposit_account", "", _text, "QuickBooks deposit account (name or id); empty = Undeposited Funds"),
        SettingSpec("sync.default_item", "", _text, "QuickBooks item used when a line matches no item; empty = create"),
        SettingSpec(
            "sync.payouts", "off", _choice("off", "clearing"),
            "processor payments: off = gross sales receipts to the deposit account; clearing = through a clearing "
            "account per processor, fees as expenses, each payout one transfer to the bank (rule 14)",
        ),
        SettingSpec("qbo.requests_per_minute", 500, _int_range(1, 100_000), "QuickBooks requests per minute"),
        SettingSpec("qbo.requests_per_second", 10, _int_range(1, 100_000), "QuickBooks requests per second"),
        SettingSpec("qbo.batches_per_minute", 40, _int_range(1, 100_000), "QuickBooks batch requests per minute"),
        SettingSpec("qbo.throttle_wait_s", 60.0, lambda raw: _float_range(raw, 0.0, 3600.0), "wait after a 429"),
        SettingSpec(
            "qbo.rate_window_s", 60.0, lambda raw: _float_range(raw, 0.01, 3600.0),
            "seconds in the 'minute' of the two per-minute QuickBooks limits (60; shorter only against a "
            "time-compressed sandbox, e.g. 1 for 60x; the per-second limit is compressed the same way)",
        ),
        SettingSpec("qbo.batch_size", 30, _int_range(1, 30), "operations per QuickBooks batch request (backlogs)"),
        SettingSpec("croco.requests_per_10s", 100, _int_range(1, 100_000), "CrocoClick requests per 10 seconds"),
        SettingSpec("ui.language", "system", _choice("system", "en", "fr"), "interface language"),
        SettingSpec("ui.start_at_login", False, _parse_bool, "start CrocoQB when you log in"),
    ]
}


def _float_range(raw: Any, low: float, high: float) -> float:
    if isinstance(raw, bool):
        raise ValueError("expected a number")
    value = float(str(raw).strip())
    if not low <= value <= high:
        raise ValueError(f"expected a number from {low:g} to {high:g}")
    return value


class Settings:
    """Settings file access. Thread-safe; every `set` is written atomically."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or paths.settings_file()
        self._lock = threading.Lock()
        self._values: dict[str, Any] = self._load()

    def _load(self) -> dict[str, Any]:
        if not self.path.exists():
            return {}
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SettingsError(
                message("settings.unreadable", 'the settings file {path} cannot be read ({name})', path=str(self.path), name=exc.__class__.__name__),
                fix=message("settings.unreadable.fix", "Delete or fix that file; CrocoQB recreates it with the defaults."),
            ) from None
        values: dict[str, Any] = {}
        for key, value in raw.items() if isinstance(raw, dict) else []:
            spec = SPECS.get(key)
            if spec is None:
                continue  # a key from a newer/older version: ignore rather than refuse to start
            try:
                values[key] = spec.parse(value)
            except (TypeError, ValueError):
                continue
        return values

    @staticmethod
    def spec(key: str) -> SettingSpec:
        spec = SPECS.get(key)
        if spec is None:
            raise SettingsError(message("settings.unknown", "unknown setting '{key}'. Valid settings: {valid}", key=key, valid=', '.join(sorted(SPECS))))
        return spec

    def get(self, key: str) -> Any:
        spec = self.spec(key)
        with self._lock:
            return self._values.get(key, spec.default)

    def is_set(self, key: str) -> bool:
        self.spec(key)
        with self._lock:
            return key in self._values

    def set(self, key: str, raw: Any) -> Any:
        spec = self.spec(key)
        try:
            value = spec.parse(raw)
        except (TypeError, ValueError) as exc:
            raise SettingsError(message("settings.invalid_value", "'{raw}' is not a valid value for {key}: {exc}", raw=raw, key=key, exc=str(exc))) from None
        with self._lock:
            self._values[key] = value
            self._save()
        return value

    def unset(self, key: str) -> None:
        self.spec(key)
        with self._lock:
            self._values.pop(key, None)
            self._save()

    def as_dict(self) -> dict[str, Any]:
        with self._lock:
            return {key: self._values.get(key, spec.default) for key, spec in SPECS.items()}

    def _save(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._values, indent=2, sort_keys=True), encoding="utf-8")
        paths.make_user_only(tmp)
        os.replace(tmp, self.path)
