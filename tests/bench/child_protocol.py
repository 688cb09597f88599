"""The line protocol between a benchmark and the sandboxes it runs in a child process: one JSON command
per line on stdin (`{"cmd": NAME, "kwargs": {...}}`, handled by the handler's `cmd_NAME`), one JSON reply per
line on stdout; "stop" ends the loop."""

from __future__ import annotations

import json
import sys
import traceback
from typing import Any


def serve_commands(handler: Any) -> None:
    out = sys.stdout
    sys.stdout = sys.stderr  # only protocol lines on the pipe
    for line in sys.stdin:
        msg = json.loads(line)
        try:
            reply = {"ok": True, "result": getattr(handler, "cmd_" + msg["cmd"])(**msg.get("kwargs", {}))}
        except Exception as exc:
            reply = {"ok": False, "error": f"{exc.__class__.__name__}: {exc}\n{traceback.format_exc()}"}
        out.write(json.dumps(reply, default=str) + "\n")
        out.flush()
        if msg["cmd"] == "stop":
            return
