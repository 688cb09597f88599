"""The diagnostic bundle for support: a zip of the recent log file and a JSON summary of the state
(status, settings, outbox counts, the last 500 sync log rows). Everything passes through
`redaction.redact`; secrets (API key, tokens, codes) never enter it, and settings hold none."""

from __future__ import annotations

import json
import platform
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crocoqb_desktop import __version__, paths
from crocoqb_desktop.redaction import redact

LOG_ROWS = 500
LOG_TAIL_BYTES = 2_000_000


def default_bundle_name(now: datetime | None = None) -> str:
    now = now or datetime.now()
    return f"crocoqb-diagnostic-{now:%Y%m%d-%H%M%S}.zip"


def collect_state(ctx: Any, service: Any) -> dict[str, Any]:
    """The JSON summary (may touch the keychain and the DB: call it off the GUI thread)."""
    store = ctx.store
    try:
        status: Any = service.status()
    except Exception as exc:  # the bundle is most needed when things are broken
        status = {"error": f"status unavailable ({exc.__class__.__name__})"}
    try:
        from PySide6 import __version__ as pyside_version
    except Exception:  # pragma: no cover
        pyside_version = "?"
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "app_version": __version__,
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "pyside6": pyside_version,
        "frozen": bool(getattr(sys, "frozen", False)),
        "status": status,
        "settings": ctx.settings.as_dict(),
        "outbox_counts": store.outbox_counts(),
        "log_counts": store.log_counts(),
        "log": [entry.as_dict() for entry in store.log_entries(limit=LOG_ROWS)],
    }


def redact_tree(value: Any) -> Any:
    """Every string in a JSON-like tree passed through `redact` (the tree stays valid JSON)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [redact_tree(item) for item in value]
    if isinstance(value, dict):
        return {str(key): redact_tree(item) for key, item in value.items()}
    return value


def _log_tail(path: Path) -> str:
    with open(path, "rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - LOG_TAIL_BYTES))
        data = fh.read()
    text = data.decode("utf-8", errors="replace")
    if size > LOG_TAIL_BYTES:
        text = text.split("\n", 1)[-1]  # drop the cut first line
    return "\n".join(redact(line) for line in text.split("\n"))


def write_bundle(dest: Path, ctx: Any, service: Any) -> Path:
    """Writes the zip at `dest` and returns it. Blocking (disk, keychain): run it on a worker thread."""
    state = redact_tree(json.loads(json.dumps(collect_state(ctx, service), default=str)))
    state_text = json.dumps(state, indent=2, ensure_ascii=False)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("state.json", state_text)
        log_file = paths.log_file()
        if log_file.exists():
            zf.writestr("crocoqb.log", _log_tail(log_file))
        zf.writestr("README.txt", "CrocoQB diagnostic bundle: state.json (status, settings, counts, last "
                                  f"{LOG_ROWS} sync log rows) and the recent log file. Secrets are removed.\n")
    tmp.replace(dest)
    return dest
