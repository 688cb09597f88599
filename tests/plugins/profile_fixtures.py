"""Profiles (rule 12): `two_worlds` gives profiles "north" and "south" of one data folder, each
connected (real relay flow) to its own pair of sandboxes (CrocoClick + QuickBooks)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crocoqb_desktop import keychain, paths, profiles
from crocoqb_desktop.sandbox.demo import connect_world, start_demo_world
from tests.plugins.world_fixtures import TIME_SCALE, World


def start_profile_world(home: Path, name: str) -> World:
    if name != profiles.DEFAULT:
        profiles.add(home, name)
    with paths.profile_scope(name):
        world = World(start_demo_world(home, seed=False, time_scale=TIME_SCALE))
        connect_world()
    return world


@pytest.fixture
def two_worlds(data_home: Path) -> Iterator[dict[str, World]]:
    worlds: dict[str, World] = {}
    try:
        for name in ("north", "south"):
            worlds[name] = start_profile_world(data_home, name)
        yield worlds
    finally:
        for name, world in worlds.items():
            world.demo.stop()
            if (data_home / "profiles" / name / profiles.PROFILE_FILE).exists():
                service = profiles.keychain_service(data_home, name)
                for secret in profiles.SECRET_NAMES:
                    keychain.delete_secret(secret, service=service)


def sale(world: World, first: str, last: str, number: str) -> None:
    """A contact and an invoice sent to them: what the sync takes to QuickBooks."""
    contact = world.contact(first, last, f"{first.lower()}@{last.lower()}.example")
    world.croco.create_invoice(world.loc, contact_id=contact["id"], number=number, send=True,
                               items=[{"name": "Service", "quantity": 1, "unitPrice": "40.00"}])


def invoice_numbers(world: World) -> list[str]:
    return sorted(str(i.get("DocNumber")) for i in world.qbo_objects("Invoice"))


def customers(world: World) -> list[str]:
    return sorted(c["DisplayName"] for c in world.qbo_objects("Customer"))


def sync_as(name: str, world: World) -> Any:
    with paths.profile_scope(name):
        return world.sync()
