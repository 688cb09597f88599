"""One syncing process per data folder: the window and `crocoqb run` never sync the same data (profile)
at once. A lock file in the data folder names its owner (pid and "window" or "run"); a lock left by a
process that no longer exists is taken over. The engine's per-cycle lock (sync.lock) still guards each
cycle (a `crocoqb sync --once` next to a running service waits for its turn as before)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from crocoqb_desktop.errors import CrocoQBError
from crocoqb_desktop.messages import message

LOCK_NAME = "service.lock"
OWNER_WINDOW, OWNER_RUN = "window", "run"


class ServiceLockHeld(CrocoQBError):
    title = "CrocoQB is already syncing this data"
    exit_code = 2

    def __init__(self, owner: str, pid: int, folder: Path) -> None:
        if owner == OWNER_RUN:
            text = message("service.lock_run", "the background service `crocoqb run` (process {pid}) is already "
                           "syncing the data in {folder}", pid=pid, folder=str(folder))
            fix = message("service.lock_run_fix", "Stop `crocoqb run` first (Ctrl-C or SIGTERM), or keep it and "
                          "use this window only to look at the status and the log.")
        else:
            text = message("service.lock_window", "the CrocoQB window (process {pid}) is already syncing the data "
                           "in {folder}", pid=pid, folder=str(folder))
            fix = message("service.lock_window_fix", "Quit the CrocoQB window (tray menu > Quit) before starting "
                          "`crocoqb run`, or let the window do the syncing.")
        super().__init__(text, fix=fix)
        self.owner = owner
        self.pid = pid


class ServiceLock:
    def __init__(self, folder: Path, owner: str) -> None:
        self.folder = folder
        self.path = folder / LOCK_NAME
        self.owner = owner
        self._held = False

    def holder(self) -> tuple[str, int] | None:
        """(owner, pid) of a live holder, None when free or stale."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            owner, pid = str(data["owner"]), int(data["pid"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if pid == os.getpid():
            return (owner, pid) if not self._held else None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except OSError:
            pass  # exists, owned by someone else
        return owner, pid

    def acquire(self) -> None:
        """Takes the lock or raises ServiceLockHeld naming who holds it. The lock file appears complete
        (written aside, then hard-linked into place: linking fails if it exists), so a reader never
        sees it empty and takes it for a stale one."""
        tmp = self.folder / f".{LOCK_NAME}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps({"owner": self.owner, "pid": os.getpid()}), encoding="utf-8")
        try:
            for _ in range(2):
                try:
                    os.link(tmp, self.path)
                except FileExistsError:
                    holder = self.holder()
                    if holder is not None:
                        raise ServiceLockHeld(holder[0], holder[1], self.folder) from None
                    try:
                        self.path.unlink()  # left by a process that is gone
                    except FileNotFoundError:
                        pass
                    continue
                self._held = True
                return
        finally:
            tmp.unlink(missing_ok=True)
        holder = self.holder() or ("?", 0)
        raise ServiceLockHeld(holder[0], holder[1], self.folder)

    def release(self) -> None:
        if self._held:
            self._held = False
            try:
                self.path.unlink()
            except FileNotFoundError:
                pass

    @property
    def held(self) -> bool:
        return self._held
