"""User-visible messages as data: a stable id, the English source text and the values to put in it.

The engine, the CLI and the GUI build messages with `message("problem.deleted_in_qbo", "The invoice
{number} was deleted in QuickBooks.", number="INV-7")`; the sync log stores the id and the values, so a
row can be rendered again in another language later (design-notes rule 13). `render(msg)` turns a
message into text in the current language (`set_language`); the catalogue plugs in through
`set_translator` (crocoqb_desktop.i18n, which reads the French from the same Qt catalogue as the GUI).

Placeholders use `str.format` names only (`{number}`, `{amount}`), never positions or format specs:
the translator formats numbers, amounts (`Money`) and dates for the language itself. A value can
itself be a Message (a record label, an error's reason): it is stored as data too and rendered in the
same language. This module stays import-light: the CLI imports it for every command.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

#: (message, language) -> text, or None to fall back to the English source
Translator = Callable[["Message", str], "str | None"]
_translator: Translator | None = None
_language = "en"


@dataclass(frozen=True)
class Money:
    """An amount of money; rendered `1,234.56` in English and `1 234,56 $` in French."""

    amount: Decimal
    currency: str | None = None

    def __str__(self) -> str:
        return _plain(self.amount)


def money_value(amount: Any, currency: Any = None) -> Money | str:
    """A Money value from what an API sent (Decimal, str, float); the raw text when it is not a number."""
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return str(amount)
    if not value.is_finite():
        return str(amount)
    code = str(currency).upper() if currency and len(str(currency)) == 3 else None
    return Money(value, code)


@dataclass(frozen=True)
class Message:
    id: str
    english: str
    values: Mapping[str, Any] = field(default_factory=dict)
    #: the stored English text, for rows whose template this process does not know
    fallback: str = field(default="", compare=False)

    def __str__(self) -> str:
        if not self.english and self.fallback:
            return self.fallback
        return format_english(self.english, self.values)

    def render(self, language: str | None = None) -> str:
        return render(self, language)

    def values_json(self) -> str:
        return json.dumps(dict(self.values), default=_json_value, ensure_ascii=False, sort_keys=True)


def message(msg_id: str, english: str, **values: Any) -> Message:
    _templates.setdefault(msg_id, english)
    return Message(msg_id, english, values)


def format_english(template: str, values: Mapping[str, Any]) -> str:
    return safe_format(template, {k: _plain(v) for k, v in values.items()})


def safe_format(template: str, values: Mapping[str, Any]) -> str:
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError, AttributeError):
        return template  # a broken template must never hide the row


def render(msg: Message | str | None, language: str | None = None) -> str:
    """The text of a message in `language` (default: the current language, see `set_language`)."""
    if msg is None:
        return ""
    if isinstance(msg, str):
        return msg
    language = language or _language
    if _translator is not None and language != "en":
        text = _translator(msg, language)
        if text is not None:
            return text
    return str(msg)


def set_translator(translator: Translator | None) -> None:
    global _translator
    _translator = translator


def set_language(language: str) -> None:
    global _language
    _language = language


def current_language() -> str:
    return _language


def from_stored(msg_id: str | None, values_json: str | None, english: str) -> Message | str:
    """A sync-log row back as a Message (rows written before messages were data stay plain text)."""
    if not msg_id:
        return english
    try:
        values = json.loads(values_json or "{}")
    except ValueError:
        values = {}
    if not isinstance(values, dict):
        values = {}
    return Message(msg_id, english_template(msg_id) or "", {k: _revive(v) for k, v in values.items()},
                   fallback=english)


#: id -> English template, filled as messages are created, so stored rows find their template
_templates: dict[str, str] = {}


def english_template(msg_id: str) -> str | None:
    return _templates.get(msg_id)


def _plain(value: Any) -> Any:
    if isinstance(value, Message):
        return str(value)
    if isinstance(value, Money):
        return _plain(value.amount)
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value == value.quantize(Decimal("0.01")) else str(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S UTC") if value.tzinfo else value.isoformat(" ")
    return value


# -- storage of typed values ----------------------------------------------------------------------
_NESTED, _DEC, _MONEY, _DATE, _DATETIME = "$message", "$decimal", "$money", "$date", "$datetime"


def _json_value(value: Any) -> Any:
    if isinstance(value, Message):
        # a nested message keeps its id and values, so it is rendered in the row's language too
        return {_NESTED: value.id, "en": str(value) if not value.english else value.english,
                "values": dict(value.values)}
    if isinstance(value, Money):
        return {_MONEY: str(value.amount), "currency": value.currency}
    if isinstance(value, Decimal):
        return {_DEC: str(value)}
    if isinstance(value, dt.datetime):
        return {_DATETIME: value.isoformat()}
    if isinstance(value, dt.date):
        return {_DATE: value.isoformat()}
    return str(value)


def _revive(value: Any) -> Any:
    """Stored values back as they were: nested messages, amounts and dates get their type again."""
    if not isinstance(value, dict):
        return value
    try:
        if _NESTED in value:
            msg_id = str(value[_NESTED])
            raw = value.get("values")
            values = raw if isinstance(raw, dict) else {}
            stored = str(value.get("en") or "")
            return Message(msg_id, english_template(msg_id) or stored,
                           {k: _revive(v) for k, v in values.items()})
        if _MONEY in value:
            return Money(Decimal(str(value[_MONEY])), value.get("currency") or None)
        if _DEC in value:
            return Decimal(str(value[_DEC]))
        if _DATETIME in value:
            return dt.datetime.fromisoformat(str(value[_DATETIME]))
        if _DATE in value:
            return dt.date.fromisoformat(str(value[_DATE]))
    except (InvalidOperation, ValueError, TypeError):
        pass
    return str(value)
