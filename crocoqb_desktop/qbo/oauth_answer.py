"""The authorization answer: the attempt's state, the callback result, and reading a pasted redirect."""

from __future__ import annotations

import hmac
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from crocoqb_desktop.errors import CrocoQBError
from crocoqb_desktop.messages import Message, message
from crocoqb_desktop.redaction import register_secret

SCOPE_ACCOUNTING = "com.intuit.quickbooks.accounting"
STATE_PREFIX = "cqb1"
CALLBACK_PATH = "/callback"
_STATE_RE = re.compile(r"^cqb1\.(\d{4,5})\.([A-Za-z0-9_-]{16,128})$")


class AuthorizationFailed(CrocoQBError):  # noqa: N818 - reads better at call sites
    title = message("oauth.authorization_failed.title", "QuickBooks was not connected")
    fix = message("oauth.authorization_failed.fix", "Press Connect again (or run `crocoqb connect`) and accept the access in QuickBooks.")


# -- state ----------------------------------------------------------------------------------------
def make_state(port: int) -> str:
    """`cqb1.<port>.<nonce>`: the port tells CrocoClick's return page where to hand the code back;
    the nonce (43 URL-safe characters, 256 bits) ties the answer to this attempt."""
    if not 1024 <= port <= 65535:
        raise ValueError("the loopback port must be 1024-65535")
    return f"{STATE_PREFIX}.{port}.{secrets.token_urlsafe(32)}"


def state_port(state: str) -> int | None:
    m = _STATE_RE.match(state or "")
    return int(m.group(1)) if m else None


def states_match(expected: str | None, got: str | None) -> bool:
    if not expected or not got:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), got.encode("utf-8"))


@dataclass(frozen=True)
class CallbackResult:
    """What came back from the authorization step (a callback or a paste)."""

    code: str | None
    realm_id: str | None
    state: str | None = None
    error: str | None = None
    error_description: str | None = None

    def raise_for_error(self) -> None:
        if self.error:
            raise AuthorizationFailed(error_text(self.error, self.error_description))
        if not self.code:
            raise AuthorizationFailed(message("oauth.no_code", "QuickBooks' answer did not contain an authorization code"))
        if not self.realm_id:
            raise AuthorizationFailed(
                message("oauth.no_realm", "QuickBooks' answer did not say which company was chosen (no realmId)"),
                fix=message("oauth.no_realm.fix", "Connect again, or paste the whole address of the page you landed on (it has realmId in it)."),
            )


def error_text(error: str, description: str | None) -> Message:
    if error == "access_denied":
        return message("oauth.access_denied", "the access was declined in QuickBooks")
    if description:
        return message("oauth.answered.detail", "QuickBooks answered '{error}': {description}", error=error,
                       description=description)
    return message("oauth.answered", "QuickBooks answered '{error}'", error=error)



def query_values(raw: str) -> dict[str, str]:
    """A query string as a dict, the last value winning when a key repeats; blank values are kept."""
    return {k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()}


def callback_from_query(query: Mapping[str, str], *, realm_id: str | None) -> CallbackResult:
    """The answer carried by a redirect's query (the code is registered as a secret first)."""
    register_secret(query.get("code"))
    return CallbackResult(
        code=query.get("code") or None,
        realm_id=realm_id or None,
        state=query.get("state"),
        error=query.get("error") or None,
        error_description=query.get("error_description") or None,
    )


# -- a pasted answer --------------------------------------------------------------------------------
_LABELLED_CODE = re.compile(r"(?i)\bcode\b[\s:=]{1,5}([A-Za-z0-9._~+/-]{6,})")
_LABELLED_REALM = re.compile(r"(?i)(?:\brealm\s*-?_?id|\bcompany\s*id)\b[^0-9\n]{0,20}\n?[^0-9\n]{0,5}(\d{3,})")


def parse_pasted(text: str, *, expected_state: str | None = None) -> CallbackResult:
    """A pasted redirect URL (`...?code=..&state=..&realmId=..`), a query string, labelled text
    (`Code: ...  Realm ID: ...`) or a bare `CODE REALMID` pair. A state, when present, must match."""
    text = (text or "").strip()
    if not text:
        raise AuthorizationFailed(message("oauth.nothing_pasted", "nothing was pasted"), fix=message("oauth.nothing_pasted.fix", "Paste the address of the page you landed on."))
    query: dict[str, str] | None = None
    raw: str | None = None
    if "://" in text:
        split = urlsplit(text)
        raw = split.query or split.fragment
    elif "?" in text:
        raw = text.split("?", 1)[1]
    elif "=" in text and not re.search(r"\s", text):
        raw = text
    if raw is not None:
        query = query_values(raw)
    if query is not None and ("code" in query or "error" in query):
        state = query.get("state")
        if state and expected_state and not states_match(expected_state, state):
            raise AuthorizationFailed(
                message("oauth.paste_other_attempt", "the pasted address belongs to another connection attempt"),
                fix=message("oauth.paste_other_attempt.fix", "Start the connection again and paste the address from that attempt."),
            )
        return callback_from_query(query, realm_id=query.get("realmId") or query.get("realm_id"))
    code_m = _LABELLED_CODE.search(text)
    realm_m = _LABELLED_REALM.search(text)
    if code_m:
        realm = realm_m.group(1) if realm_m else None
        register_secret(code_m.group(1))
        return CallbackResult(code=code_m.group(1), realm_id=realm)
    tokens = [t for t in re.split(r"[\s,;]+", text) if t]
    if len(tokens) == 2:
        digits = [t for t in tokens if t.isdigit()]
        if len(digits) == 1:
            code = tokens[0] if tokens[1] == digits[0] else tokens[1]
            register_secret(code)
            return CallbackResult(code=code, realm_id=digits[0])
    raise AuthorizationFailed(
        message("oauth.paste_unrecognised", "the pasted text is neither the address of the page QuickBooks sent you to nor a code and company id"),
        fix=message("oauth.paste_unrecognised.fix", "Paste the whole address (it contains code=, state= and realmId=), or the code then the company id "
        "separated by a space."),
    )

