"""Intuit OAuth 2.0 for a desktop app, in the two modes of design-notes section 2.

Relay mode (default): CrocoClick is the registered Intuit app. The app reads
`GET /integrations/quickbooks/oauth-config`, opens the system browser at the authorization URL with
`state = cqb1.<port>.<nonce>`, and listens on 127.0.0.1:<port>. Intuit redirects to CrocoClick's HTTPS
return page, which hands the code to `http://127.0.0.1:<port>/callback`. The code is exchanged, and
tokens refreshed and revoked, through CrocoClick's token relay (authenticated with the CrocoClick key).

Direct mode: the company's own Intuit keys (client id in settings, secret in the keychain); Intuit's
endpoints with HTTP Basic client authentication; the redirect URI is usually
`http://localhost:<port>/callback` (accepted by Intuit for sandbox keys).

Both modes always expose the URL as text and accept a pasted redirect URL, or a bare code and company
id, when the browser hand-off cannot happen.
"""

from __future__ import annotations

from crocoqb_desktop.qbo.oauth_answer import (
    CALLBACK_PATH,
    SCOPE_ACCOUNTING,
    STATE_PREFIX,
    AuthorizationFailed,
    CallbackResult,
    make_state,
    parse_pasted,
    state_port,
    states_match,
)
from crocoqb_desktop.qbo.oauth_direct import DirectOAuth
from crocoqb_desktop.qbo.oauth_listener import LoopbackListener, render_page
from crocoqb_desktop.qbo.oauth_mode import RELAY_TIMEOUT, OAuthMode, interpret_token_answer
from crocoqb_desktop.qbo.oauth_relay import HttpRelayApi, RelayApi, RelayOAuth

__all__ = [
    "CALLBACK_PATH",
    "RELAY_TIMEOUT",
    "SCOPE_ACCOUNTING",
    "STATE_PREFIX",
    "AuthorizationFailed",
    "CallbackResult",
    "DirectOAuth",
    "HttpRelayApi",
    "LoopbackListener",
    "OAuthMode",
    "RelayApi",
    "RelayOAuth",
    "interpret_token_answer",
    "make_state",
    "parse_pasted",
    "render_page",
    "state_port",
    "states_match",
]
