"""The desktop interface (Qt for Python). Importing it applies the PySide6 compatibility fixes.

The engine modules are imported first, before PySide6: once PySide6 is loaded, its import hook
reads the source of every module imported after it (to look for `__feature__` switches), which
costs about 100 ms at start-up for the engine's modules and their dependencies.
"""

import crocoqb_desktop.app.scheduler  # noqa: F401
import crocoqb_desktop.app.service  # noqa: F401
from crocoqb_desktop.gui import qt_compat as _qt_compat

_qt_compat.apply()
