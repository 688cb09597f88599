"""Refreshes the French translation source from the code and compiles it.

    .venv/bin/python resources/translations/update.py          # lupdate + lrelease
    .venv/bin/python resources/translations/update.py --check  # exit 1 if a string is untranslated

English is the source language (the strings in the code); `crocoqb_fr.ts` holds the French
(edit it with `pyside6-linguist`, or by hand), `crocoqb_fr.qm` is what the app loads.
`crocoqb_en.ts` holds only the English plural forms ("%n record(s)" -> "1 record" / "2 records").

`messages_fr.ts` holds the French of the engine's messages (sync log, errors, CLI: every
`message("id", "English")` in crocoqb_desktop, found by crocoqb_desktop/message_catalog.py): source =
the id, the English as the comment. New ids are added as unfinished, ids gone from the code dropped.
Both files are compiled into the one crocoqb_fr.qm (one catalogue system for the app, see i18n.py).
Write French typography: a no-break space (U+00A0) before : ; ? ! and inside « ».
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))
from crocoqb_desktop import message_catalog  # noqa: E402

SOURCES = sorted(str(p) for p in (REPO / "crocoqb_desktop" / "gui").glob("*.py"))
LANGUAGES = {"fr": "fr_FR", "en": "en_US"}
PLURAL_ONLY = {"en"}


def tool(name: str) -> str:
    # PySide6 6.11's lupdate misses plural calls whose count is not a literal (`translate(..., "", n)`), and
    # the app refuses 6.12.0 (a refcount bug): keep 6.12's tools in their own venv for this script:
    #   python3 -m venv .venv-qt-tools && .venv-qt-tools/bin/pip install PySide6-Essentials==6.12.0
    tools = REPO / ".venv-qt-tools" / "bin" / name
    if tools.exists():
        return str(tools)
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else (shutil.which(name) or name)


def untranslated(ts: Path) -> list[str]:
    missing: list[str] = []
    if not ts.exists():
        return missing
    for context in ET.parse(ts).getroot().findall("context"):
        name = context.findtext("name")
        for message in context.findall("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") == "unfinished":
                missing.append(f"{name}: {message.findtext('source')}")
    return missing


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true", help="only report untranslated strings")
    args = parser.parse_args()
    status = 0
    code_messages = message_catalog.scan()
    for short, locale in LANGUAGES.items():
        ts = HERE / f"crocoqb_{short}.ts"
        messages_ts = HERE / f"messages_{short}.ts"
        if not args.check:
            extra = ["-pluralonly"] if short in PLURAL_ONLY else []
            subprocess.run([tool("pyside6-lupdate"), *SOURCES, "-ts", str(ts), "-target-language", locale,
                            "-no-obsolete", "-locations", "none", *extra], check=True, cwd=REPO)
            sources = [str(ts)]
            if short not in PLURAL_ONLY:  # English messages are the text in the code
                merged = message_catalog.merge(code_messages, message_catalog.read_ts(messages_ts))
                message_catalog.write_ts(messages_ts, locale, merged)
                sources.append(str(messages_ts))
            subprocess.run([tool("pyside6-lrelease"), *sources, "-qm", str(HERE / f"crocoqb_{short}.qm")],
                           check=True, cwd=REPO)
        missing = untranslated(ts) + (untranslated(messages_ts) if short not in PLURAL_ONLY else [])
        for line in missing:
            print(f"untranslated ({short}): {line}")
        status = status or (1 if missing else 0)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
