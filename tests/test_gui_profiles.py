"""The desktop app with several profiles (rule 12): the switcher with each profile's status, adding a
profile, and the tray (worst state across profiles, Sync now per profile or all). Real widgets
(offscreen), two profiles each connected to its own pair of sandboxes, the real keychain."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402

from crocoqb_desktop import paths  # noqa: E402
from crocoqb_desktop.errors import CrocoQBError  # noqa: E402
from crocoqb_desktop.gui import i18n  # noqa: E402
from crocoqb_desktop.gui.app import CrocoQBApp  # noqa: E402
from crocoqb_desktop.gui.profiles_tray import ProfilesTray  # noqa: E402
from crocoqb_desktop.gui.profiles_view import ProfileBar, ProfileSet  # noqa: E402
from tests.plugins.profile_fixtures import invoice_numbers, sale  # noqa: E402
from tests.plugins.world_fixtures import World  # noqa: E402

SYNC_TIMEOUT_MS = 60_000


def until(qtbot: Any, condition: Any, timeout: int = 10_000) -> None:
    qtbot.waitUntil(lambda: bool(condition()), timeout=timeout)


@pytest.fixture
def profiles_app(two_worlds: dict[str, World], qtbot: Any) -> Any:
    i18n.install_language("en")
    profile_set = ProfileSet(start_scheduler=False)
    app = CrocoQBApp(profile_set.contexts[profile_set.current], open_url=lambda url: True, tray_available=True,
                     profiles=profile_set)
    app.start()
    until(qtbot, lambda: all(c.status is not None for c in profile_set.controllers.values()))
    yield app
    until(qtbot, lambda: not any(c.syncing for c in profile_set.controllers.values()), timeout=SYNC_TIMEOUT_MS)
    app.shutdown()
    until(qtbot, lambda: all(c.tasks.io_active == 0 for c in profile_set.controllers.values()))
    profile_set.close_stores()
    paths.use_profile(paths.DEFAULT_PROFILE)


def bar_of(app: CrocoQBApp) -> ProfileBar:
    bar = app.window.findChild(ProfileBar)
    assert bar is not None and bar.isVisibleTo(app.window)
    return bar


def wait_synced(qtbot: Any, app: CrocoQBApp, name: str, previous: Any) -> Any:
    controller = app.profiles.controller(name)  # type: ignore[union-attr]
    until(qtbot, lambda: not controller.syncing and controller.last_result is not None
          and controller.last_result is not previous, timeout=SYNC_TIMEOUT_MS)
    return controller.last_result


def test_switcher_lists_each_profile_with_its_status_and_switches_the_window(profiles_app: CrocoQBApp,
                                                                           qtbot: Any, data_home: Path) -> None:
    app, profile_set = profiles_app, profiles_app.profiles
    assert profile_set is not None
    bar = bar_of(app)
    assert [bar.combo.itemData(i) for i in range(bar.combo.count())] == ["default", "north", "south"]
    north_text = bar.combo.itemText(1)
    assert north_text == "north (Atelier Lumière) — Up to date · last sync never", north_text
    assert bar.combo.itemText(0).startswith("default — Not connected")
    assert bar.others_label.text() == "Other businesses: north (Up to date), south (Up to date)"
    assert app.window.croco_card.isVisible()

    bar.combo.setCurrentIndex(2)  # south
    until(qtbot, lambda: app.controller is profile_set.controller("south"))
    assert paths.active_profile() == "south" and app.controller.profile == "south"
    assert app.window.isVisible() and bar_of(app).combo.currentData() == "south"
    until(qtbot, lambda: app.window.qbo_card.stack.currentIndex() == 2)  # south's QuickBooks: connected

    # adding a profile runs the usual set-up: an empty profile, shown at once
    refused: list[CrocoQBError] = []
    profile_set.show_error = lambda parent, exc: refused.append(exc)
    profile_set.ask_name = lambda parent: "../east"
    assert bar_of(app).add_profile() is None
    assert refused and refused[0].title == "Invalid profile name"
    profile_set.ask_name = lambda parent: "north"
    assert bar_of(app).add_profile() is None and refused[-1].title == "Profile exists"
    profile_set.ask_name = lambda parent: "East"
    qtbot.mouseClick(bar_of(app).add_button, Qt.MouseButton.LeftButton)
    until(qtbot, lambda: profile_set.current == "east" and app.controller.status is not None)
    assert (data_home / "profiles" / "east" / "profile.json").exists()
    assert app.controller.profile == "east" and not (app.controller.status or {})["crococlick"]["connected"]
    assert [bar_of(app).combo.itemData(i) for i in range(bar_of(app).combo.count())] == \
        ["default", "east", "north", "south"]
    assert app.window.croco_card.isVisible()


def test_tray_shows_the_worst_state_and_syncs_one_profile_or_all(profiles_app: CrocoQBApp, qtbot: Any,
                                                                two_worlds: dict[str, World]) -> None:
    app, profile_set = profiles_app, profiles_app.profiles
    assert profile_set is not None
    tray = app.tray
    assert isinstance(tray, ProfilesTray)
    north, south = two_worlds["north"], two_worlds["south"]
    # the unused "default" profile does not turn the tray grey while north and south are set up
    assert tray.state == "ok" and tray.status_action.text() == "All 2 businesses up to date"
    names = [a.text() for a in tray.menu.actions() if a.text()]
    assert names[1:] == ["Sync all now", "Sync now", "Open CrocoQB", "Pause syncing", "Quit"]
    assert [a.text() for a in tray.sync_menu.actions()] == ["default", "north", "south"]

    sale(north, "Nora", "North", "N-1")
    sale(south, "Sam", "South", "S-1")
    previous = profile_set.controller("south").last_result
    tray.sync_actions["south"].trigger()  # Sync now: south only
    assert wait_synced(qtbot, app, "south", previous).exit_code == 0
    assert invoice_numbers(south) == ["S-1"] and invoice_numbers(north) == []
    before = {n: profile_set.controller(n).last_result for n in ("north", "south")}
    tray.sync_all_action.trigger()
    for name in ("north", "south"):
        assert wait_synced(qtbot, app, name, before[name]).exit_code == 0
    assert invoice_numbers(north) == ["N-1"] and invoice_numbers(south) == ["S-1"]

    # north's grant revoked: the tray turns to a problem naming north; south stays up to date
    north.qbo.revoke_grant(north.realm)
    sale(north, "Ned", "North", "N-2")
    previous = profile_set.controller("north").last_result
    tray.sync_actions["north"].trigger()
    assert wait_synced(qtbot, app, "north", previous).exit_code == 2
    until(qtbot, lambda: tray.state == "problem")
    assert tray.status_action.text() == "north: QuickBooks needs to be reconnected"
    assert ("north: QuickBooks needs to be reconnected", profile_set.controller("north").problems[0].fix) \
        in tray.notifications
    assert profile_set.controller("south").state == "ok"
    assert bar_of(app).combo.itemText(1).startswith("north (Atelier Lumière) — Needs attention · last sync today")
    assert bar_of(app).combo.itemText(1).endswith(" · 1 problem")
    assert bar_of(app).combo.itemText(2).startswith("south (Atelier Lumière) — Up to date · last sync today")
    assert bar_of(app).others_label.text() == \
        "Other businesses: north (Needs attention), south (Up to date)"
    sale(south, "Sue", "South", "S-2")
    previous = profile_set.controller("south").last_result
    tray.sync_actions["south"].trigger()
    assert wait_synced(qtbot, app, "south", previous).exit_code == 0
    assert invoice_numbers(south) == ["S-1", "S-2"] and invoice_numbers(north) == ["N-1"]

    tray.pause_action.trigger()  # every profile's schedule
    assert all(c.paused for c in profile_set.controllers.values()) and tray.pause_action.text() == "Resume syncing"
    tray.pause_action.trigger()
    assert not any(c.paused for c in profile_set.controllers.values())
    assert tray.pause_action.text() == "Pause syncing"
