"""Secrets in the OS keychain through `keyring`. Never a plaintext fallback.

Each profile has its own service (`profiles.keychain_service`: base "CrocoQB", a key of the data root,
the profile's id), so no profile or data folder reads another's secrets (design rule 12)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import keyring
import keyring.errors
from keyring.backends import fail

from crocoqb_desktop.errors import KeychainError
from crocoqb_desktop.messages import Message, message
from crocoqb_desktop.redaction import register_secret

CROCO_API_KEY = "croco.api_key"
QBO_REFRESH_TOKEN = "qbo.refresh_token"
QBO_REALM_ID = "qbo.realm_id"
QBO_CLIENT_SECRET = "qbo.client_secret"
# Kept in the keychain with the token it belongs to, but an id (shown in logs and status), not a secret.
NOT_SECRET = frozenset({QBO_REALM_ID})


# Windows Credential Manager caps a secret at 2,560 bytes (CRED_MAX_CREDENTIAL_BLOB_SIZE), and keyring
# writes it there as UTF-16: 1,280 characters of ASCII, not 2,560. The cap is checked on every OS, so a
# secret accepted on one computer is accepted on all.
MAX_SECRET_BYTES = 2_560
T = TypeVar("T")


def service_name() -> str:
    """The active profile's service. Its base is "CrocoQB"; the demo mode and the tests use their own
    base (CROCOQB_KEYRING_SERVICE) so they never touch a user's real secrets."""
    from crocoqb_desktop import paths, profiles

    return profiles.keychain_service(paths.data_root(), paths.active_profile())


def _backend() -> keyring.backend.KeyringBackend:
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        raise KeychainError(message("keychain.none", "no system keychain was found on this computer"))
    name = type(backend).__name__
    module = type(backend).__module__
    if module.startswith("keyrings.alt") or name in {"PlaintextKeyring", "EncryptedKeyring"}:
        raise KeychainError(message("keychain.plaintext", 'the keychain backend {name} stores secrets in a file, which CrocoQB refuses', name=name))
    return backend


def _with_retries(action: Message, call: Callable[[], T]) -> T:
    """Runs a keychain call; a transient backend error (e.g. Secret Service items replaced by
    another process between search and read) is retried a few times, then reported plainly."""
    for attempt in range(4):
        try:
            return call()
        except KeychainError:
            raise
        except keyring.errors.PasswordDeleteError:
            raise
        except Exception as exc:  # backends raise their own types (secretstorage, jeepney, OSError...)
            if attempt == 3:
                raise KeychainError(message("keychain.failed", 'the keychain could not be {action} ({name})', action=action, name=exc.__class__.__name__)) from None
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def get_secret(name: str, *, service: str | None = None) -> str | None:
    service = service or service_name()
    value = _with_retries(message("keychain.action.read", "read"), lambda: _backend().get_password(service, name))
    if name not in NOT_SECRET:
        register_secret(value)
    return value


def secret_size(value: str) -> int:
    """The bytes `value` takes in Windows Credential Manager (UTF-16-LE, as keyring stores it)."""
    return len(value.encode("utf-16-le", errors="surrogatepass"))


def set_secret(name: str, value: str, *, service: str | None = None) -> None:
    if secret_size(value) > MAX_SECRET_BYTES:
        raise KeychainError(message("keychain.too_long", 'the secret {name} is too long for the keychain ({length} characters)', name=name, length=len(value)))
    if name not in NOT_SECRET:
        register_secret(value)
    service = service or service_name()
    _with_retries(message("keychain.action.written", "written"), lambda: _backend().set_password(service, name, value))


def delete_secret(name: str, *, service: str | None = None) -> None:
    service = service or service_name()
    try:
        _with_retries(message("keychain.action.written", "written"), lambda: _backend().delete_password(service, name))
    except keyring.errors.PasswordDeleteError:
        pass
