"""Typed errors for the CrocoClick API's error model (`Error` schema in crococlick-api.yaml)."""

from __future__ import annotations

from typing import Any

from crocoqb_desktop.errors import ServiceError, Text
from crocoqb_desktop.messages import message


class CrocoApiError(ServiceError):
    """CrocoClick answered with an error. `code` is the spec's stable machine code."""

    title = message("croco.api.title", "CrocoClick error")

    def __init__(self, message: Text, *, details: list[dict[str, Any]] | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.details = details or []

    @property
    def existing_id(self) -> str | None:
        for detail in self.details:
            if detail.get("existingId"):
                return str(detail["existingId"])
        return None


class CrocoAuthError(CrocoApiError):
    title = message("croco.auth.title", "CrocoClick refused the API key")
    fix = message("croco.auth.fix", "Create a new API key in CrocoClick (Settings > Integrations > API keys) and enter it in CrocoQB.")


class CrocoForbidden(CrocoApiError):
    title = message("croco.forbidden.title", "CrocoClick refused access")
    fix = message("croco.forbidden.fix", "Check the location id and that the API key has the permissions CrocoQB needs.")


class CrocoNotFound(CrocoApiError):
    title = message("croco.not_found.title", "Not found in CrocoClick")


class CrocoConflict(CrocoApiError):
    title = message("croco.conflict.title", "Conflict in CrocoClick")


class CrocoUnprocessable(CrocoApiError):
    title = message("croco.unprocessable.title", "CrocoClick refused the change")


class CrocoCursorExpired(CrocoApiError):
    title = message("croco.cursor_expired.title", "CrocoClick change feed expired")
    fix = message("croco.cursor_expired.fix", "CrocoQB runs a full resync automatically.")


class CrocoRateLimited(CrocoApiError):
    title = message("croco.rate_limited.title", "CrocoClick asks to slow down")
    fix = message("croco.rate_limited.fix", "Nothing to do: CrocoQB waits and tries again at the next sync.")


class CrocoServerError(CrocoApiError):
    title = message("croco.server.title", "CrocoClick is having trouble")
    fix = message("croco.server.fix", "This is usually temporary; the sync will try again automatically.")


class CrocoBadRequest(CrocoApiError):
    title = message("croco.bad_request.title", "CrocoClick rejected the request")


_BY_STATUS: dict[int, type[CrocoApiError]] = {
    400: CrocoBadRequest,
    401: CrocoAuthError,
    403: CrocoForbidden,
    404: CrocoNotFound,
    409: CrocoConflict,
    410: CrocoCursorExpired,
    422: CrocoUnprocessable,
    429: CrocoRateLimited,
}


def error_for_status(status: int) -> type[CrocoApiError]:
    if status >= 500:
        return CrocoServerError
    return _BY_STATUS.get(status, CrocoApiError)
