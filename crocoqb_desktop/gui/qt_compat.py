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
