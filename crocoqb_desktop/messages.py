"""User-visible messages as data: a stable id, the English source text and the values to put in it.

The engine, the CLI and the GUI build messages with `message("problem.deleted_in_qbo", "The invoice
{number} was deleted in QuickBooks.", number="INV-7")`; the sync log stores the id and the values, so a
row can be rendered again in another language later (design-notes rule 13). `render(msg, language)`
turns a message into text; the translation catalogue plugs in through `set_translator`.

Placeholders use `str.format` names only (`{number}`, `{amount}`), never positions or format specs:
the translator formats amounts and dates for the language itself. A value can itself be a Message (a
record label, an error's reason): it is stored as data too and rendered in the same language.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

#: (message, language) -> text, or None to fall back to the English source
Translator = Callable[["Message", str], "str | None"]
_translator: Translator | None = None


@dataclass(frozen=True)
class Message:
    id: str
    english: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return format_english(self.english, self.values)

    def render(self, language: str = "en") -> str:
        return render(self, language)

    def values_json(self) -> str:
        return json.dumps(dict(self.values), default=_json_value, ensure_ascii=False, sort_keys=True)


def message(msg_id: str, english: str, **values: Any) -> Message:
    _templates.setdefault(msg_id, english)
    return Message(msg_id, english, values)


def format_english(template: str, values: Mapping[str, Any]) -> str:
    try:
        return template.format(**{k: _plain(v) for k, v in values.items()})
    except (KeyError, IndexError, ValueError):
        return template  # a broken template must never hide the row


def render(msg: Message | str | None, language: str = "en") -> str:
    if msg is None:
        return ""
    if isinstance(msg, str):
        return msg
    if _translator is not None and language != "en":
        text = _translator(msg, language)
        if text is not None:
            return text
    return str(msg)


def set_translator(translator: Translator | None) -> None:
    global _translator
    _translator = translator


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
    return Message(msg_id, english_template(msg_id) or english, {k: _revive(v) for k, v in values.items()})


#: id -> English template, filled as messages are created, so stored rows find their template
_templates: dict[str, str] = {}


def english_template(msg_id: str) -> str | None:
    return _templates.get(msg_id)


def _plain(value: Any) -> Any:
    if isinstance(value, Message):
        return str(value)
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value == value.quantize(Decimal("0.01")) else str(value)
    return value


def _json_value(value: Any) -> Any:
    if isinstance(value, Message):
        # a nested message keeps its id and values, so it is rendered in the row's language too
        return {_NESTED: value.id, "en": value.english, "values": dict(value.values)}
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


_NESTED = "$message"


def _revive(value: Any) -> Any:
    """Stored values back: nested messages become Messages again."""
    if isinstance(value, dict) and _NESTED in value:
        msg_id = str(value[_NESTED])
        raw = value.get("values")
        values = raw if isinstance(raw, dict) else {}
        english = english_template(msg_id) or str(value.get("en") or "")
        return Message(msg_id, english, {k: _revive(v) for k, v in values.items()})
    return value
