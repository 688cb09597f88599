"""requests sessions with TLS verification always on and plain http refused except on loopback."""

from __future__ import annotations

from urllib.parse import urlparse

import requests
from requests.adapters import HTTPAdapter

from crocoqb_desktop import __version__
from crocoqb_desktop.errors import SettingsError
from crocoqb_desktop.messages import message
from crocoqb_desktop.settings import is_loopback_host

USER_AGENT = f"CrocoQB-Desktop/{__version__}"
DEFAULT_TIMEOUT = (10.0, 60.0)  # connect, read


class SafeSession(requests.Session):
    """A Session that refuses to turn TLS verification off or to send anything over plain http
    to a non-loopback host (where a token or key would travel in clear)."""

    def request(self, method, url, *args, **kwargs):  # type: ignore[override]
        check_url_allowed(url)
        kwargs["verify"] = True if kwargs.get("verify") is False else kwargs.get("verify", True)
        kwargs.setdefault("timeout", DEFAULT_TIMEOUT)
        return super().request(method, url, *args, **kwargs)

    def send(self, request, **kwargs):  # type: ignore[override]
        # every request goes through here, redirects included: an allowed address that redirects to
        # plain http elsewhere must not take the request (and its headers) there
        check_url_allowed(request.url)
        if kwargs.get("verify") is False:
            kwargs["verify"] = True
        return super().send(request, **kwargs)


def check_url_allowed(url: str) -> None:
    parsed = urlparse(url)
    if parsed.scheme == "https":
        return
    if parsed.scheme == "http" and is_loopback_host(parsed.hostname):
        return
    raise SettingsError(
        message("net.https_only", 'refusing to connect to {scheme}://{hostname}: only https is allowed (plain http only for 127.0.0.1)', scheme=parsed.scheme, hostname=parsed.hostname),
        fix=message("net.https_only.fix", "Use an https:// address in the settings."),
    )


def make_session(pool_size: int = 10) -> SafeSession:
    session = SafeSession()
    session.verify = True
    session.trust_env = True
    adapter = HTTPAdapter(pool_connections=pool_size, pool_maxsize=pool_size, max_retries=0)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    return session
