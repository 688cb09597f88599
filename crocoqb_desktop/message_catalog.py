"""The message catalogue's sources: finds every `message("id", "English")` in the code and keeps
`resources/translations/messages_<lang>.ts` (Qt's format, context "Messages") in step with it.

Used by resources/translations/update.py (to add new ids for translation) and by the tests (every id
has English and French text with the same placeholders). Not imported by the app at run time.
"""

from __future__ import annotations

import ast
import string
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
CONTEXT = "Messages"


@dataclass
class Entry:
    english: str
    translation: str = ""
    finished: bool = False


class ScanError(Exception):
    pass


def scan(root: Path = PACKAGE) -> dict[str, str]:
    """id -> English template of every `message(...)` call under `root` (ids and texts must be
    literals so the catalogue can be built from the code; one id, one English text)."""
    found: dict[str, str] = {}
    problems: list[str] = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _is_message_call(node.func)):
                continue
            where = f"{path.relative_to(root.parent)}:{node.lineno}"
            if len(node.args) < 2 or not all(isinstance(a, ast.Constant) and isinstance(a.value, str)
                                             for a in node.args[:2]):
                problems.append(f"{where}: message() needs a literal id and English text")
                continue
            msg_id, english = node.args[0].value, node.args[1].value  # type: ignore[attr-defined]
            if found.get(msg_id, english) != english:
                problems.append(f"{where}: id {msg_id} has two English texts")
            found[msg_id] = english
    if problems:
        raise ScanError("\n".join(problems))
    return found


def _is_message_call(func: ast.expr) -> bool:
    return (isinstance(func, ast.Name) and func.id == "message") or (
        isinstance(func, ast.Attribute) and func.attr == "message" and isinstance(func.value, ast.Name)
        and func.value.id == "messages")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def read_ts(path: Path) -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    if not path.exists():
        return entries
    for context in ET.parse(path).getroot().findall("context"):
        if context.findtext("name") != CONTEXT:
            continue
        for msg in context.findall("message"):
            translation = msg.find("translation")
            entries[msg.findtext("source") or ""] = Entry(
                english=msg.findtext("extracomment") or "",
                translation=(translation.text or "") if translation is not None else "",
                finished=translation is not None and translation.get("type") != "unfinished"
                and bool(translation.text))
    return entries


def write_ts(path: Path, language: str, entries: dict[str, Entry]) -> None:
    root = ET.Element("TS", version="2.1", language=language)
    context = ET.SubElement(root, "context")
    ET.SubElement(context, "name").text = CONTEXT
    for msg_id in sorted(entries):
        entry = entries[msg_id]
        node = ET.SubElement(context, "message")
        ET.SubElement(node, "source").text = msg_id
        ET.SubElement(node, "extracomment").text = entry.english
        translation = ET.SubElement(node, "translation")
        translation.text = entry.translation
        if not entry.finished:
            translation.set("type", "unfinished")
    ET.indent(root, space="    ")
    body = ET.tostring(root, encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")


def merge(code: dict[str, str], existing: dict[str, Entry]) -> dict[str, Entry]:
    """The catalogue for the code: new ids to translate, changed English marked unfinished, ids no
    longer in the code dropped."""
    merged: dict[str, Entry] = {}
    for msg_id, english in code.items():
        old = existing.get(msg_id)
        if old is None:
            merged[msg_id] = Entry(english)
        else:
            merged[msg_id] = Entry(english, old.translation, old.finished and old.english == english)
    return merged
