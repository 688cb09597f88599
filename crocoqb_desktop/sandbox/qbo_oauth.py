"""Intuit OAuth 2.0 as the sandbox plays it (ref §1): consent page, code exchange, rotation, revoke.

Clock: `time.monotonic()` scaled by `time_scale` (a token TTL of 3600 s lasts 60 real seconds with
`time_scale=60`). Not thread-safe by itself: the server calls it under its lock.
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import secrets
import string
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

ACCOUNTING_SCOPE = "com.intuit.quickbooks.accounting"
KNOWN_SCOPES = {
    ACCOUNTING_SCOPE,
    "com.intuit.quickbooks.payment",
    "openid",
    "profile",
    "email",
    "phone",
    "address",
}  # ref §1.2
REFRESH_TOKEN_TTL_S = 8726400  # x_refresh_token_expires_in of the Ruby client docs, ≈ 101 days (ref §1.4)
REFRESH_HARD_TTL_S = 5 * 365 * 86400  # 5-year maximum validity (ref §1.4, RT-BLOG)
CODE_TTL_S = 600.0  # UNVERIFIED (Intuit authorization codes are short-lived)
_ALNUM = string.ascii_letters + string.digits


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@dataclass
class Client:
    client_id: str
    client_secret: str
    redirect_uris: list[str]


@dataclass
class Grant:
    grant_id: str
    client_id: str
    realm_id: str
    scope: str
    code: str | None = None
    revoked: bool = False
    created: float = 0.0


@dataclass
class AccessToken:
    grant: Grant
    expires_at: float
    handle: str  # public id quoted in 401 details instead of the token itself


@dataclass
class RefreshToken:
    grant: Grant
    expires_at: float
    superseded_at: float | None = None


@dataclass
class AuthCode:
    client_id: str
    redirect_uri: str
    realm_id: str
    scope: str
    expires_at: float
    used: bool = False
    grants: list[Grant] = field(default_factory=list)


@dataclass
class Consent:
    client_id: str
    redirect_uri: str
    scope: str
    state: str | None


class OAuthError(Exception):
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(body.get("error", "oauth_error"))
        self.status = status
        self.body = body


INVALID_GRANT = {"error": "invalid_grant"}  # oauth_error_invalid_grant.json
INVALID_REFRESH = {
    "error_description": "Incorrect or invalid refresh token",
    "error": "invalid_grant",
}  # oauth_error_invalid_grant_described.json


class OAuthState:
    def __init__(self, time_scale: float, access_token_ttl_s: int, refresh_grace_s: float) -> None:
        self.time_scale = time_scale
        self.access_token_ttl_s = access_token_ttl_s
        self.refresh_grace_s = refresh_grace_s
        self.clients: dict[str, Client] = {}
        self.codes: dict[str, AuthCode] = {}
        self.consents: dict[str, Consent] = {}
        self.access: dict[str, AccessToken] = {}
        self.refresh: dict[str, RefreshToken] = {}
        self.refresh_count = 0
        self.exchange_count = 0

    # clock -----------------------------------------------------------------------------------------
    def now(self) -> float:
        return time.monotonic()

    def after(self, seconds: float) -> float:
        return self.now() + seconds / self.time_scale

    # clients ---------------------------------------------------------------------------------------
    def register_client(self, client_id: str, client_secret: str, redirect_uris: list[str]) -> None:
        self.clients[client_id] = Client(client_id, client_secret, list(redirect_uris))

    def authenticate_client(self, headers: dict[str, str], form: dict[str, str]) -> Client:
        """HTTP Basic (client_secret_basic) or form fields (client_secret_post), ref §1.1 discovery."""
        client_id = secret = None
        auth = headers.get("authorization", "")
        if auth.lower().startswith("basic "):
            try:
                raw = base64.b64decode(auth[6:].strip(), validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                raise OAuthError(401, {"error": "invalid_client"}) from None
            client_id, _, secret = raw.partition(":")
        elif "client_id" in form:
            client_id, secret = form.get("client_id"), form.get("client_secret")
        client = self.clients.get(client_id or "")
        if client is None or not secret or not secrets.compare_digest(client.client_secret, secret):
            raise OAuthError(401, {"error": "invalid_client"})
        return client

    # tokens ----------------------------------------------------------------------------------------
    def _new_refresh(self) -> str:
        # like "AB11" + epoch + random, about 50 characters (oauth_token_response.json has 50)
        return "AB11" + str(int(time.time())) + "".join(secrets.choice(_ALNUM) for _ in range(36))

    def _new_access(self) -> str:
        # a JWE-looking string of about 1 KB (design-notes §2: "the access token (about 1 KB)")
        header = _b64url(json.dumps({"enc": "A128CBC-HS256", "alg": "dir"}).encode())
        return (
            f"{header}..{_b64url(secrets.token_bytes(16))}.{_b64url(secrets.token_bytes(720))}."
            f"{_b64url(secrets.token_bytes(16))}"
        )

    def _id_token(self, grant: Grant, client_id: str) -> str:
        now = int(time.time())
        header = _b64url(json.dumps({"kid": "sandbox", "alg": "RS256"}).encode())
        claims = {
            "sub": grant.grant_id,
            "aud": [client_id],
            "realmid": grant.realm_id,
            "auth_time": now,
            "iss": "https://oauth.platform.intuit.com/op/v1",
            "exp": now + 3600,
            "iat": now,
        }
        return f"{header}.{_b64url(json.dumps(claims).encode())}.{_b64url(secrets.token_bytes(128))}"

    def mint(self, grant: Grant, hard_expiry: bool = False) -> dict[str, Any]:
        """Access + refresh token for `grant`, shaped like oauth_token_response.json."""
        access = self._new_access()
        refresh = self._new_refresh()
        handle = "AB0" + str(int(time.time() * 1000)) + "".join(secrets.choice(_ALNUM) for _ in range(36))
        self.access[access] = AccessToken(grant, self.after(self.access_token_ttl_s), handle)
        self.refresh[refresh] = RefreshToken(grant, self.after(REFRESH_TOKEN_TTL_S))
        body: dict[str, Any] = {
            "token_type": "bearer",
            "expires_in": self.access_token_ttl_s,
            "refresh_token": refresh,
            "x_refresh_token_expires_in": REFRESH_TOKEN_TTL_S,
            "access_token": access,
        }
        if "openid" in grant.scope.split():
            body["id_token"] = self._id_token(grant, grant.client_id)
        if hard_expiry:
            remaining = REFRESH_HARD_TTL_S - int((self.now() - grant.created) * self.time_scale)
            body["x_refresh_token_hard_expires_in"] = max(remaining, 0)
        return body

    def new_grant(
        self, client_id: str, realm_id: str, scope: str = ACCOUNTING_SCOPE, code: str | None = None
    ) -> Grant:
        return Grant("g" + secrets.token_hex(8), client_id, realm_id, scope, code, created=self.now())

    def exchange_code(self, client: Client, form: dict[str, str], hard_expiry: bool) -> dict[str, Any]:
        self.exchange_count += 1
        code = self.codes.get(form.get("code", ""))
        if code is None or code.client_id != client.client_id or code.expires_at < self.now():
            raise OAuthError(400, INVALID_GRANT)
        if code.used:
            # reusing a code invalidates the tokens issued from it (ref §1.3, oauth-jsclient#173)
            for grant in code.grants:
                grant.revoked = True
            raise OAuthError(400, INVALID_GRANT)
        if form.get("redirect_uri", "") != code.redirect_uri:
            raise OAuthError(400, INVALID_GRANT)  # must equal the authorize one (ref §1.1)
        code.used = True
        grant = self.new_grant(client.client_id, code.realm_id, code.scope, form.get("code"))
        code.grants.append(grant)
        return self.mint(grant, hard_expiry)

    def refresh_grant(self, client: Client, form: dict[str, str], hard_expiry: bool) -> dict[str, Any]:
        self.refresh_count += 1
        token = self.refresh.get(form.get("refresh_token", ""))
        now = self.now()
        if token is None or token.grant.client_id != client.client_id or token.grant.revoked:
            raise OAuthError(400, INVALID_REFRESH)
        if token.expires_at < now:
            raise OAuthError(400, INVALID_REFRESH)
        if (
            token.superseded_at is not None
            and now - token.superseded_at >= self.refresh_grace_s / self.time_scale
        ):
            # rotated: the previous refresh token survives only a grace window (ref §1.4; 24 h in
            # production, `refresh_grace_s` here, default 0 so racing refreshes fail)
            raise OAuthError(400, INVALID_REFRESH)
        if token.superseded_at is None:
            token.superseded_at = now
        return self.mint(token.grant, hard_expiry)

    def revoke_token(self, value: str) -> None:
        """Revoking a refresh or access token ends the whole grant (the app is disconnected)."""
        grant = None
        if value in self.refresh:
            grant = self.refresh[value].grant
        elif value in self.access:
            grant = self.access[value].grant
        if grant is not None:
            grant.revoked = True

    def revoke_realm(self, realm_id: str) -> None:
        for tok in list(self.refresh.values()) + list(self.access.values()):
            if tok.grant.realm_id == realm_id:
                tok.grant.revoked = True

    def expire_access_tokens(self) -> None:
        past = self.now() - 1
        for tok in self.access.values():
            tok.expires_at = past

    def check_access(self, header: str | None) -> tuple[AccessToken | None, str]:
        """(token, '') when valid, else (token-or-None, detail for the 401 body)."""
        if not header or not header.lower().startswith("bearer "):
            return None, "Malformed bearer token: too short or too long"  # routablehq/python-quickbooks#250
        value = header[7:].strip()
        token = self.access.get(value)
        if token is None:
            return None, "Malformed bearer token: too short or too long" if len(
                value
            ) < 20 else "Token invalid"
        if token.grant.revoked:
            return token, f"Token revoked: {token.handle}"
        if token.expires_at < self.now():
            return token, f"Token expired: {token.handle}"  # fault_auth_401.json
        return token, ""

    # consent ---------------------------------------------------------------------------------------
    def start_consent(self, query: dict[str, str]) -> tuple[str | None, str | None, str]:
        """Validates an authorize request. Returns (ticket, redirect_error_url, error_text)."""
        client = self.clients.get(query.get("client_id", ""))
        if client is None:
            return None, None, "The client_id is not valid: this app is not registered with Intuit."
        redirect_uri = query.get("redirect_uri", "")
        if redirect_uri not in client.redirect_uris:
            # never redirect to an unregistered URI (ref §1.5)
            return (
                None,
                None,
                "The redirect_uri is not registered for this app (check the app's Keys & OAuth page).",
            )
        state = query.get("state")
        if query.get("response_type") != "code":
            return None, with_query(redirect_uri, {"error": "unsupported_response_type", "state": state}), ""
        scopes = query.get("scope", "").split()
        if not scopes or any(s not in KNOWN_SCOPES for s in scopes):
            return None, with_query(redirect_uri, {"error": "invalid_scope", "state": state}), ""
        ticket = secrets.token_urlsafe(16)
        self.consents[ticket] = Consent(client.client_id, redirect_uri, " ".join(scopes), state)
        return ticket, None, ""

    def finish_consent(self, ticket: str, accept: bool, realm_id: str, realms: list[str]) -> str | None:
        """The redirect URL after the user's choice, or None for an unknown ticket."""
        consent = self.consents.pop(ticket, None)
        if consent is None:
            return None
        if not accept:
            return with_query(consent.redirect_uri, {"error": "access_denied", "state": consent.state})
        if realm_id not in realms:
            realm_id = realms[0]
        code = "AB11" + str(int(time.time())) + secrets.token_urlsafe(24)
        self.codes[code] = AuthCode(
            consent.client_id, consent.redirect_uri, realm_id, consent.scope, self.now() + CODE_TTL_S
        )
        params: dict[str, str | None] = {"code": code, "state": consent.state}
        if (
            ACCOUNTING_SCOPE in consent.scope.split()
            or "com.intuit.quickbooks.payment" in consent.scope.split()
        ):
            params["realmId"] = realm_id  # ref §1.3
        return with_query(consent.redirect_uri, params)


def with_query(url: str, params: dict[str, str | None]) -> str:
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query += [(k, v) for k, v in params.items() if v is not None]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def consent_page(
    action: str, ticket: str, client_id: str, scope: str, companies: list[tuple[str, str]]
) -> str:
    """HTML consent form: a company chooser when several, Connect and Cancel buttons."""
    esc = html.escape
    if len(companies) > 1:
        options = "".join(f'<option value="{esc(r)}">{esc(n)} ({esc(r)})</option>' for r, n in companies)
        chooser = (
            f'<label for="realmId">Company</label> <select id="realmId" name="realmId">{options}</select>'
        )
    elif companies:
        realm, company = companies[0]
        chooser = (
            f'<p>Company: <strong>{esc(company)}</strong></p><input type="hidden" name="realmId" '
            f'value="{esc(realm)}">'
        )
    else:
        chooser = "<p>No QuickBooks company is available.</p>"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Intuit - Connect to QuickBooks (sandbox)</title></head>
<body>
<h1>Connect to QuickBooks</h1>
<p>The app <strong>{esc(client_id)}</strong> wants access to: {esc(scope)}</p>
<form method="post" action="{esc(action)}">
<input type="hidden" name="ticket" value="{esc(ticket)}">
{chooser}
<p><button type="submit" name="action" value="accept">Connect</button>
<button type="submit" name="action" value="cancel">Cancel</button></p>
</form>
</body></html>
"""


def error_page(text: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Intuit - Error</title></head>
<body><h1>Something went wrong</h1><p>{html.escape(text)}</p></body></html>
"""
