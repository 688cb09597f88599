"""The frozen app's entry point (PyInstaller runs this script; see build.spec).

It hands over to `crocoqb_desktop.gui.main.main()`, which owns the command line (`--selftest`,
`--demo`, ...). Two flags are handled here first because the packaging depends on them and they
must work whatever state the GUI is in:

- `--selftest` while `crocoqb_desktop.gui.main` does not exist yet (a bundle of a tree without the
  GUI can still be built and tested); once it exists, the GUI's `main()` dispatches it.
- `--remove-secrets`: the Windows uninstaller runs `CrocoQB.exe --remove-secrets` when the user
  chooses to remove their data. It deletes CrocoQB's keychain entries (the app's service and the
  demo/self-test services) and exits 0, or 1 if the keychain could not be written.
"""

from __future__ import annotations

import sys

GUI_MAIN = "crocoqb_desktop.gui.main"
SECRET_SERVICES = ("CrocoQB", "CrocoQB-demo", "CrocoQB-selftest")


def remove_secrets() -> int:
    import keyring
    import keyring.errors

    from crocoqb_desktop import keychain

    names = (keychain.CROCO_API_KEY, keychain.QBO_REFRESH_TOKEN, keychain.QBO_REALM_ID, keychain.QBO_CLIENT_SECRET)
    failed = 0
    for service in SECRET_SERVICES:
        for name in names:
            try:
                keyring.delete_password(service, name)
            except keyring.errors.PasswordDeleteError:
                pass  # not stored: nothing to remove
            except keyring.errors.KeyringError as exc:
                failed += 1
                print(f"could not remove {service}/{name}: {exc.__class__.__name__}", file=sys.stderr)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if "--remove-secrets" in args:
        return remove_secrets()
    try:
        from crocoqb_desktop.gui.main import main as gui_main
    except ModuleNotFoundError as exc:
        if exc.name != GUI_MAIN:
            raise  # something the GUI imports is missing from the bundle: fail loudly
        if "--selftest" in args:
            from crocoqb_desktop.selftest import run_selftest

            return run_selftest()
        print(f"CrocoQB: this build has no window ({GUI_MAIN} is missing); try --selftest.", file=sys.stderr)
        return 2
    return int(gui_main(args) or 0)


if __name__ == "__main__":
    # Keep worker processes of a frozen app from re-running the app (multiprocessing on Windows/macOS).
    import multiprocessing

    multiprocessing.freeze_support()
    sys.exit(main())
