"""Secrets in the OS keychain through `keyring` (service "CrocoQB"). Never a plaintext fallback."""

from __future__ import annotations

import os

import keyring
import keyring.errors
from keyring.backends import fail

from crocoqb_desktop import KEYRING_SERVICE
from crocoqb_desktop.errors import KeychainError
from crocoqb_desktop.redaction import register_secret

CROCO_API_KEY = "croco.api_key"
QBO_REFRESH_TOKEN = "qbo.refresh_token"
QBO_REALM_ID = "qbo.realm_id"
QBO_CLIENT_SECRET = "qbo.client_secret"


# Windows Credential Manager caps a secret at 2,560 bytes.
MAX_SECRET_BYTES = 2_560


def service_name() -> str:
    """"CrocoQB"; the demo mode and the tests use their own service (CROCOQB_KEYRING_SERVICE) so
    they never touch a user's real secrets."""
    return os.environ.get("CROCOQB_KEYRING_SERVICE") or KEYRING_SERVICE


def _backend() -> keyring.backend.KeyringBackend:
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        raise KeychainError("no system keychain was found on this computer")
    name = type(backend).__name__
    module = type(backend).__module__
    if module.startswith("keyrings.alt") or name in {"PlaintextKeyring", "EncryptedKeyring"}:
        raise KeychainError(f"the keychain backend {name} stores secrets in a file, which CrocoQB refuses")
    return backend


def get_secret(name: str) -> str | None:
    try:
        value = _backend().get_password(service_name(), name)
    except keyring.errors.KeyringError as exc:
        raise KeychainError(f"the keychain could not be read ({exc.__class__.__name__})") from None
    register_secret(value)
    return value


def set_secret(name: str, value: str) -> None:
    if len(value.encode("utf-8")) > MAX_SECRET_BYTES:
        raise KeychainError(f"the secret {name} is too long for the keychain ({len(value)} characters)")
    register_secret(value)
    try:
        _backend().set_password(service_name(), name, value)
    except keyring.errors.KeyringError as exc:
        raise KeychainError(f"the keychain could not be written ({exc.__class__.__name__})") from None


def delete_secret(name: str) -> None:
    try:
        _backend().delete_password(service_name(), name)
    except keyring.errors.PasswordDeleteError:
        pass
    except keyring.errors.KeyringError as exc:
        raise KeychainError(f"the keychain could not be written ({exc.__class__.__name__})") from None
