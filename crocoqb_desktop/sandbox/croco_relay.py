"""CrocoClick sandbox: the QuickBooks integration (tag QuickBooks): OAuth config, token relay, return page."""

from __future__ import annotations

import html
import json
from urllib.parse import urlencode

import requests

from crocoqb_desktop.sandbox.base import Request, Response
from crocoqb_desktop.sandbox.croco_common import (
    QBO_SCOPES,
    STATE_RE,
    _json_body,
    _Location,
)
from crocoqb_desktop.sandbox.croco_pipeline import CrocoPipeline
from crocoqb_desktop.sandbox.croco_validation import (
    bad_request,
)


class RelayMixin(CrocoPipeline):
    """OAuth parameters, the token relay to Intuit and the HTTPS return page stand-in."""

    @property
    def return_page_url(self) -> str:
        return f"{self.url}/oauth/quickbooks/return"

    def _h_oauth_config(self, request: Request, loc: _Location) -> Response:
        return Response.json(
            {
                "environment": self.qbo_environment,
                "clientId": self.qbo_client_id,
                "authorizationEndpoint": self.qbo_authorize_url,
                "redirectUri": self.return_page_url,
                "scopes": list(QBO_SCOPES),
                "apiBaseUrl": self.qbo_api_base,
            }
        )

    def _h_token(self, request: Request, loc: _Location) -> Response:
        no_store = {"Cache-Control": "no-store", "Pragma": "no-cache"}

        def oauth_error(error: str, description: str) -> Response:
            return Response.json({"error": error, "error_description": description}, 400, no_store)

        content_type = (request.header("content-type") or "").split(";")[0].strip().lower()
        if content_type != "application/x-www-form-urlencoded":
            return oauth_error("invalid_request", "the body must be application/x-www-form-urlencoded")
        form = request.form()
        grant = form.get("grant_type")
        if grant == "authorization_code":
            if not form.get("code") or not form.get("redirect_uri"):
                return oauth_error("invalid_request", "code and redirect_uri are required")
            if form["redirect_uri"] != self.return_page_url:
                return oauth_error("invalid_grant", "redirect_uri does not match the registered redirect URI")
            data = {"grant_type": grant, "code": form["code"], "redirect_uri": form["redirect_uri"]}
        elif grant == "refresh_token":
            if not form.get("refresh_token"):
                return oauth_error("invalid_request", "refresh_token is required")
            data = {"grant_type": grant, "refresh_token": form["refresh_token"]}
        elif not grant:
            return oauth_error("invalid_request", "grant_type is required")
        else:
            return oauth_error(
                "unsupported_grant_type", "grant_type must be authorization_code or refresh_token"
            )
        try:
            upstream = self._relay.post(
                self.qbo_token_url,
                data=data,
                auth=(self.qbo_client_id, self.qbo_client_secret),
                headers={"Accept": "application/json"},
                timeout=self.relay_timeout_s,
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            return self._relay_failed(request, exc.__class__.__name__)
        if upstream.status_code >= 500:
            return self._relay_failed(request, f"HTTP {upstream.status_code}")
        try:
            json.loads(upstream.content.decode("utf-8"))
        except ValueError:
            return self._relay_failed(request, "a response that is not JSON")
        return Response(
            upstream.status_code, upstream.content, {"Content-Type": "application/json", **no_store}
        )

    def _h_revoke(self, request: Request, loc: _Location) -> Response:
        body = _json_body(request)
        if not isinstance(body, dict) or not isinstance(body.get("token"), str) or not body["token"]:
            raise bad_request("token is required", "token", "required")
        try:
            upstream = self._relay.post(
                self.qbo_revoke_url,
                json={"token": body["token"]},
                auth=(self.qbo_client_id, self.qbo_client_secret),
                headers={"Accept": "application/json"},
                timeout=self.relay_timeout_s,
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            return self._relay_failed(request, exc.__class__.__name__)
        if upstream.status_code >= 300 and upstream.status_code != 400:
            return self._relay_failed(request, f"HTTP {upstream.status_code}")
        return Response(200, b"", {})

    def _relay_failed(self, request: Request, what: str) -> Response:
        return self._error(
            request,
            502,
            "internal",
            f"QuickBooks (Intuit) could not be reached or failed ({what}); retry later",
        )

    def _h_return_page(self, request: Request) -> Response:
        q = request.query
        state = q.get("state", "")
        m = STATE_RE.match(state)
        port = int(m.group(1)) if m else 0
        if m and 1024 <= port <= 65535 and (q.get("code") or q.get("error")):
            if q.get("error"):
                params = {"error": q["error"], "state": state}
            else:
                params = {"code": q["code"], "state": state}
                if q.get("realmId"):
                    params["realmId"] = q["realmId"]
            target = f"http://127.0.0.1:{port}/callback?{urlencode(params)}"
            response = Response.redirect(target)
            response.headers.update({"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})
            return response
        return _paste_page(q)


def _paste_page(query: dict[str, str]) -> Response:
    """The return page's fallback: code and realmId shown as text for the user to paste."""
    code, realm, error = query.get("code"), query.get("realmId"), query.get("error")
    esc = html.escape
    if error:
        body = (
            f"<h1>QuickBooks authorization failed</h1><p>QuickBooks answered: <code>{esc(error)}</code>.</p>"
            "<p>Go back to CrocoQB and try connecting again.</p>"
        )
        status = 200
    elif code:
        body = (
            "<h1>Almost done: copy these into CrocoQB</h1>"
            "<p>CrocoQB could not be reached automatically. Paste the values below into the app.</p>"
            f'<p>Authorization code:<br><input id="code" readonly size="60" value="{esc(code)}">'
            f"<br><code>{esc(code)}</code></p>"
            f'<p>Company ID (realmId):<br><input id="realmId" readonly size="30" value="{esc(realm or "")}">'
            f"<br><code>{esc(realm or '')}</code></p>"
            "<p>The code works once and expires in a few minutes.</p>"
        )
        status = 200
    else:
        body = "<h1>Nothing to do here</h1><p>This page receives the answer from QuickBooks sign-in.</p>"
        status = 400
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>CrocoClick - QuickBooks</title>'
        f"</head><body>{body}</body></html>"
    )
    return Response.text(
        page,
        status,
        "text/html; charset=utf-8",
        {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )
