"""A connected world: both sandboxes, a CrocoQB data folder pointed at them, connected to
QuickBooks through the real relay flow (a browser stand-in accepts the consent page)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crocoqb_desktop.sandbox.demo import DemoWorld, connect_world, start_demo_world


class World:
    def __init__(self, demo: DemoWorld) -> None:
        self.demo = demo
        self.croco = demo.croco
        self.qbo = demo.qbo
        self.loc = demo.location_id
        self.realm = demo.realm_id

    def sync(self) -> Any:
        from crocoqb_desktop.app.context import AppContext
        from crocoqb_desktop.app.service import SyncService
        from tests.plugins.invariant import assert_no_limbo

        ctx = AppContext.open()
        try:
            result = SyncService(ctx).sync_once()
            assert_no_limbo(ctx.store, self.qbo, self.realm)  # after every sync of the suite
            return result
        finally:
            ctx.store.close()

    def qbo_objects(self, entity: str) -> list[dict[str, Any]]:
        return self.qbo.entities(self.realm, entity)

    def contact(self, first: str, last: str, email: str | None, **extra: Any) -> dict[str, Any]:
        fields: dict[str, Any] = {"firstName": first, "lastName": last, **extra}
        if email is not None:
            fields["email"] = email
        return self.croco.create_contact(self.loc, **fields)

    def log(self, level: str | None = None) -> list[Any]:
        from crocoqb_desktop.sync.store import StateStore

        store = StateStore()
        try:
            return store.log_entries(min_level=level, limit=10_000)
        finally:
            store.close()


# Both services' rate limits are enforced by the sandboxes; tests run them 60x faster (a minute
# lasts a second) with the app's limiters compressed the same way.
TIME_SCALE = 60.0


def _world(data_home: Path, **kwargs: Any) -> Iterator[World]:
    kwargs.setdefault("time_scale", TIME_SCALE)
    demo = start_demo_world(data_home, seed=False, **kwargs)
    try:
        yield World(demo)
    finally:
        demo.stop()


@pytest.fixture
def world_unconnected(data_home: Path, keychain_clean: None) -> Iterator[World]:
    yield from _world(data_home)


@pytest.fixture
def world(world_unconnected: World) -> World:
    connect_world()
    return world_unconnected


@pytest.fixture
def world_ca(data_home: Path, keychain_clean: None) -> Iterator[World]:
    for w in _world(data_home, qbo_preset="ca", country="CA", currency="CAD"):
        connect_world()
        yield w


def qbo_api(world: World, method: str, path: str, body: Any = None) -> Any:
    """A write or read in QuickBooks made by the user / another app, through the real API."""
    import requests

    tokens = world.qbo.issue_tokens("crocoqb-relay-client", world.realm)
    url = f"{world.qbo.api_base}/v3/company/{world.realm}/{path}"
    sep = "&" if "?" in url else "?"
    answer = requests.request(method, url + f"{sep}minorversion=75", json=body, timeout=10, headers={
        "Authorization": f"Bearer {tokens['access_token']}", "Accept": "application/json"})
    answer.raise_for_status()
    return answer.json()
