"""CrocoQB Desktop: keeps QuickBooks Online in sync with CrocoClick."""

APP_NAME = "CrocoQB"
KEYRING_SERVICE = "CrocoQB"


def __getattr__(name: str) -> str:
    """`__version__`, read from the installed metadata on first use (importlib.metadata costs tens of
    milliseconds, which every start of the app would otherwise pay before its window shows)."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version("crocoqb-desktop")
    except PackageNotFoundError:  # running from a source tree or a frozen bundle without metadata
        value = "0.1.0"
    globals()["__version__"] = value
    return value
