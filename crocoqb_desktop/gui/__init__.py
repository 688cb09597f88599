"""The desktop interface (Qt for Python). Importing it applies the PySide6 compatibility fixes.

The heavy engine (QuickBooks and CrocoClick clients, the scheduler, the keychain backends, requests)
is not imported here: the window is drawn first and the engine loads afterwards, mostly on the io
thread (see `AppController.service`), so that a start at login costs little.

What the first screen needs of the engine (settings, state store, logging) is imported first, before
PySide6: once PySide6 is loaded, its import hook reads the source of every module imported after it,
which roughly doubles their import time (`qt_compat.speed_up_import_hook` makes that cheaper for
everything imported later).
"""

import concurrent.futures  # noqa: F401  (gui.tasks)
import getpass  # noqa: F401  (platform.single_instance)
import hashlib  # noqa: F401
import queue  # noqa: F401
import tempfile  # noqa: F401

import crocoqb_desktop.app.context  # noqa: F401
from crocoqb_desktop.gui import qt_compat as _qt_compat

_qt_compat.speed_up_import_hook()  # and the rest of the interface is imported after PySide6
_qt_compat.apply()
