"""Works around a reference-count bug of PySide6 6.12: `SignalInstance.emit()` and
`SignalInstance.disconnect()` return their bool result (True/False) without a new reference, so every
call from Python takes one reference away from `True` or `False`. After a few hundred emits the
interpreter aborts ("Fatal Python error: bool_dealloc: deallocating True or False").

`apply()` measures the leak once and, only if it is present, wraps both methods so that the missing
reference is given back. With a fixed PySide6 the probe finds no leak and nothing is patched.
"""

from __future__ import annotations

import ctypes
import sys
import threading
from typing import Any

_applied = False
_lock = threading.Lock()
_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None

PROBE_CALLS = 16


def _leaks(call: Any, value: bool) -> bool:
    before = sys.getrefcount(value)
    for _ in range(PROBE_CALLS):
        call()
    lost = before - sys.getrefcount(value)
    if lost > 0:  # give the probe's own losses back
        for _ in range(lost):
            _incref(value)
    return lost >= PROBE_CALLS


def _wrap(original: Any) -> Any:
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = original(self, *args, **kwargs)
        if result is True or result is False:
            _incref(result)
        return result

    wrapper.__name__ = "emit_fixed_refcount"
    # (no __doc__ copy: reading it loads PySide's signature module, slow at start-up)
    setattr(wrapper, "__wrapped__", original)  # noqa: B010
    return wrapper


def apply() -> list[str]:
    """Patch what leaks; returns the names patched (empty on a fixed PySide6). Idempotent."""
    global _applied
    with _lock:
        if _applied:
            return []
        _applied = True
        import warnings

        from PySide6.QtCore import QObject, Signal, SignalInstance

        class _Probe(QObject):
            signal = Signal()

        probe = _Probe()
        patched: list[str] = []
        if _leaks(probe.signal.emit, True):
            setattr(SignalInstance, "emit", _wrap(SignalInstance.emit))  # noqa: B010
            patched.append("SignalInstance.emit")

        def failed_disconnect() -> None:
            try:
                probe.signal.disconnect(_leaks)  # never connected: returns False (with a warning)
            except (RuntimeError, TypeError):
                pass

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if _leaks(failed_disconnect, False):
                setattr(SignalInstance, "disconnect", _wrap(SignalInstance.disconnect))  # noqa: B010
                patched.append("SignalInstance.disconnect")
        probe.deleteLater()
        return patched


def speed_up_import_hook() -> bool:
    """PySide6's import hook (`shibokensupport.feature`) asks of every module imported after PySide6
    whether its source mentions "PySide6", through `inspect.getsource`: that goes through `linecache`,
    which keeps the source of every module in memory (about 13 MB for the app and its engine) and
    roughly doubles each import's time. Same question, answered by reading the file's bytes.
    Returns True if the hook was sped up; False (nothing changed) on a PySide6 without that hook."""
    import PySide6.QtCore  # noqa: F401  (loads the hook)

    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or getattr(original, "_crocoqb", False):
        return False

    def mod_uses_pyside(module: Any) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return bool(original(module))  # built-in, extension or frozen: PySide6's own answer
        try:
            with open(path, "rb") as fh:
                return b"PySide6" in fh.read()
        except OSError:
            return bool(original(module))

    setattr(mod_uses_pyside, "_crocoqb", True)  # noqa: B010
    setattr(feature, "_mod_uses_pyside", mod_uses_pyside)  # noqa: B010
    return True
