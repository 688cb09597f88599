"""`crocoqb profile list [--json] | add NAME | remove NAME [--yes]` (design rule 12, section 5)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from crocoqb_desktop import paths, profiles
from crocoqb_desktop.errors import CrocoQBError
from crocoqb_desktop.messages import message

EXIT_OK = 0


class ProfileBusy(CrocoQBError):
    title = "Profile in use"


def register(sub: Any) -> None:
    p = sub.add_parser("profile", help="list, add or remove profiles (one business each)")
    actions = p.add_subparsers(dest="profile_action", required=True)
    q = actions.add_parser("list", help="every profile and its status")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_profile_list)
    q = actions.add_parser("add", help="create an empty profile; then connect it with --profile NAME")
    q.add_argument("name")
    q.set_defaults(func=cmd_profile_add)
    q = actions.add_parser("remove", help="revoke its QuickBooks grant, forget its secrets and data")
    q.add_argument("name")
    q.add_argument("--yes", action="store_true", help="do not ask for confirmation (scripts)")
    q.set_defaults(func=cmd_profile_remove)


def profile_summary(name: str) -> dict[str, Any]:
    """A profile's status at a glance, read from its own folder and keychain entries (no network)."""
    from crocoqb_desktop.app.context import AppContext
    from crocoqb_desktop.app.service import SyncService
    from crocoqb_desktop.settings import Settings
    from crocoqb_desktop.sync.store import StateStore

    root = paths.data_root()
    info = profiles.info(root, name)
    with paths.profile_scope(name):
        ctx = AppContext(settings=Settings(), store=StateStore())
        try:
            status = SyncService(ctx).status()
        finally:
            ctx.store.close()
    croco, qbo, sync = status["crococlick"], status["quickbooks"], status["sync"]
    return {"name": name, "id": info.id, "folder": str(info.folder), "active": name == paths.active_profile(),
            "crococlick": {"connected": croco["connected"], "location_id": croco["location_id"],
                           "location_name": croco["location_name"]},
            "quickbooks": {"state": qbo["state"], "company_name": qbo.get("company_name"),
                           "realm_id": qbo.get("realm_id")},
            "last_sync_at": sync["last_sync_at"], "pending": sync["pending"], "failed": sync["failed"],
            "problems": status.get("problems", sync["failed"])}


def cmd_profile_list(args: argparse.Namespace) -> int:
    rows = [profile_summary(name) for name in profiles.names(paths.data_root())]
    if args.json:
        print(json.dumps(rows, indent=2, default=str))
        return EXIT_OK
    for row in rows:
        croco = row["crococlick"]["location_name"] or row["crococlick"]["location_id"] or "CrocoClick not connected"
        qbo = row["quickbooks"]["company_name"] or {"connected": "QuickBooks connected",
                                                    "reconnect_needed": "QuickBooks: reconnect needed"}.get(
            row["quickbooks"]["state"], "QuickBooks not connected")
        mark = "*" if row["active"] else " "
        print(f"{mark} {row['name']:<20} {croco} -> {qbo}; last sync {row['last_sync_at'] or 'never'}, "
              f"{row['failed']} failed")
    return EXIT_OK


def cmd_profile_add(args: argparse.Namespace) -> int:
    info = profiles.add(paths.data_root(), args.name)
    print(f"Profile '{info.name}' created in {info.folder}.")
    print("Set it up like the first one:")
    print(f"  crocoqb --profile {info.name} croco-login --location-id <LOCATION>")
    print(f"  crocoqb --profile {info.name} connect")
    return EXIT_OK


def cmd_profile_remove(args: argparse.Namespace) -> int:
    from crocoqb_desktop.app.connection import QboConnection
    from crocoqb_desktop.app.context import AppContext
    from crocoqb_desktop.app.service_lock import OWNER_WINDOW, ServiceLock, ServiceLockHeld
    from crocoqb_desktop.settings import Settings
    from crocoqb_desktop.sync.engine import ProcessLock
    from crocoqb_desktop.sync.store import StateStore

    root = paths.data_root()
    name = profiles.validate_name(args.name)
    folder = profiles.ensure_folder(root, name) if name != profiles.DEFAULT else profiles.profiles_dir(root) / name
    if not (folder / profiles.PROFILE_FILE).exists():
        raise profiles.UnknownProfile(message("profile.unknown", "There is no profile '{name}' in this data "
                                              "folder.", name=name))
    if not args.yes and not _confirmed(name):
        raise CrocoQBError(message("profile.remove_unconfirmed", "The profile '{name}' was not removed.", name=name),
                           title="Not confirmed",
                           fix=message("profile.remove_confirm_fix", "Type the profile's name when asked, or add "
                                       "--yes to remove it without asking."))
    service_lock = ServiceLock(folder, "remove")  # the window or `crocoqb run` serving it: refused
    try:
        service_lock.acquire()
    except ServiceLockHeld as exc:
        owner = "the CrocoQB window" if exc.owner == OWNER_WINDOW else "`crocoqb run`"
        raise ProfileBusy(message("profile.in_use", "The profile '{name}' is in use by {owner} (process {pid}).",
                                  name=name, owner=owner, pid=exc.pid),
                          fix=message("profile.in_use_fix", "Quit the CrocoQB window (tray menu > Quit) or stop "
                                      "`crocoqb run` (Ctrl-C), then remove the profile again.")) from None
    lock = ProcessLock(folder / "sync.lock")  # the lock a sync holds: no sync starts while we remove
    if not lock.acquire():
        service_lock.release()
        raise ProfileBusy(message("profile.busy", "The profile '{name}' is syncing right now.", name=name),
                          fix=message("profile.busy_fix", "Wait for the sync to finish (or quit the CrocoQB "
                                      "app that runs it), then remove the profile again."))
    note: str | None = None
    try:
        with paths.profile_scope(name):
            ctx = AppContext(settings=Settings(), store=StateStore())
            try:
                connection = QboConnection(ctx.settings, ctx.store)
                if connection.status()["state"] != "not_connected":
                    connection.disconnect()  # revokes the grant when QuickBooks can be reached
                    note = connection.last_disconnect_note
            finally:
                ctx.store.close()
    finally:
        lock.release()
        service_lock.release()
    profiles.forget(root, name)
    print(f"Profile '{name}' removed: its secrets and data are forgotten on this computer.")
    if note:
        print(f"The QuickBooks authorization could not be revoked ({note}). To revoke it too, open QuickBooks: "
              "Settings > Apps (or Manage connections) > CrocoQB > Disconnect.")
    return EXIT_OK


def _confirmed(name: str) -> bool:
    if not sys.stdin.isatty():
        return False
    answer = input(f"This forgets the profile '{name}' (its connections, settings and sync history). "
                   f"Type its name to confirm: ")
    return answer.strip() == name
