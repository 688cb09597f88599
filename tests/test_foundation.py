"""Settings, data folder, keychain, redaction and the state store, through the real parts."""

from __future__ import annotations

import json
import logging
import os
import stat
import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path

import pytest

from crocoqb_desktop import keychain, paths
from crocoqb_desktop.errors import KeychainError, SettingsError
from crocoqb_desktop.logging_setup import configure_logging
from crocoqb_desktop.messages import Message, message
from crocoqb_desktop.redaction import redact, register_secret
from crocoqb_desktop.settings import SPECS, Settings
from crocoqb_desktop.sync.store import SCHEMA_VERSION, StateStore


def test_data_dir_follows_crocoqb_home(data_home: Path) -> None:
    assert paths.data_root() == data_home
    # the active profile's folder (rule 12): profile "default" unless told otherwise
    assert paths.data_dir() == data_home / "profiles" / "default"
    assert data_home.is_dir()
    if os.name == "posix":
        for folder in (data_home, data_home / "profiles", paths.data_dir()):
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_settings_defaults_validation_and_persistence(data_home: Path) -> None:
    settings = Settings()
    assert settings.get("qbo.oauth") == "relay"
    assert settings.get("qbo.requests_per_minute") == 500
    assert settings.get("qbo.batches_per_minute") == 40
    assert settings.get("qbo.throttle_wait_s") == 60.0
    assert settings.set("sync.import_invoices", "oui") is True
    assert settings.set("sync.poll_interval_s", "120") == 120
    # a second instance (another process) reads the same values
    again = Settings()
    assert again.get("sync.import_invoices") is True
    assert again.get("sync.poll_interval_s") == 120
    for key in ["croco.api_base", "croco.location_id", "qbo.oauth", "qbo.client_id", "qbo.auth_url",
                "qbo.token_url", "qbo.revoke_url", "qbo.api_base", "sync.import_invoices",
                "sync.review_automation", "sync.review_channel", "sync.push_interval_s", "sync.poll_interval_s",
                "sync.deposit_account", "sync.default_item", "qbo.requests_per_minute",
                "qbo.batches_per_minute", "qbo.throttle_wait_s"]:
        assert key in SPECS, key


@pytest.mark.parametrize(("key", "value", "expected"), [
    ("qbo.oauth", "magic", "expected one of: relay, direct"),
    ("sync.poll_interval_s", "-4", "from 5 to 86400"),
    ("sync.review_channel", "fax", "email, sms"),
    ("croco.api_base", "http://api.example.com", "only for 127.0.0.1"),
    ("croco.api_base", "ftp://x", "https://"),
    ("sync.import_invoices", "maybe", "true or false"),
])
def test_bad_values_are_refused_with_the_valid_ones(data_home: Path, key: str, value: str, expected: str) -> None:
    with pytest.raises(SettingsError) as info:
        Settings().set(key, value)
    assert expected in info.value.message


def test_unknown_key_names_the_valid_keys(data_home: Path) -> None:
    with pytest.raises(SettingsError) as info:
        Settings().set("sync.colour", "green")
    assert "sync.poll_interval_s" in info.value.message


def test_settings_file_is_user_only_and_holds_no_secret(data_home: Path) -> None:
    Settings().set("croco.location_id", "loc_1")
    file = paths.settings_file()
    assert json.loads(file.read_text()) == {"croco.location_id": "loc_1"}
    if os.name == "posix":
        assert stat.S_IMODE(file.stat().st_mode) == 0o600


def test_keychain_round_trip_uses_the_real_backend(keychain_clean: None) -> None:
    import keyring

    backend = keyring.get_keyring()
    assert "fail" not in type(backend).__module__
    keychain.set_secret(keychain.CROCO_API_KEY, "ck_test_roundtrip_123456")
    assert keychain.get_secret(keychain.CROCO_API_KEY) == "ck_test_roundtrip_123456"
    # stored under the profile's own service based on the test service, never the user's real one
    assert keychain.service_name().startswith("CrocoQB-test/")
    assert keyring.get_password(keychain.service_name(), keychain.CROCO_API_KEY) == "ck_test_roundtrip_123456"
    assert keyring.get_password("CrocoQB-test", keychain.CROCO_API_KEY) is None
    keychain.delete_secret(keychain.CROCO_API_KEY)
    assert keychain.get_secret(keychain.CROCO_API_KEY) is None


def test_keychain_absent_gives_a_clear_error_and_no_plaintext_fallback(data_home: Path) -> None:
    code = (
        "from crocoqb_desktop import keychain\n"
        "from crocoqb_desktop.errors import KeychainError\n"
        "try:\n    keychain.set_secret('x', 'secret-value-1')\n"
        "except KeychainError as e:\n    print('REFUSED', e.title)\n"
    )
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert "REFUSED Keychain unavailable" in out.stdout, out.stderr
    assert not any("secret-value-1" in p.read_text(errors="ignore") for p in data_home.rglob("*") if p.is_file())


def test_too_long_secret_is_refused(keychain_clean: None) -> None:
    with pytest.raises(KeychainError):
        keychain.set_secret(keychain.QBO_REFRESH_TOKEN, "x" * 3000)


def test_redaction_masks_known_values_and_secret_shapes() -> None:
    register_secret("AB11700000supersecretrefresh")
    text = redact("refresh with AB11700000supersecretrefresh and Authorization: Bearer eyJhbGciOi.abc.def "
                  "code=Q0115abcdef&state=x api key ck_live_abcdef123456 client_secret=shh-123456")
    assert "supersecret" not in text
    assert "eyJhbGciOi" not in text
    assert "Q0115abcdef" not in text
    assert "ck_live_abcdef123456" not in text
    assert "shh-123456" not in text


def test_log_file_redacts_secrets(data_home: Path) -> None:
    configure_logging()
    register_secret("tok_live_ZZZ987654321")
    logging.getLogger("crocoqb.test").warning("token is %s", "tok_live_ZZZ987654321")
    try:
        raise RuntimeError("boom with tok_live_ZZZ987654321")
    except RuntimeError:
        logging.getLogger("crocoqb.test").exception("failed")
    for handler in logging.getLogger("crocoqb").handlers:
        handler.flush()
    content = paths.log_file().read_text()
    assert "crocoqb.test [default]: token is ***" in content  # each line names its profile
    assert "tok_live_ZZZ987654321" not in content


def test_store_schema_links_cursors_and_log(data_home: Path) -> None:
    store = StateStore()
    assert store.schema_version() == SCHEMA_VERSION
    store.save_link("customer", "con_1", "58", sync_token="0", fingerprint="f1", extra={"name": "Ann"})
    link = store.link("customer", "con_1")
    assert link is not None and link.qbo_id == "58" and link.extra == {"name": "Ann"}
    assert store.link_by_qbo("customer", "58") == link
    store.set_cursor("croco.events", "000000000000001a")
    store.log("ERROR", "to_qbo", "Invoice INV-1 failed: Bearer abcdefghijkl", record_kind="invoice",
              croco_id="inv_1", fix="Create the tax code")
    entries = store.log_entries(min_level="WARNING")
    assert len(entries) == 1 and "abcdefghijkl" not in entries[0].message and entries[0].fix
    store.close()
    reopened = StateStore()
    assert reopened.cursor("croco.events") == "000000000000001a"
    assert reopened.link("customer", "con_1") == link
    if os.name == "posix":
        assert stat.S_IMODE(paths.state_db_file().stat().st_mode) == 0o600
    mode = reopened._conn.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_store_transaction_is_all_or_nothing(data_home: Path) -> None:
    store = StateStore()
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.enqueue("invoice:inv_1", "invoice", "inv_1", "upsert", {"id": "inv_1"}, "rid-1")
            store.set_cursor("croco.events", "moved")
            raise RuntimeError("crash in the middle")
    assert store.cursor("croco.events") is None
    assert store.outbox_item("invoice:inv_1") is None


def test_outbox_keeps_request_id_and_takes_latest_payload(data_home: Path) -> None:
    store = StateStore()
    assert store.enqueue("invoice:inv_1", "invoice", "inv_1", "upsert", {"v": 1}, "rid-1")
    assert store.enqueue("invoice:inv_1", "invoice", "inv_1", "upsert", {"v": 2}, "rid-2")
    item = store.outbox_item("invoice:inv_1")
    assert item is not None and item.payload == {"v": 2} and item.request_id == "rid-1"
    store.mark_attempt(item.id)
    store.park(item.id, "no tax code", "Create it")
    assert store.outbox_counts()["parked"] == 1
    # a newer snapshot of the record makes it pending again
    store.enqueue("invoice:inv_1", "invoice", "inv_1", "upsert", {"v": 3}, "rid-3")
    assert store.outbox_counts() == {"pending": 1, "parked": 0, "done": 0}


def test_store_is_safe_across_threads(data_home: Path) -> None:
    store = StateStore()

    def work(n: int) -> None:
        for i in range(50):
            with store.transaction():
                store.log("INFO", "system", f"t{n} {i}")
                store.set_cursor(f"c{n}", str(i))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.log_counts()["INFO"] == 400


def test_log_rows_keep_message_ids_and_values(data_home: Path) -> None:
    store = StateStore()
    msg = message("test.invoice_created", "Created invoice {number} (total {total})", number="INV-9",
                  total=Decimal("12.50"))
    fix = message("test.fix", "Create the tax code {code}", code="GST")
    store.log("INFO", "to_qbo", msg, record_kind="invoice", croco_id="inv_9", fix=fix)
    store.log("INFO", "system", "plain text row")
    rows = store.log_entries()
    assert rows[-2].message == "Created invoice INV-9 (total 12.50)"
    assert rows[-2].message_id == "test.invoice_created"
    data = rows[-2].message_data()
    # values keep their type (issue 15: amounts are formatted per language when shown)
    assert isinstance(data, Message) and data.values == {"number": "INV-9", "total": Decimal("12.50")}
    assert str(rows[-2].fix_data()) == "Create the tax code GST"
    assert rows[-1].message_data() == "plain text row" and rows[-1].message_id is None


def test_schema_upgrade_from_version_1_keeps_rows(data_home: Path) -> None:
    import sqlite3

    from crocoqb_desktop import paths as app_paths
    from crocoqb_desktop.sync import store as store_module

    path = app_paths.state_db_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)  # a state file as the first release wrote it
    conn.executescript(store_module._MIGRATIONS[1] + ";INSERT INTO sync_log(ts, level, direction, message) "
                       "VALUES ('t', 'INFO', 'system', 'old'); PRAGMA user_version=1;")
    conn.close()
    store = StateStore(path)
    assert store.schema_version() == SCHEMA_VERSION
    assert [e.message for e in store.log_entries()] == ["old"]
