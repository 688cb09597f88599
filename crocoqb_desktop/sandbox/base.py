"""A small threaded HTTP server with a router, shared by both sandboxes.

Handlers receive a `Request` and return a `Response`. Servers bind 127.0.0.1 only and run in a
daemon thread: `start()` returns the base URL, `stop()` shuts the server down.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-cased names
    body: bytes
    params: dict[str, str] = field(default_factory=dict)  # from the route pattern

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)

    def json(self) -> Any:
        """The body as JSON; raises ValueError on malformed JSON."""
        return json.loads(self.body.decode("utf-8") or "null")

    def form(self) -> dict[str, str]:
        parsed = parse_qs(self.body.decode("utf-8"), keep_blank_values=True)
        return {k: v[-1] for k, v in parsed.items()}


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
        h = {"Content-Type": "application/json"}
        h.update(headers or {})
        return cls(status, json.dumps(data, separators=(",", ":")).encode("utf-8"), h)

    @classmethod
    def text(cls, text: str, status: int = 200, content_type: str = "text/plain; charset=utf-8",
             headers: dict[str, str] | None = None) -> Response:
        h = {"Content-Type": content_type}
        h.update(headers or {})
        return cls(status, text.encode("utf-8"), h)

    @classmethod
    def redirect(cls, location: str, status: int = 302) -> Response:
        return cls(status, b"", {"Location": location})


Handler = Callable[[Request], Response]


class Router:
    def __init__(self) -> None:
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []

    def add(self, method: str, pattern: str, handler: Handler) -> None:
        """`pattern` like `/contacts/{contactId}`; each `{name}` matches one path segment."""
        regex = "^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern) + "$"
        self._routes.append((method.upper(), re.compile(regex), handler))

    def match(self, method: str, path: str) -> tuple[Handler | None, dict[str, str], bool]:
        """(handler, params, path_exists): path_exists tells 405 from 404."""
        path_exists = False
        for route_method, regex, handler in self._routes:
            m = regex.match(path)
            if m:
                path_exists = True
                if route_method == method.upper():
                    return handler, m.groupdict(), True
        return None, {}, path_exists


class _Server(ThreadingHTTPServer):
    # the default backlog of 5 delays simultaneous connections by a SYN retry (about 1 s), which
    # hides concurrency (limits, storms) behind accidental serialisation
    request_queue_size = 128


class SandboxServer:
    """Base class: subclasses fill `self.router` and may override `before_request`/`not_found`."""

    name = "sandbox"

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.router = Router()
        self._host = host
        self._port = port
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.lock = threading.RLock()  # guards the server's in-memory data

    # hooks ---------------------------------------------------------------------------------------
    def before_request(self, request: Request) -> Response | None:
        """Return a Response to short-circuit (auth failure, rate limit, injected fault)."""
        return None

    def after_request(self, request: Request, response: Response) -> Response:
        return response

    def not_found(self, request: Request) -> Response:
        return Response.json({"error": {"code": "not_found", "message": "no such route"}}, 404)

    def method_not_allowed(self, request: Request) -> Response:
        return Response.json({"error": {"code": "invalid_request", "message": "method not allowed"}}, 405)

    def server_error(self, request: Request, exc: BaseException) -> Response:
        return Response.json({"error": {"code": "internal", "message": f"{exc.__class__.__name__}"}}, 500)

    # lifecycle -------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("server not started")
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> str:
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # else each keep-alive answer waits ~40 ms (Nagle + delayed ACK)

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

            def _handle(self) -> None:
                split = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if len(body) < length:
                    # the client went away in the middle of its request: a server never acts on half a
                    # request (nor answers it); drop the connection
                    self.close_connection = True
                    return
                headers = {k.lower(): v for k, v in self.headers.items()}
                request = Request(self.command, split.path, query, headers, body)
                response = server.dispatch(request)
                self.send_response(response.status)
                for name, value in response.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(response.body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(response.body)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _handle

        self._httpd = _Server((self._host, self._port), _Handler)
        self._httpd.daemon_threads = True
        httpd = self._httpd
        self._thread = threading.Thread(target=lambda: httpd.serve_forever(poll_interval=0.05),
                                        name=f"{self.name}-http", daemon=True)
        self._thread.start()
        return self.url

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def dispatch(self, request: Request) -> Response:
        try:
            early = self.before_request(request)
            if early is not None:
                return self.after_request(request, early)
            handler, params, path_exists = self.router.match(request.method, request.path)
            if handler is None:
                response = self.method_not_allowed(request) if path_exists else self.not_found(request)
            else:
                request.params = params
                response = handler(request)
            return self.after_request(request, response)
        except Exception as exc:  # a sandbox bug must answer 500, not drop the connection
            return self.server_error(request, exc)


class WindowCounter:
    """Server-side sliding-window counter (for enforcing rate limits). `time_scale` compresses
    time: with 60.0, a 60-second window lasts 1 real second."""

    def __init__(self, limit: int, window_s: float, time_scale: float = 1.0) -> None:
        import collections
        import time

        self.limit = limit
        self.window_s = window_s / time_scale
        self._clock = time.monotonic
        self._stamps: collections.deque[float] = collections.deque()
        self._lock = threading.Lock()

    def hit(self, *, count: bool = True, force: bool = False) -> tuple[bool, int, float]:
        """Count one request. Returns (allowed, remaining, seconds until a slot frees).
        `count=False` only checks; `force=True` counts even over the limit (and reports allowed)."""
        with self._lock:
            now = self._clock()
            while self._stamps and now - self._stamps[0] >= self.window_s:
                self._stamps.popleft()
            if len(self._stamps) >= self.limit and not force:
                return False, 0, self.window_s - (now - self._stamps[0])
            if not count:
                reset = self.window_s - (now - self._stamps[0]) if self._stamps else self.window_s
                return True, self.limit - len(self._stamps), reset
            self._stamps.append(now)
            reset = self.window_s - (now - self._stamps[0])
            return True, max(0, self.limit - len(self._stamps)), reset
