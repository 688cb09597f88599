"""The sandbox's failure answers: throttle, auth and system faults, and the injected failures tests ask for."""

from __future__ import annotations

import time
from typing import Any

from .base import Response
from .qbo_common import QboFault, dumps, envelope_time, unsupported_operation
from .qbo_oauth import error_page

INJECTION_KINDS = ("429", "500", "503", "timeout", "401")

_THROTTLE_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<IntuitResponse time="{time}" xmlns="http://schema.intuit.com/finance/v3">
    <Fault type="SERVICE">
        <Error code="3001">
            <Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message>
            <Detail>The request limit was reached.  Try again later</Detail>
        </Error>
    </Fault>
</IntuitResponse>
"""  # throttle_429.xml


def json_response(data: Any, status: int = 200) -> Response:
    return Response(status, dumps(data), {"Content-Type": "application/json;charset=UTF-8"})


def _lower_fault(message: str, detail: str | None, code: str, fault_type: str) -> dict[str, Any]:
    """The lower-case envelope of 401/403 answers (fault_auth_401.json, fault_authorization_403.json)."""
    return {
        "warnings": None,
        "intuitObject": None,
        "fault": {
            "error": [{"message": message, "detail": detail, "code": code, "element": None}],
            "type": fault_type,
        },
        "report": None,
        "queryResponse": None,
        "batchItemResponse": [],
        "attachableResponse": [],
        "syncErrorResponse": None,
        "requestId": None,
        "time": int(time.time() * 1000),
        "status": None,
        "cdcresponse": [],
    }


def throttled() -> Response:
    # XML even when JSON was asked (ref §3, throttle_429.xml)
    return Response.text(_THROTTLE_XML.format(time=envelope_time()), 429, "application/xml")


def unauthorized(detail: str) -> Response:
    body = _lower_fault(
        "message=AuthenticationFailed; errorCode=003200; statusCode=401", detail, "3200", "AUTHENTICATION"
    )
    return Response(
        401,
        dumps(body),
        {
            "Content-Type": "application/json;charset=UTF-8",
            "WWW-Authenticate": 'Bearer realm="Intuit", error="invalid_token"',
        },
    )


def forbidden() -> Response:
    body = _lower_fault("message=AuthorizationFailed; errorCode=003100; statusCode=403", None, "3100", "SERVICE")
    return Response(403, dumps(body), {"Content-Type": "application/json;charset=UTF-8"})


def system_fault(detail: str) -> Response:
    """HTTP 500 with the JSON SystemFault body (code 10000)."""
    fault = QboFault(
        "10000",
        "An application error has occurred while processing your request",
        f"System Failure Error: {detail}",
        fault_type="SystemFault",
        status=500,
    )
    return json_response(fault.body(), 500)


def unknown_resource(base_url: str, path: str) -> QboFault:
    # fault_unsupported_operation_500.json: HTTP 400, code "500"
    return unsupported_operation(
        f"Operation Could not find resource for relative : {path} of full path: "
        f"{base_url}{path} is not supported."
    )


def html_page(text: str, status: int = 200) -> Response:
    return Response.text(text, status, "text/html; charset=utf-8")


def take_injection(injections: list[dict[str, Any]], path: str) -> str | None:
    """Counts down the first injection matching `path` and returns its kind (None: no failure)."""
    for inj in injections:
        if inj["left"] <= 0:
            continue
        wanted = inj["path_contains"]
        if (wanted is None and path.startswith("/v3/")) or (wanted is not None and wanted in path):
            inj["left"] -= 1
            return str(inj["kind"])
    return None


def injected_failure(kind: str | None, path: str) -> Response | None:
    """The answer of an injected "429", "500", "503" or "401"; None for "timeout" and no injection."""
    api = path.startswith("/v3/")
    if kind == "429":
        return throttled()
    if kind == "500":
        if api:
            return system_fault(
                "An unexpected error occurred while accessing or saving "
                "your data. Please wait a few minutes and try again. If the problem persists, "
                "contact customer support."
            )
        return Response.text("<html><body><h1>500 Internal Server Error</h1></body></html>", 500, "text/html")
    if kind == "503":
        return Response.text(
            "<html><body><h1>503 Service Unavailable</h1>"
            "<p>The server is temporarily unable to service your request.</p></body></html>",
            503,
            "text/html",
        )
    if kind == "401":
        if api:
            return unauthorized("Token expired: AB0" + str(int(time.time() * 1000)))
        return Response.json({"error": "invalid_client"}, 401)
    return None


def page_not_found(path: str, base_url: str, method_not_allowed: bool = False) -> Response:
    """404 / 405 outside the API; the API answers both with its Unsupported Operation fault."""
    if path.startswith("/v3/"):
        return json_response(unknown_resource(base_url, path).body(), 400)
    if method_not_allowed:
        return html_page(error_page("Method not allowed."), 405)
    return html_page(error_page("Page not found."), 404)
