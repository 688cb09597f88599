"""User-visible texts shared by several widgets: the sync rules, progress stages, error wording,
log levels and directions, and date formatting. Everything goes through Qt's translator
(context "Texts"), so French and English follow the `ui.language` setting."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale, Qt

from crocoqb_desktop.errors import CrocoQBError, KeychainError, NetworkError, ReconnectNeeded
from crocoqb_desktop.messages import render

# lupdate finds `translate("Context", "text")` calls: keep the context literal at each call.
translate = QCoreApplication.translate


# -- progress stages (the engine reports them in English) ------------------------------------------
def stage_text(stage: str) -> str:
    known = {
        "Importing QuickBooks customers": translate("Texts", "Importing QuickBooks customers"),
        "Importing QuickBooks invoices": translate("Texts", "Importing QuickBooks invoices"),
        "Sending to QuickBooks": translate("Texts", "Sending to QuickBooks"),
    }
    return known.get(stage, stage)


# -- log levels, directions and record kinds ---------------------------------------------------------
def level_text(level: str) -> str:
    return {"DEBUG": translate("Texts", "Detail"), "INFO": translate("Texts", "Info"), "WARNING": translate("Texts", "Warning"), "ERROR": translate("Texts", "Error")}.get(
        level, level)


def direction_text(direction: str) -> str:
    return {"to_qbo": translate("Texts", "To QuickBooks"), "to_croco": translate("Texts", "To CrocoClick"), "system": translate("Texts", "App")}.get(
        direction, direction)


RECORD_KINDS = ("customer", "invoice", "payment", "refund", "item", "review", "invoice_import")


def kind_text(kind: str | None) -> str:
    if not kind:
        return ""
    return {"customer": translate("Texts", "Customer"), "invoice": translate("Texts", "Invoice"), "payment": translate("Texts", "Payment"),
            "refund": translate("Texts", "Refund"), "item": translate("Texts", "Item"), "review": translate("Texts", "Review request"),
            "invoice_import": translate("Texts", "Imported invoice")}.get(kind, kind)


# -- errors ------------------------------------------------------------------------------------------
def error_texts(exc: BaseException) -> tuple[str, str, str]:
    """(title, message, fix) in the interface language for the errors a user meets in the window;
    the engine's own (English) wording for the others."""
    from crocoqb_desktop.croco.errors import CrocoAuthError, CrocoForbidden

    if isinstance(exc, CrocoAuthError):
        return (translate("Texts", "CrocoClick refused the API key"),
                translate("Texts", "Check that the key was copied whole and is still active."),
                translate("Texts", "Create a new API key in CrocoClick (Settings > Integrations > API keys) and paste it here."))
    if isinstance(exc, CrocoForbidden):
        return (translate("Texts", "CrocoClick refused access to this location"),
                translate("Texts", "The location id may be wrong, or the key lacks a permission."),
                translate("Texts", "Check the location id and the API key's permissions in CrocoClick."))
    if isinstance(exc, NetworkError):
        return (translate("Texts", "Cannot reach the service"), render(exc.message_msg),
                translate("Texts", "Check the internet connection, then try again."))
    if isinstance(exc, KeychainError):
        return (translate("Texts", "The system keychain is not available"), render(exc.message_msg),
                render(exc.fix_msg))
    if isinstance(exc, ReconnectNeeded):
        return (translate("Texts", "QuickBooks needs to be reconnected"), render(exc.message_msg),
                translate("Texts", "Press Reconnect, sign in to QuickBooks and accept."))
    if isinstance(exc, CrocoQBError):
        return render(exc.title_msg), render(exc.message_msg), render(exc.fix_msg)
    return (translate("Texts", "Something went wrong"), translate("Texts", "Unexpected error (%1).").replace("%1", exc.__class__.__name__),
            translate("Texts", "Export a diagnostic bundle from the log and send it to support."))


def error_html(exc: BaseException) -> str:
    title, message, fix = error_texts(exc)
    html = f"<b>{escape(title)}</b><br>{escape(message)}"
    if fix:
        html += "<br><i>" + escape(translate("Texts", "What to do:")) + " " + escape(fix) + "</i>"
    return html


def escape(text: str) -> str:
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# -- dates ---------------------------------------------------------------------------------------------
def parse_utc(iso: str | None) -> QDateTime | None:
    if not iso:
        return None
    value = QDateTime.fromString(iso.rstrip("Z"), Qt.DateFormat.ISODateWithMs)
    if not value.isValid():
        value = QDateTime.fromString(iso.rstrip("Z"), Qt.DateFormat.ISODate)
    if not value.isValid():
        return None
    value.setTimeZone(QDateTime.currentDateTimeUtc().timeZone())
    return value.toLocalTime()


def when_text(value: QDateTime | None) -> str:
    """"today at 14:05", "yesterday at 09:12" or a short date and time, in the interface language."""
    if value is None:
        return translate("Texts", "never")
    locale = QLocale()
    time_text = locale.toString(value.time(), QLocale.FormatType.ShortFormat)
    today = QDateTime.currentDateTime().date()
    if value.date() == today:
        return translate("Texts", "today at %1").replace("%1", time_text)
    if value.date() == today.addDays(-1):
        return translate("Texts", "yesterday at %1").replace("%1", time_text)
    return locale.toString(value, QLocale.FormatType.ShortFormat)


def log_time_text(iso: str) -> str:
    value = parse_utc(iso)
    if value is None:
        return iso
    return QLocale().toString(value, "yyyy-MM-dd HH:mm:ss")


def next_sync_text(when: datetime | None, paused: bool, ready: bool) -> str:
    if paused:
        return translate("Texts", "paused")
    if not ready:
        return translate("Texts", "after set-up")
    if when is None:
        return translate("Texts", "not scheduled")
    seconds = int((when - datetime.now(when.tzinfo)).total_seconds())
    if seconds <= 5:
        return translate("Texts", "in a moment")
    if seconds < 60:
        return translate("Texts", "in %n second(s)", "", seconds)
    minutes = round(seconds / 60)
    if minutes < 120:
        return translate("Texts", "in %n minute(s)", "", minutes)
    return translate("Texts", "at %1").replace("%1", QLocale().toString(QDateTime.fromSecsSinceEpoch(int(when.timestamp())).time(),
                                                          QLocale.FormatType.ShortFormat))


# -- the sync rules, as the "What is synced" page shows them (design-notes section 1) -------------------
def sync_rules(settings: dict[str, Any]) -> list[tuple[str, list[tuple[str, str, bool | None]]]]:
    """[(section title, [(rule title, explanation, on/off or None when always on)])]."""
    deposit = settings.get("sync.deposit_account") or translate("Texts", "Undeposited Funds")
    default_item = settings.get("sync.default_item")
    channel = translate("Texts", "SMS") if settings.get("sync.review_channel") == "sms" else translate("Texts", "email")
    import_on = bool(settings.get("sync.import_invoices"))
    review_on = bool(settings.get("sync.review_automation"))
    items_text = (translate("Texts", "Each line item is matched to a QuickBooks product or service (by product, then by name). "
                     "Lines that match nothing use the item \"%1\".").replace("%1", default_item)
                  if default_item else
                  translate("Texts", "Each line item is matched to a QuickBooks product or service (by product, then by name). "
                     "Lines that match nothing get a new service item."))
    return [
        (translate("Texts", "CrocoClick → QuickBooks"), [
            (translate("Texts", "Customers"),
             translate("Texts", "When a contact is billed or pays, a QuickBooks customer is created, or the existing one with the "
                "same email is updated (never duplicated). Later edits of linked contacts follow. If the name is "
                "already taken in QuickBooks, a unique name is chosen and the log says so."), None),
            (translate("Texts", "Payments → sales receipts"),
             translate("Texts", "Successful payments from order forms, subscriptions, checkouts, calendar bookings and manual "
                "entries become sales receipts, deposited to %1. A payment of an invoice is recorded against "
                "that invoice, never as a second sale. Refunds become refund receipts.").replace("%1", deposit),
             None),
            (translate("Texts", "Invoices"),
             translate("Texts", "When an invoice is marked sent, it is created in QuickBooks; later changes follow (number, "
                "status, dates, amounts, lines, taxes, discount). Only invoices sent after the connection are "
                "sent automatically. Invoices imported from QuickBooks are never sent back."), None),
            (translate("Texts", "Items, taxes and totals"),
             items_text + " " +
             translate("Texts", "Taxes follow your region. A tax that cannot be matched stops only that document, and the log "
                "says what to create in QuickBooks. Every total is compared with CrocoClick's."), None),
        ]),
        (translate("Texts", "QuickBooks → CrocoClick"), [
            (translate("Texts", "Contacts"),
             translate("Texts", "When you connect, all QuickBooks customers are imported (matched by email to your contacts "
                "first). New and changed customers keep coming, with a short delay."), None),
            (translate("Texts", "Import invoices"),
             translate("Texts", "When you connect, past QuickBooks invoices are imported into CrocoClick with their amounts "
                "paid.") if import_on else
             translate("Texts", "Off: past QuickBooks invoices are not imported. Only invoices sent after the connection are "
                "synced."), import_on),
            (translate("Texts", "Review automation"),
             translate("Texts", "When a customer's first invoice is fully paid in QuickBooks, one review request is sent by "
                "%1 through CrocoClick, once per contact.").replace("%1", channel) if review_on else
             translate("Texts", "Off: no review requests are sent."), review_on),
        ]),
    ]
