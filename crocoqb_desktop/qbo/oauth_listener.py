"""The loopback listener that receives the browser's authorization answer, and the page it shows."""

from __future__ import annotations

import html
import logging
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from crocoqb_desktop.messages import message
from crocoqb_desktop.qbo.oauth_answer import (
    CALLBACK_PATH,
    AuthorizationFailed,
    CallbackResult,
    callback_from_query,
    error_text,
    make_state,
    query_values,
    states_match,
)
from crocoqb_desktop.redaction import register_secret

log = logging.getLogger("crocoqb.qbo.oauth")


# -- the browser hand-off ----------------------------------------------------------------------------
_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>CrocoQB</title>
<style>body{{font-family:system-ui,sans-serif;margin:3em auto;max-width:34em;padding:0 1em;color:#222}}
h1{{font-size:1.4em}} .ok{{color:#17803d}} .err{{color:#b42318}} hr{{border:0;border-top:1px solid #ddd;margin:2em 0}}</style>
</head><body>
{blocks}
</body></html>
"""

_TEXTS = {
    "ok": {
        "en": ("CrocoQB is connected to QuickBooks", "You can close this tab and go back to CrocoQB."),
        "fr": ("CrocoQB est connecté à QuickBooks", "Vous pouvez fermer cet onglet et revenir à CrocoQB."),
    },
    "error": {
        "en": ("QuickBooks was not connected", "Go back to CrocoQB and try again."),
        "fr": ("QuickBooks n’a pas été connecté", "Revenez à CrocoQB et réessayez."),
    },
    "wrong_state": {
        "en": ("This sign-in does not belong to this CrocoQB window",
               "Start the connection again from CrocoQB and use the new page it opens."),
        "fr": ("Cette connexion ne correspond pas à cette fenêtre de CrocoQB",
               "Relancez la connexion depuis CrocoQB et utilisez la nouvelle page qu’il ouvre."),
    },
    "used": {
        "en": ("This sign-in was already used", "You can close this tab."),
        "fr": ("Cette connexion a déjà été utilisée", "Vous pouvez fermer cet onglet."),
    },
}

_REASONS_FR = {"access_denied": "l’accès a été refusé dans QuickBooks"}


def render_page(kind: str, *, error: str | None = None, description: str | None = None,
                accept_language: str | None = None) -> str:
    """The short bilingual page shown in the browser (English and French; preferred language first)."""
    langs = ["en", "fr"]
    if accept_language and accept_language.strip().lower().startswith("fr"):
        langs.reverse()
    css = "ok" if kind == "ok" else "err"
    blocks = []
    for lang in langs:
        title, body = _TEXTS[kind][lang]
        detail = ""
        if error:
            reason = _REASONS_FR.get(error) if lang == "fr" else None
            reason = reason or str(error_text(error, description))
            detail = f"<p>{html.escape(reason)}</p>"
        blocks.append(
            f'<section lang="{lang}"><h1 class="{css}">{html.escape(title)}</h1>{detail}'
            f"<p>{html.escape(body)}</p></section>"
        )
    return _PAGE.format(blocks="\n<hr>\n".join(blocks))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = os.name != "nt"  # on Windows SO_REUSEADDR would let another program share the port


class LoopbackListener:
    """Receives the one authorization answer on http://127.0.0.1:<port><path>.

    Binds 127.0.0.1 only (never all interfaces), on an ephemeral port unless one is given; single
    use: the first answer carrying the exact `state` ends it; answers with another state get an error
    page and are ignored; other paths get 404.
    """

    def __init__(self, *, port: int = 0, path: str = CALLBACK_PATH, state: str | None = None) -> None:
        listener = self
        self.path = path
        self._result: CallbackResult | None = None
        self._done = threading.Event()
        self._answer_lock = threading.Lock()
        self._closed = False

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # the URL carries the code
                return

            def do_GET(self) -> None:  # noqa: N802
                listener._handle(self)

            def do_HEAD(self) -> None:  # noqa: N802
                self._reply(405, "")

            def do_POST(self) -> None:  # noqa: N802
                self._reply(405, "")

            def _reply(self, status: int, body: str) -> None:
                listener._send(self, status, body)

        try:
            self._server = _Server(("127.0.0.1", port), Handler)
        except OSError as exc:
            raise AuthorizationFailed(
                message("oauth.cannot_listen", "CrocoQB could not listen on 127.0.0.1 port {port} for QuickBooks' answer ({strerror})", port=str(port or 'any'), strerror=exc.strerror or exc.__class__.__name__),
                fix=message("oauth.cannot_listen.fix", "Close the program using that port, or change qbo.redirect_uri, then connect again."),
            ) from None
        self.port: int = int(self._server.server_address[1])
        self.state = state or make_state(self.port)
        register_secret(self.state)
        self._thread = threading.Thread(target=self._serve, name="qbo-oauth-listener", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        try:
            self._server.serve_forever(poll_interval=0.1)
        except Exception:  # pragma: no cover - the socket was closed under us
            pass

    @property
    def redirect_target(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path}"

    def _send(self, handler: BaseHTTPRequestHandler, status: int, body: str) -> None:
        data = body.encode("utf-8")
        handler.send_response(status)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        handler.send_header("Cache-Control", "no-store")
        handler.send_header("Referrer-Policy", "no-referrer")
        handler.send_header("X-Content-Type-Options", "nosniff")
        handler.send_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
        handler.send_header("Connection", "close")
        handler.end_headers()
        if handler.command != "HEAD" and data:
            handler.wfile.write(data)
        handler.close_connection = True

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        split = urlsplit(handler.path)
        lang = handler.headers.get("Accept-Language")
        if split.path != self.path:
            self._send(handler, 404, "")
            return
        query = query_values(split.query)
        with self._answer_lock:  # two answers at once: only the first one counts
            if self._done.is_set():
                self._send(handler, 410, render_page("used", accept_language=lang))
                return
            if not states_match(self.state, query.get("state")):
                log.warning("ignored an authorization answer with an unknown state")
                self._send(handler, 400, render_page("wrong_state", accept_language=lang))
                return
            result = callback_from_query(query, realm_id=query.get("realmId"))
            if result.error or not result.code:
                error = result.error or "missing_code"
                self._send(handler, 400, render_page("error", error=error, description=result.error_description,
                                                      accept_language=lang))
            else:
                self._send(handler, 200, render_page("ok", accept_language=lang))
            self._result = result
            self._done.set()

    def wait(self, timeout_s: float) -> CallbackResult:
        """Block until the answer arrives; raises AuthorizationFailed after `timeout_s`."""
        try:
            if not self._done.wait(timeout_s):
                raise AuthorizationFailed(
                    message("oauth.timeout", 'no answer from QuickBooks within {timeout_s} seconds', timeout_s=int(timeout_s)),
                    title=message("oauth.timeout.title", "QuickBooks sign-in timed out"),
                    fix=message("oauth.timeout.fix", "Connect again and finish the sign-in in the browser, or use the paste option "
                    "(copy the address of the page you land on)."),
                )
            assert self._result is not None
            return self._result
        finally:
            self.close()

    def close(self) -> None:
        """Stops listening (synchronously: the port is free when this returns). Never call it from a
        request handler (it waits for the serving loop, which runs the handlers' dispatch)."""
        if self._closed:
            return
        self._closed = True
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def __enter__(self) -> LoopbackListener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

