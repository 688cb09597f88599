"""`crocoqb-desktop`: the desktop app.

    crocoqb-desktop [--minimized] [--demo] [--selftest] [--profile NAME]

--minimized  start in the tray (when there is one; otherwise the window opens anyway)
--demo       start the embedded CrocoClick and QuickBooks sandboxes with sample data and open the
             app pointed at them (its own data folder and keychain entries)
--selftest   run the packaged-app self-test and exit with its status
--profile    the profile (business) the window shows first; every profile syncs either way
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import os
import sys
from collections.abc import Sequence
from typing import cast

log = logging.getLogger("crocoqb.gui")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="crocoqb-desktop",
                                     description="CrocoQB: keeps QuickBooks Online in sync with CrocoClick.")
    parser.add_argument("--minimized", action="store_true", help="start in the tray")
    parser.add_argument("--demo", action="store_true", help="run against the embedded sandboxes with sample data")
    parser.add_argument("--selftest", action="store_true", help="run the self-test and exit")
    parser.add_argument("--profile", metavar="NAME", help="the profile shown first (default: \"default\")")
    return parser


def _selftest() -> int:
    if importlib.util.find_spec("crocoqb_desktop.selftest") is None:
        print("The self-test is not available in this build.", file=sys.stderr)
        return 2
    from crocoqb_desktop.selftest import run_selftest  # type: ignore[import-not-found]

    return int(run_selftest())


def _install_excepthook() -> None:
    """An exception escaping a Qt slot is logged (redacted) instead of reaching a console or dialog."""
    previous = sys.excepthook

    def hook(exc_type, exc, tb):  # type: ignore[no-untyped-def]
        if issubclass(exc_type, KeyboardInterrupt):
            previous(exc_type, exc, tb)
            return
        log.error("unexpected error in the interface", exc_info=(exc_type, exc, tb))

    sys.excepthook = hook


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(list(argv) if argv is not None else sys.argv[1:])
    if args.selftest:
        return _selftest()

    from PySide6.QtWidgets import QApplication, QMessageBox

    world = None
    if args.demo:
        from crocoqb_desktop.sandbox.demo import start_demo_world

        world = start_demo_world()  # sets CROCOQB_HOME (and the demo keychain service) for this process
        world.start_activity_thread()

    app = cast(QApplication, QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "crocoqb-desktop"]))
    app.setApplicationName("CrocoQB")
    app.setOrganizationName("CrocoQB")
    app.setApplicationDisplayName("CrocoQB")
    app.setDesktopFileName("crocoqb-desktop")

    from crocoqb_desktop import paths
    from crocoqb_desktop.app.context import AppContext
    from crocoqb_desktop.errors import CrocoQBError
    from crocoqb_desktop.gui import i18n
    from crocoqb_desktop.platform.single_instance import SingleInstance, server_name

    try:
        if args.profile:
            from crocoqb_desktop import profiles

            profiles.ensure_folder(paths.data_root(), profiles.validate_name(args.profile))
            paths.use_profile(args.profile)
        ctx = AppContext.open()
    except CrocoQBError as exc:  # e.g. an unreadable settings file: say what to do, no traceback
        QMessageBox.critical(None, "CrocoQB", exc.user_text())
        return exc.exit_code
    _install_excepthook()
    i18n.install_language(ctx.settings.get("ui.language"))

    # one app per data folder: it runs every profile
    instance = SingleInstance(server_name(str(paths.data_root())), lock_dir=paths.data_root())
    if not instance.claim(listen=False):  # the lock now; the activation server once the window is drawn
        log.info("CrocoQB is already running: asked it to show its window")
        if world is not None:
            world.stop()
        return 0

    from crocoqb_desktop.gui.app import AfterFirstPaint, CrocoQBApp

    demo_note = None
    if world is not None:
        from PySide6.QtCore import QCoreApplication

        demo_note = QCoreApplication.translate(
            "Main", "Demo: a sample CrocoClick account and QuickBooks company run on this computer. "
            "Nothing real is changed.")
    from crocoqb_desktop.gui.profiles_view import ProfileSet

    profile_set = ProfileSet(contexts={paths.active_profile(): ctx})  # every profile syncs (rule 12)
    crocoqb = CrocoQBApp(ctx, demo_note=demo_note, profiles=profile_set)
    instance.activation_requested.connect(crocoqb.show_window)
    crocoqb.start(minimized=args.minimized)
    AfterFirstPaint(crocoqb.window, instance.listen)  # owned by the window (its Qt parent)
    try:
        code = app.exec()
    finally:
        crocoqb.shutdown()
        instance.release()
        if world is not None:
            world.stop()
    return int(code)


if __name__ == "__main__":
    os.environ.setdefault("QT_ENABLE_HIGHDPI_SCALING", "1")
    raise SystemExit(main())
