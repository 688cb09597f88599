"""Profiles (design rule 12): one CrocoClick location + one QuickBooks company each, with its own
folder and keychain entries. Real CLI processes, the real keychain, two pairs of sandboxes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import keyring
import pytest

from crocoqb_desktop import keychain, paths, profiles
from crocoqb_desktop.app.service_lock import OWNER_WINDOW, ServiceLock
from crocoqb_desktop.sync.engine import ProcessLock
from tests.plugins.profile_fixtures import customers, sale, sync_as
from tests.plugins.world_fixtures import World

#: A data folder written by the release before profiles (commit 0065b8e, its own Settings, StateStore
#: and logging_setup): settings.json, state.sqlite3 (a cursor, a sync-log row) and logs/ at the root.
LEGACY_HOME = Path(__file__).parent / "fixtures" / "legacy_home"
BASE = "CrocoQB-test"  # the keychain base service of the tests (conftest's data_home)


def run_cli(home: Path, *args: str, stdin: str = "", timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CROCOQB_HOME=str(home), CROCOQB_KEYRING_SERVICE=BASE)
    env.pop("CROCOQB_PROFILE", None)
    return subprocess.run([sys.executable, "-m", "crocoqb_desktop", *args], input=stdin, env=env,
                          capture_output=True, text=True, timeout=timeout)


# -- migration -------------------------------------------------------------------------------------
LEGACY_SECRETS = {"croco.api_key": "ck_legacy_key_7f3a9c21", "qbo.refresh_token": "RT-legacy-5b8e1d04",
                  "qbo.realm_id": "4620816365000000"}


def test_a_data_folder_from_the_release_without_profiles_becomes_profile_default(data_home: Path) -> None:
    shutil.copytree(LEGACY_HOME, data_home)
    for name, value in LEGACY_SECRETS.items():  # where that release kept them: the shared base service
        keyring.set_password(BASE, name, value)
    try:
        status = run_cli(data_home, "status", "--json")  # the first start of the new release
        assert status.returncode == 0, status.stderr
        data = json.loads(status.stdout)
        folder = data_home / "profiles" / "default"
        assert data["data_dir"] == str(folder)
        assert data["crococlick"]["connected"] is True and data["crococlick"]["location_name"] == "Legacy Shop"
        assert data["quickbooks"]["state"] == "connected"
        assert data["quickbooks"]["realm_id"] == LEGACY_SECRETS["qbo.realm_id"]
        assert data["sync"]["last_sync_at"] == "2026-11-30T10:00:00Z"
        # files moved, nothing left at the root but the profiles folder
        assert sorted(p.name for p in data_home.iterdir()) == ["profiles"]
        assert "written by the release before profiles" in (folder / "logs" / "crocoqb.log").read_text()
        assert run_cli(data_home, "config", "get", "sync.push_interval_s").stdout.strip() == "120"
        log = json.loads(run_cli(data_home, "log", "--json").stdout)
        assert any("Legacy Shop" in row["message"] for row in log)
        # secrets moved under the profile's own service; none left under the shared one
        service = profiles.keychain_service(data_home, "default")
        assert service.startswith(BASE + "/")
        for name, value in LEGACY_SECRETS.items():
            assert keyring.get_password(service, name) == value
            assert keyring.get_password(BASE, name) is None
        # a second start changes nothing
        again = json.loads(run_cli(data_home, "status", "--json").stdout)
        assert again["quickbooks"]["realm_id"] == LEGACY_SECRETS["qbo.realm_id"]
        listed = json.loads(run_cli(data_home, "profile", "list", "--json").stdout)
        assert [p["name"] for p in listed] == ["default"]
        assert listed[0]["crococlick"]["location_id"] == "loc_legacy"
    finally:
        for name in LEGACY_SECRETS:
            keychain.delete_secret(name, service=BASE)
            keychain.delete_secret(name, service=profiles.keychain_service(data_home, "default"))


# -- keychain isolation ----------------------------------------------------------------------------
def test_no_profile_or_data_folder_reads_another_ones_secrets(data_home: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    other_home = tmp_path / "other-home"
    profiles.add(data_home, "shop2")
    services = {(data_home, "default"): profiles.keychain_service(data_home, "default"),
                (data_home, "shop2"): profiles.keychain_service(data_home, "shop2"),
                (other_home, "default"): profiles.keychain_service(other_home, "default")}
    assert len(set(services.values())) == 3
    try:
        keychain.set_secret(keychain.CROCO_API_KEY, "ck_default_key_11111111")
        with paths.profile_scope("shop2"):
            assert keychain.get_secret(keychain.CROCO_API_KEY) is None
            keychain.set_secret(keychain.CROCO_API_KEY, "ck_shop2_key_22222222")
        assert keychain.get_secret(keychain.CROCO_API_KEY) == "ck_default_key_11111111"
        # a thread without a scope works on the process's profile; one with a scope on its own
        seen: dict[str, Any] = {}

        def read(label: str, name: str | None) -> None:
            if name is None:
                seen[label] = keychain.get_secret(keychain.CROCO_API_KEY)
            else:
                with paths.profile_scope(name):
                    seen[label] = keychain.get_secret(keychain.CROCO_API_KEY)

        threads = [threading.Thread(target=read, args=("plain", None)),
                   threading.Thread(target=read, args=("shop2", "shop2"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
        assert seen == {"plain": "ck_default_key_11111111", "shop2": "ck_shop2_key_22222222"}
        monkeypatch.setenv("CROCOQB_HOME", str(other_home))  # another data folder (or a copy of this one)
        assert keychain.get_secret(keychain.CROCO_API_KEY) is None
        assert keyring.get_password(BASE, keychain.CROCO_API_KEY) is None
    finally:
        for service in services.values():
            keychain.delete_secret(keychain.CROCO_API_KEY, service=service)


# -- bad input -------------------------------------------------------------------------------------
def test_bad_names_unknown_profiles_and_unconfirmed_or_busy_removals_are_refused(data_home: Path) -> None:
    for bad in ("../other", "a/b", "C:\\x", "", ".hidden", "Shop 2", "x" * 41):
        out = run_cli(data_home, "--profile", bad, "status")
        assert out.returncode == 2 and "Invalid profile name" in out.stderr, (bad, out.stderr)
        assert "Traceback" not in out.stderr
        out = run_cli(data_home, "profile", "add", bad)
        assert out.returncode == 2 and "Invalid profile name" in out.stderr
    assert not (data_home / "other").exists() and not (data_home / "profiles" / "..").resolve() == data_home.parent
    out = run_cli(data_home, "--profile", "nowhere", "sync", "--once")
    assert out.returncode == 2 and "There is no profile 'nowhere'" in out.stderr
    assert "crocoqb profile add nowhere" in out.stderr
    assert not (data_home / "profiles" / "nowhere").exists()

    assert run_cli(data_home, "profile", "add", "shop2").returncode == 0
    again = run_cli(data_home, "profile", "add", "shop2")
    assert again.returncode == 2 and "already exists" in again.stderr
    assert run_cli(data_home, "--profile", "shop2", "config", "set", "croco.location_id", "loc_two").returncode == 0

    unconfirmed = run_cli(data_home, "profile", "remove", "shop2")  # no terminal to ask, no --yes
    assert unconfirmed.returncode == 2 and "--yes" in unconfirmed.stderr
    lock = ProcessLock(data_home / "profiles" / "shop2" / "sync.lock")  # a sync in progress
    assert lock.acquire()
    try:
        busy = run_cli(data_home, "profile", "remove", "shop2", "--yes")
    finally:
        lock.release()
    assert busy.returncode == 2 and "is syncing right now" in busy.stderr, busy.stderr
    window = ServiceLock(data_home / "profiles" / "shop2", OWNER_WINDOW)  # a window serving shop2
    window.acquire()
    try:
        in_use = run_cli(data_home, "profile", "remove", "shop2", "--yes")
    finally:
        window.release()
    assert in_use.returncode == 2 and "in use by the CrocoQB window" in in_use.stderr, in_use.stderr
    assert "Quit the CrocoQB window" in in_use.stderr
    # nothing lost
    got = run_cli(data_home, "--profile", "shop2", "config", "get", "croco.location_id")
    assert got.stdout.strip() == "loc_two"
    gone = run_cli(data_home, "profile", "remove", "nowhere", "--yes")
    assert gone.returncode == 2 and "There is no profile 'nowhere'" in gone.stderr
    removed = run_cli(data_home, "profile", "remove", "shop2", "--yes")
    assert removed.returncode == 0, removed.stderr
    assert not (data_home / "profiles" / "shop2").exists()
    assert [p["name"] for p in json.loads(run_cli(data_home, "profile", "list", "--json").stdout)] == ["default"]


# -- two businesses, two pairs of sandboxes --------------------------------------------------------
def _qbo_writes(world: World) -> int:
    return sum(1 for r in world.qbo.request_log if r["method"] != "GET")


def test_two_profiles_sync_into_their_own_company_only(two_worlds: dict[str, World], data_home: Path) -> None:
    north, south = two_worlds["north"], two_worlds["south"]
    # each profile's secrets under its own service: the other's key, token and realm are never there
    services = {n: profiles.keychain_service(data_home, n) for n in two_worlds}
    assert services["north"] != services["south"]
    assert keyring.get_password(services["north"], "croco.api_key") == north.demo.api_key
    assert keyring.get_password(services["south"], "croco.api_key") == south.demo.api_key
    assert north.demo.api_key != south.demo.api_key
    north_refresh = keyring.get_password(services["north"], "qbo.refresh_token")
    south_refresh = keyring.get_password(services["south"], "qbo.refresh_token")
    assert north_refresh and south_refresh and north_refresh != south_refresh
    assert north_refresh in north.qbo.oauth.refresh and north_refresh not in south.qbo.oauth.refresh
    for name in profiles.SECRET_NAMES:
        assert keyring.get_password(BASE, name) is None

    sale(north, "Nora", "North", "N-1")
    south_writes = _qbo_writes(south)
    south_croco_calls = len(south.croco.request_log)
    assert sync_as("north", north).exit_code == 0
    assert customers(north) == ["Nora North"]
    assert [i["DocNumber"] for i in north.qbo_objects("Invoice")] == ["N-1"]
    assert south.qbo_objects("Customer") == [] and _qbo_writes(south) == south_writes
    assert len(south.croco.request_log) == south_croco_calls  # not even a read

    # both at once, each in its own thread
    sale(south, "Sam", "South", "S-1")
    sale(north, "Ned", "North", "N-2")
    results: dict[str, Any] = {}
    threads = [threading.Thread(target=lambda n=n: results.__setitem__(n, sync_as(n, two_worlds[n])))
               for n in two_worlds]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert results["north"].exit_code == 0 and results["south"].exit_code == 0
    assert customers(north) == ["Ned North", "Nora North"] and customers(south) == ["Sam South"]
    assert [i["DocNumber"] for i in south.qbo_objects("Invoice")] == ["S-1"]

    # removing north revokes its grant and forgets it; south stays connected and keeps syncing
    removed = run_cli(data_home, "profile", "remove", "north", "--yes")
    assert removed.returncode == 0, removed.stderr
    assert "could not be revoked" not in removed.stdout
    assert all(token.grant.revoked for token in north.qbo.oauth.refresh.values())
    assert not any(token.grant.revoked for token in south.qbo.oauth.refresh.values())
    for name in profiles.SECRET_NAMES:
        assert keyring.get_password(services["north"], name) is None
    assert keyring.get_password(services["south"], "croco.api_key") == south.demo.api_key
    assert not (data_home / "profiles" / "north").exists()
    listed = json.loads(run_cli(data_home, "profile", "list", "--json").stdout)
    by_name = {p["name"]: p for p in listed}
    assert set(by_name) == {"default", "south"}
    assert by_name["south"]["quickbooks"]["state"] == "connected" and by_name["south"]["last_sync_at"]
    sale(south, "Sue", "South", "S-2")
    assert sync_as("south", south).exit_code == 0
    assert customers(south) == ["Sam South", "Sue South"]
    gone = run_cli(data_home, "--profile", "north", "status")
    assert gone.returncode == 2 and "There is no profile 'north'" in gone.stderr
