"""Shared test fixtures. Sandbox fixtures live in tests/plugins/ (one module per sandbox)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest_plugins = [
    "tests.plugins.croco_sandbox_fixtures",
    "tests.plugins.qbo_sandbox_fixtures",
    "tests.plugins.world_fixtures",
    "tests.plugins.proof_helpers",
    "tests.plugins.profile_fixtures",
]

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = Path(os.environ.get("CROCOQB_SHARED", REPO_ROOT.parent / "shared"))
QBO_FIXTURES = SHARED_DIR / "fixtures" / "qbo"
QBO_XSD_DIR = SHARED_DIR / "fixtures" / "qbo-xsd"
CROCO_SPEC = SHARED_DIR / "crococlick-api.yaml"


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh CROCOQB_HOME for the test, and fresh logging handlers pointing into it."""
    from crocoqb_desktop.logging_setup import reset_logging_for_tests

    home = tmp_path / "crocoqb-home"
    monkeypatch.setenv("CROCOQB_HOME", str(home))
    # tests use their own keychain service: a developer's real CrocoQB secrets are never touched
    monkeypatch.setenv("CROCOQB_KEYRING_SERVICE", "CrocoQB-test")
    reset_logging_for_tests()
    yield home
    reset_logging_for_tests()


@pytest.fixture
def keychain_clean(data_home: Path) -> Iterator[None]:
    """Removes every CrocoQB secret from the real keychain before and after the test."""
    from crocoqb_desktop import keychain

    names = [keychain.CROCO_API_KEY, keychain.QBO_REFRESH_TOKEN, keychain.QBO_REALM_ID, keychain.QBO_CLIENT_SECRET]
    for name in names:
        keychain.delete_secret(name)
    yield
    for name in names:
        keychain.delete_secret(name)
