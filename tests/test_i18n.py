"""Messages in the user's language (design-notes rule 13): the catalogue is complete for every message
id in the code, French texts keep the placeholders and the typography, numbers, amounts and dates are
formatted by locale, stored log rows are rendered again in another language, and the CLI follows
`ui.language`."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from crocoqb_desktop import i18n, message_catalog, messages
from crocoqb_desktop.messages import Message, Money, message, render
from crocoqb_desktop.sync.store import StateStore

TRANSLATIONS = Path(__file__).resolve().parents[1] / "resources" / "translations"
NBSP = "\u00a0"

#: English words that never appear in a French message (whole words, any case)
ENGLISH = re.compile(r"\b(the|was|were|not|and|with|from|into|created|updated|imported|recorded|matched|"
                     r"linked|failed|finished|what|could|cannot|has|have|its|this|that|sync|will|retry)\b",
                     re.IGNORECASE)


@pytest.fixture(autouse=True)
def english_afterwards() -> Any:
    yield
    i18n.install("en")


def french_catalogue() -> dict[str, message_catalog.Entry]:
    return message_catalog.read_ts(TRANSLATIONS / "messages_fr.ts")


def test_every_message_id_has_english_and_french_text_with_the_same_placeholders() -> None:
    code = message_catalog.scan()  # every message("id", "English") in crocoqb_desktop, literal ids only
    french = french_catalogue()
    assert len(code) > 300
    missing = sorted(set(code) - set(french))
    extra = sorted(set(french) - set(code))
    assert not missing, f"ids without French (run resources/translations/update.py, then translate): {missing}"
    assert not extra, f"French for ids no longer in the code (run update.py): {extra}"
    for msg_id, english in code.items():
        entry = french[msg_id]
        assert english.strip(), msg_id
        assert entry.finished and entry.translation.strip(), f"{msg_id} is not translated"
        assert entry.english == english, f"{msg_id}: English changed since the French was written"
        assert message_catalog.placeholders(entry.translation) == message_catalog.placeholders(english), msg_id


def test_the_check_finds_a_missing_or_extra_placeholder(tmp_path: Path) -> None:
    assert message_catalog.placeholders("{label} n'a pas {reason}") == {"label", "reason"}
    assert message_catalog.placeholders("{label}") != message_catalog.placeholders("{label} {reason}")
    # a message built from a variable cannot be catalogued: the scan refuses it
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "bad.py").write_text("text = 'x'\nmessage('a.b', text)\n", encoding="utf-8")
    with pytest.raises(message_catalog.ScanError):
        message_catalog.scan(tmp_path / "pkg")
    (tmp_path / "pkg" / "bad.py").write_text("message('a.b', 'one')\nmessage('a.b', 'two')\n", encoding="utf-8")
    with pytest.raises(message_catalog.ScanError):
        message_catalog.scan(tmp_path / "pkg")


def test_no_placeholder_name_looks_like_a_secret_to_the_redaction() -> None:
    """Values are stored redacted: a placeholder called `code` or `token` would lose its value."""
    from crocoqb_desktop.redaction import redact

    for msg_id, english in message_catalog.scan().items():
        for name in message_catalog.placeholders(english):
            stored = json.dumps({name: "value-1234"})
            assert redact(stored) == stored, f"{msg_id}: rename the placeholder {name}"


def test_compiled_catalogue_matches_the_sources() -> None:
    """The .qm the app loads was rebuilt after the last change to messages_fr.ts."""
    for msg_id, entry in french_catalogue().items():
        assert i18n.template(msg_id, "fr") == entry.translation, f"{msg_id}: run update.py"
    assert i18n.template("no.such.id", "fr") is None


def test_french_typography_no_break_space_before_double_punctuation() -> None:
    for msg_id, entry in french_catalogue().items():
        text = re.sub(r"`[^`]*`|https?://\S+|\{[a-z_0-9]*\}", "x", entry.translation)  # code, URLs, values
        for match in re.finditer(r"[:;?!](?!//)", text):
            before = text[match.start() - 1] if match.start() else ""
            assert before in (NBSP, ""), f"{msg_id}: {before!r} before {match.group()!r} in {entry.translation!r}"
        assert "« " not in text and " »" not in text, msg_id


def test_french_number_amount_and_date_formats() -> None:
    assert i18n.format_value(Money(Decimal("1234.56"), "CAD"), "fr") == f"1{NBSP}234,56{NBSP}$"
    assert i18n.format_value(Money(Decimal("1234.5"), "USD"), "en") == "$1,234.50"
    assert i18n.format_value(Money(Decimal("1234.56")), "fr") == f"1{NBSP}234,56"
    assert i18n.format_value(dt.date(2026, 12, 5), "fr") == "5 déc. 2026"
    assert i18n.format_value(dt.date(2026, 12, 5), "en") == "Dec 5, 2026"
    assert i18n.format_value(Decimal("12.50"), "fr") == "12,50"
    assert i18n.format_value(1234, "fr") == f"1{NBSP}234"
    assert i18n.format_value(1.5, "fr") == "1,5"
    assert i18n.format_value("INV-1234", "fr") == "INV-1234"  # text stays as it is

    i18n.install("fr")
    created = message("push.invoice_created", "Created invoice {number} in QuickBooks (total {total})",
                      number="INV-7", total=Money(Decimal("1234.56"), "CAD"))
    assert render(created) == f"Facture INV-7 créée dans QuickBooks (total 1{NBSP}234,56{NBSP}$)"
    assert str(created) == "Created invoice INV-7 in QuickBooks (total 1234.56)"  # stored English unchanged
    assert render(created, "en") == str(created)


def test_nested_messages_and_typed_values_survive_the_log_and_render_in_both_languages(data_home: Path) -> None:
    store = StateStore()
    try:
        reason = message("qbo.error", "QuickBooks error {error}: {qbo_text}", error="6000",
                         qbo_text="Invalid")
        label = message("label.invoice.cap", "Invoice {number}", number="INV-9")
        store.log("ERROR", "to_qbo", message("push.not_sent", "{label} was not sent to QuickBooks: {reason}",
                                             label=label, reason=reason),
                  record_kind="invoice", croco_id="inv_9",
                  fix=message("push.total_differs.fix", "Check the tax codes and rounding settings in QuickBooks "
                              "for this document."))
        store.log("INFO", "to_croco", message("pull.clock_future", "x {time}", time=dt.datetime(2026, 12, 5, 9, 30)))
        store.log("INFO", "system", "a row written before messages were data")
        rows = store.log_entries()
    finally:
        store.close()
    failed, clock, old = rows
    assert failed.message == "Invoice INV-9 was not sent to QuickBooks: QuickBooks error 6000: Invalid"
    data = failed.message_data()
    assert isinstance(data, Message) and isinstance(data.values["label"], Message)
    assert render(data, "fr") == f"Échec de l'envoi à QuickBooks (Facture INV-9){NBSP}: Erreur QuickBooks 6000{NBSP}: Invalid"
    assert render(data, "en") == failed.message
    assert render(failed.fix_data(), "fr").startswith("Vérifiez les codes de taxe")
    assert "5 déc. 2026" in render(clock.message_data(), "fr")
    assert render(old.message_data(), "fr") == "a row written before messages were data"  # nothing to translate


def test_rows_whose_template_this_process_never_saw_keep_their_english_and_get_their_french() -> None:
    row = messages.from_stored("push.invoice_voided.not_imported_here", '{"number": "INV-1"}', "Voided INV-1")
    assert str(row) == "Voided INV-1"
    real = messages.from_stored("push.invoice_voided", '{"number": "INV-1"}', "Voided invoice INV-1 in QuickBooks")
    assert render(real, "fr") == "Facture INV-1 annulée dans QuickBooks"


def test_ui_language_default_follows_the_system(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("LANG", "fr_CA.UTF-8")
    assert i18n.resolve_language("system") == "fr"
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert i18n.resolve_language("system") == "en"
    assert i18n.resolve_language("fr") == "fr" and i18n.resolve_language("en") == "en"


def test_cli_follows_ui_language(data_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from crocoqb_desktop import cli
    from crocoqb_desktop.settings import Settings

    store = StateStore()
    store.log("INFO", "to_qbo", message("push.invoice_voided", "Voided invoice {number} in QuickBooks", number="INV-3"))
    store.close()
    Settings().set("ui.language", "fr")
    assert cli.main(["log"]) == 0
    out = capsys.readouterr()
    assert "Facture INV-3 annulée dans QuickBooks" in out.out and "Voided" not in out.out
    assert "fichier journal" in out.err
    assert cli.main(["config", "set", "ui.language"]) == 2
    assert "Valeur manquante" in capsys.readouterr().err
    Settings().set("ui.language", "en")
    assert cli.main(["log"]) == 0
    assert "Voided invoice INV-3 in QuickBooks" in capsys.readouterr().out


def test_french_cli_run_of_a_demo_sync_prints_only_french(world, capsys: pytest.CaptureFixture[str]) -> None:
    from crocoqb_desktop import cli
    from crocoqb_desktop.settings import Settings

    w = world
    seed_activity(w)
    Settings().set("ui.language", "fr")
    assert cli.main(["sync", "--once"]) == 1  # the contact without an email fails, the rest goes through
    out = capsys.readouterr().out
    assert out.startswith("Synchronisation terminée"), out
    assert not ENGLISH.search(out), out
    assert cli.main(["log"]) == 0
    printed = capsys.readouterr().out
    lines = [line for line in printed.splitlines() if line.strip()]
    assert len(lines) > 10
    for line in lines:
        assert not ENGLISH.search(line.split(" ", 3)[-1]), line  # after the time, level and direction columns
    assert_all_french(w.log())


# -- helpers shared with the GUI language tests ------------------------------------------------------------
def seed_activity(w: Any) -> None:
    """A business day: contacts, invoices (one with a discount and tax), payments, a QuickBooks customer
    to import, and a contact without an email whose invoice cannot be sent (an error with a fix)."""
    w.qbo.put_entity(w.realm, "Customer", {"DisplayName": "Weiskopf Consulting",
                                           "PrimaryEmailAddr": {"Address": "nicole@weiskopf.example"}})
    for first, last, email in [("Alice", "Martin", "alice.martin@example.com"),
                               ("Bruno", "Lefèvre", "bruno@example.fr"),
                               ("Chloé", "Dubois", "chloe.dubois@example.com")]:
        w.contact(first, last, email)
    w.demo.add_activity(1)
    karim = w.contact("Karim", "Benali", None, phone="+33612345678")
    w.croco.create_invoice(w.loc, contact_id=karim["id"], number="INV-2099", send=True,
                           items=[{"name": "Website audit", "quantity": 1, "unitPrice": "450.00"}])


def assert_all_french(rows: list[Any]) -> None:
    """Every row is a message with French text (nested messages too), and its French has no English."""
    assert rows
    for row in rows:
        data = row.message_data()
        assert isinstance(data, Message), row.message
        assert_translated(data)
        assert not ENGLISH.search(render(data, "fr")), render(data, "fr")
        if row.fix:
            fix = row.fix_data()
            assert isinstance(fix, Message), row.fix
            assert_translated(fix)


def assert_translated(msg: Message) -> None:
    assert i18n.template(msg.id, "fr") is not None, msg.id
    for value in msg.values.values():
        if isinstance(value, Message):
            assert_translated(value)
