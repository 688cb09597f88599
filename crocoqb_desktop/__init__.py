"""CrocoQB Desktop: keeps QuickBooks Online in sync with CrocoClick."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("crocoqb-desktop")
except PackageNotFoundError:  # running from a source tree or a frozen bundle without metadata
    __version__ = "0.1.0"

APP_NAME = "CrocoQB"
KEYRING_SERVICE = "CrocoQB"
