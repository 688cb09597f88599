"""Rotating log file in the data folder, with secrets redacted from every record."""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

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
    file_handler = _UserOnlyRotatingFileHandler(
        paths.log_file(), maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    # each line names its profile: one process may run several (rule 12) and they share this file
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(profile)s]: %(message)s"))
    file_handler.addFilter(_ProfileFilter())
    file_handler.addFilter(RedactingFilter())
    root.addHandler(file_handler)
    paths.make_user_only(paths.log_file())
    if to_stderr:
        stream = logging.StreamHandler()
        stream.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
        stream.addFilter(RedactingFilter())
        root.addHandler(stream)


class _ProfileFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.profile = paths.active_profile()
        return True


class _UserOnlyRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Each log file it opens (the first one and each one after a rotation) is made user-only."""

    def _open(self):  # type: ignore[no-untyped-def]
        # created 0600 (never briefly readable by others under a 022 umask); an existing file is fixed too
        os.close(os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        paths.make_user_only(Path(self.baseFilename))
        return super()._open()


def reset_logging_for_tests() -> None:
    global _configured
    root = logging.getLogger("crocoqb")
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    _configured = False
