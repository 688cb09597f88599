"""Rotating log file in the data folder, with secrets redacted from every record."""

from __future__ import annotations

import logging
import logging.handlers

from crocoqb_desktop import paths
from crocoqb_desktop.redaction import RedactingFilter

_configured = False


def configure_logging(level: int = logging.INFO, *, to_stderr: bool = False) -> None:
    global _configured
    root = logging.getLogger("crocoqb")
    if _configured:
        return
    _configured = True
    root.setLevel(level)
    file_handler = logging.handlers.RotatingFileHandler(
        paths.log_file(), maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    file_handler.addFilter(RedactingFilter())
    root.addHandler(file_handler)
    paths.make_user_only(paths.log_file())
    if to_stderr:
        stream = logging.StreamHandler()
        stream.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
        stream.addFilter(RedactingFilter())
        root.addHandler(stream)


def reset_logging_for_tests() -> None:
    global _configured
    root = logging.getLogger("crocoqb")
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    _configured = False
