"""`crocoqb run` with several profiles (rule 12): one HeadlessService per profile in one process, each
on its own threads and bound to its own profile (data folder, keychain entries, service lock). A
profile that cannot run (not set up, reconnect needed, its data synced by a window) is reported and
left out; the others run. SIGTERM or Ctrl-C stops them all after the records in flight, exit 0."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Sequence
from types import FrameType

from crocoqb_desktop import paths
from crocoqb_desktop.app.context import AppContext
from crocoqb_desktop.app.headless import HeadlessService
from crocoqb_desktop.errors import CrocoQBError
from crocoqb_desktop.messages import message
from crocoqb_desktop.settings import Settings
from crocoqb_desktop.sync.store import StateStore

log = logging.getLogger("crocoqb.run")


class NoProfileCanRun(CrocoQBError):
    title = "No profile can run"


def run_profiles(names: Sequence[str], *, install_signals: bool = True,
                 started: threading.Event | None = None) -> int:
    services: dict[str, HeadlessService] = {}
    contexts: list[AppContext] = []
    for name in names:
        with paths.profile_scope(name):
            ctx = AppContext(settings=Settings(), store=StateStore())
            contexts.append(ctx)
            services[name] = HeadlessService(ctx)
    failures: dict[str, CrocoQBError] = {}
    codes: dict[str, int] = {}

    def serve(name: str) -> None:
        with paths.profile_scope(name):
            try:
                codes[name] = services[name].serve(install_signals=False)
            except CrocoQBError as exc:
                failures[name] = exc
                log.warning("profile %s does not run: %s %s", name, exc.message, exc.fix or "")

    def stop_all(signum: int | None = None, frame: FrameType | None = None) -> None:
        for service in services.values():
            service.stop()

    if install_signals:
        signal.signal(signal.SIGINT, stop_all)
        signal.signal(signal.SIGTERM, stop_all)
    threads = [threading.Thread(target=serve, args=(n,), name=f"crocoqb-run-{n}") for n in services]
    for t in threads:
        t.start()
    if started is not None:
        started.set()
    try:
        while any(t.is_alive() for t in threads):
            for t in threads:
                t.join(0.5)  # short joins: the main thread stays free for the signal handlers
    finally:
        stop_all()
        for ctx in contexts:
            ctx.store.close()
    if failures and len(failures) == len(services):
        raise NoProfileCanRun(
            message("run.no_profile", "None of the profiles can sync: {reasons}",
                    reasons="; ".join(f"{n}: {e.message}" for n, e in failures.items())),
            fix=message("run.no_profile_fix", "Set up a profile first (`crocoqb --profile NAME croco-login` and "
                        "`connect`), then start `crocoqb run` again."))
    return max(codes.values(), default=0)
