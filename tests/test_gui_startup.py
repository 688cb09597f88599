"""Start at login costs little: the app's first screen is drawn before the engine loads.

A fresh interpreter starts the app as the `crocoqb-desktop` script does and records which heavy
modules are loaded at the window's first paint (none may be) and once the app is ready (the engine
loaded in the background and the first status shown). The timing and memory figures are in
tests/bench/bench_gui.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ["requests", "apscheduler", "keyring", "crocoqb_desktop.qbo", "crocoqb_desktop.croco",
         "crocoqb_desktop.app.service", "crocoqb_desktop.sync.engine", "PySide6.QtNetwork"]

CHILD = """
import json, sys
from crocoqb_desktop.gui.main import main
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
HEAVY = %r
app = QApplication(sys.argv[:1])
seen = {}
def loaded():
    return sorted(m for m in HEAVY if m in sys.modules)
class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and isinstance(obj, QMainWindow) and "first_paint" not in seen:
            seen["first_paint"] = loaded()
            seen["engine_started_at_paint"] = obj.controller.status is not None
        return False
first_paint = FirstPaint()
app.installEventFilter(first_paint)
def check():
    windows = [w for w in app.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()]
    if windows and windows[0].controller.status is not None:
        seen["ready"] = loaded()
        seen["status_keys"] = sorted(windows[0].controller.status)
        print("RESULT", json.dumps(seen), flush=True)
        app.quit()
    else:
        QTimer.singleShot(10, check)
QTimer.singleShot(0, check)
sys.exit(main([]))
"""


def test_first_screen_is_drawn_before_the_engine_loads(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CROCOQB_HOME=str(tmp_path / "home"),
               CROCOQB_KEYRING_SERVICE="CrocoQB-test-startup")
    proc = subprocess.run([sys.executable, "-c", CHILD % (HEAVY,)], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    line = next(line for line in proc.stdout.splitlines() if line.startswith("RESULT "))
    seen = json.loads(line.removeprefix("RESULT "))
    assert seen["first_paint"] == [], f"loaded before the first screen was drawn: {seen['first_paint']}"
    assert seen["engine_started_at_paint"] is False
    # then the rest loads, and the app works: the status came from the sync service
    assert {"requests", "apscheduler", "keyring", "crocoqb_desktop.app.service", "crocoqb_desktop.sync.engine",
            "PySide6.QtNetwork"} <= set(seen["ready"])
    assert {"crococlick", "quickbooks", "sync"} <= set(seen["status_keys"])
