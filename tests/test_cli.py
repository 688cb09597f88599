"""The `crocoqb` command line, run as a real process against the CrocoClick sandbox."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

KEY = "ck_test_sandboxkey_0001"


def run_cli(home: Path, *args: str, stdin: str = "", timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CROCOQB_HOME=str(home), CROCOQB_KEYRING_SERVICE="CrocoQB-test")
    return subprocess.run([sys.executable, "-m", "crocoqb_desktop", *args], input=stdin, env=env,
                          capture_output=True, text=True, timeout=timeout)


def all_text_under(folder: Path) -> str:
    return "\n".join(p.read_bytes().decode("utf-8", "ignore") for p in folder.rglob("*") if p.is_file())


def test_config_set_get_list_and_refusals(data_home: Path) -> None:
    assert run_cli(data_home, "config", "set", "sync.poll_interval_s", "90").returncode == 0
    got = run_cli(data_home, "config", "get", "sync.poll_interval_s")
    assert got.stdout.strip() == "90"
    listing = run_cli(data_home, "config", "list").stdout
    assert "qbo.oauth = relay" in listing and "sync.poll_interval_s = 90" in listing
    bad = run_cli(data_home, "config", "set", "sync.review_channel", "fax")
    assert bad.returncode == 2 and "email, sms" in bad.stderr and "Traceback" not in bad.stderr
    unknown = run_cli(data_home, "config", "set", "sync.colour", "green")
    assert unknown.returncode == 2 and "sync.poll_interval_s" in unknown.stderr


def test_croco_login_stores_key_in_keychain_and_status_shows_location(
    data_home: Path, keychain_clean: None, croco_sandbox
) -> None:
    assert run_cli(data_home, "config", "set", "croco.api_base", croco_sandbox.url).returncode == 0
    login = run_cli(data_home, "croco-login", "--location-id", "loc_demo", stdin=KEY + "\n")
    assert login.returncode == 0, login.stderr
    assert "Atelier Lumière" in login.stdout
    import keyring

    from crocoqb_desktop import keychain

    # under profile "default"'s own service (rule 12), never the shared base service
    assert keyring.get_password(keychain.service_name(), "croco.api_key") == KEY
    assert keychain.service_name().startswith("CrocoQB-test/")
    assert keyring.get_password("CrocoQB-test", "croco.api_key") is None
    status = run_cli(data_home, "status", "--json")
    assert status.returncode == 0, status.stderr
    data = json.loads(status.stdout)
    assert data["crococlick"]["connected"] is True
    assert data["crococlick"]["location_name"] == "Atelier Lumière"
    assert data["quickbooks"]["state"] == "not_connected"
    log = run_cli(data_home, "log", "--json")
    outputs = login.stdout + login.stderr + status.stdout + status.stderr + log.stdout + log.stderr
    assert KEY not in outputs
    assert KEY not in all_text_under(data_home)


def test_wrong_key_exits_2_with_a_plain_message(data_home: Path, keychain_clean: None, croco_sandbox) -> None:
    run_cli(data_home, "config", "set", "croco.api_base", croco_sandbox.url)
    bad = run_cli(data_home, "croco-login", "--location-id", "loc_demo", stdin="ck_test_not_a_real_key_99\n")
    assert bad.returncode == 2
    assert "CrocoClick refused the API key (401)" in bad.stderr
    assert "Traceback" not in bad.stderr
    assert "ck_test_not_a_real_key_99" not in bad.stderr + bad.stdout
    assert "ck_test_not_a_real_key_99" not in all_text_under(data_home)
    import keyring

    assert keyring.get_password("CrocoQB-test", "croco.api_key") is None


@pytest.mark.parametrize("kind", ["malformed_json", "wrong_content_type", "500"])
def test_broken_server_answers_never_give_a_traceback(data_home: Path, keychain_clean: None, croco_sandbox,
                                                      kind: str) -> None:
    run_cli(data_home, "config", "set", "croco.api_base", croco_sandbox.url)
    croco_sandbox.inject(kind, 10, path_contains="/me")
    out = run_cli(data_home, "croco-login", "--location-id", "loc_demo", stdin=KEY + "\n")
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert "CrocoClick" in out.stderr


def test_sync_without_setup_exits_2_and_says_what_to_do(data_home: Path, keychain_clean: None) -> None:
    out = run_cli(data_home, "sync", "--once")
    assert out.returncode == 2
    assert "croco-login" in out.stderr + out.stdout
    assert "Traceback" not in out.stderr
