"""The OAuth 2.0 endpoints of the QuickBooks sandbox (ref §1): consent page, tokens, revoke, discovery."""

from __future__ import annotations

from typing import Any

from .base import Request, Response, SandboxServer
from .qbo_data import Company
from .qbo_fault_answers import html_page
from .qbo_oauth import OAuthError, OAuthState, consent_page, error_page


class OAuthRoutes(SandboxServer):
    """Route handlers of Intuit OAuth, mixed into `QboSandbox` (which sets the attributes below)."""

    oauth: OAuthState
    companies: dict[str, Company]
    auto_consent: bool

    @property
    def authorize_url(self) -> str:
        return f"{self.url}/connect/oauth2"

    @property
    def token_url(self) -> str:
        return f"{self.url}/oauth2/v1/tokens/bearer"

    @property
    def revoke_url(self) -> str:
        return f"{self.url}/v2/oauth2/tokens/revoke"

    def _authorize(self, request: Request) -> Response:
        with self.lock:
            ticket, redirect_error, error_text = self.oauth.start_consent(request.query)
            if redirect_error:
                return Response.redirect(redirect_error)
            if ticket is None:
                return html_page(error_page(error_text), 400)
            realms = list(self.companies)
            if self.auto_consent and not realms:
                return html_page(error_page("No QuickBooks company is available."), 400)
            if self.auto_consent:
                url = self.oauth.finish_consent(ticket, True, realms[0] if realms else "", realms)
                assert url is not None
                return Response.redirect(url)
            consent = self.oauth.consents[ticket]
            companies = [
                (r, str(c.objects["CompanyInfo"]["1"].get("CompanyName", r)))
                for r, c in self.companies.items()
            ]
        return html_page(
            consent_page(
                f"{self.url}/connect/oauth2/consent", ticket, consent.client_id, consent.scope, companies
            )
        )

    def _consent(self, request: Request) -> Response:
        form = request.form()
        with self.lock:
            realms = list(self.companies)
            if not realms and form.get("action") == "accept":
                return html_page(error_page("No QuickBooks company is available."), 400)
            url = self.oauth.finish_consent(
                form.get("ticket", ""), form.get("action") == "accept", form.get("realmId", ""), realms
            )
        if url is None:
            return html_page(error_page("This sign-in request has expired. Start again from the app."), 400)
        return Response.redirect(url)

    def _oauth_json(self, body: dict[str, Any], status: int = 200) -> Response:
        return Response.json(body, status, {"Cache-Control": "no-store", "Pragma": "no-cache"})

    def _token(self, request: Request) -> Response:
        form = request.form()
        hard = (request.header("x-include-refresh-token-hard-expires-in") or "").lower() == "true"
        with self.lock:
            try:
                client = self.oauth.authenticate_client(request.headers, form)
                grant_type = form.get("grant_type")
                if grant_type == "authorization_code":
                    if not form.get("code"):
                        return self._oauth_json({"error": "invalid_request"}, 400)
                    return self._oauth_json(self.oauth.exchange_code(client, form, hard))
                if grant_type == "refresh_token":
                    if not form.get("refresh_token"):
                        return self._oauth_json({"error": "invalid_request"}, 400)
                    return self._oauth_json(self.oauth.refresh_grant(client, form, hard))
                return self._oauth_json({"error": "unsupported_grant_type"}, 400)
            except OAuthError as err:
                return self._oauth_json(err.body, err.status)

    def _revoke(self, request: Request) -> Response:
        with self.lock:
            try:
                self.oauth.authenticate_client(request.headers, {})
            except OAuthError as err:
                return self._oauth_json(err.body, err.status)
            token = None
            try:
                data = request.json()
                token = data.get("token") if isinstance(data, dict) else None
            except ValueError:
                token = request.form().get("token")
            if not token:
                return self._oauth_json({"error": "invalid_request"}, 400)
            self.oauth.revoke_token(str(token))
        return Response(200, b"", {})

    def _discovery(self, request: Request) -> Response:
        # oauth_discovery_sandbox.json with this server's URLs
        return Response.json(
            {
                "issuer": "https://oauth.platform.intuit.com/op/v1",
                "authorization_endpoint": self.authorize_url,
                "token_endpoint": self.token_url,
                "userinfo_endpoint": f"{self.url}/v1/openid_connect/userinfo",
                "revocation_endpoint": self.revoke_url,
                "jwks_uri": f"{self.url}/op/v1/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid", "email", "profile", "address", "phone"],
                "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
                "claims_supported": ["aud", "exp", "iat", "iss", "realmid", "sub"],
            }
        )
