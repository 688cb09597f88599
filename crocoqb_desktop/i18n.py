"""Messages (sync log, errors, notifications, CLI) in the user's language.

One catalogue system for the whole app: Qt's translation files. The GUI's widget strings live in
`resources/translations/crocoqb_fr.ts`; the engine's messages in `messages_fr.ts` (context "Messages",
source = the message id, the English text as the translator's comment), and `update.py` compiles both
into the one `crocoqb_fr.qm` that the GUI installs. Why Qt's and not gettext: the GUI already ships
.qm files (and Qt's own qtbase_fr.qm), so a second system would mean two tool chains, two places to
translate and two formats to bundle. The CLI reads the same .qm with QtCore's QTranslator, which needs
no QApplication and no display; it is loaded only when a message is rendered in French (English is
the text in the code), and costs about 0.1 s and 18 MB once per French CLI run (measured here:
`import PySide6.QtCore` + load 0.15 s against 0.05 s for a bare interpreter).

Numbers, amounts and dates are formatted per language by Babel (CLDR data): `1 234,56 $`,
`5 déc. 2026`; the French texts carry their typography (a no-break space before `:` and a narrow
no-break space before `;` `?` `!`), checked by the tests.
"""

from __future__ import annotations

import datetime as dt
import locale as _pylocale
import logging
import os
import sys
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

from crocoqb_desktop import messages
from crocoqb_desktop.messages import Message, Money

log = logging.getLogger("crocoqb.i18n")

SUPPORTED = ("en", "fr")
CONTEXT = "Messages"
#: CLDR locale used to format numbers, amounts and dates in each language (French as in Quebec:
#: `1 234,56 $` for dollars; other currencies keep their symbol, `1 234,56 €`)
FORMAT_LOCALES = {"en": "en_US", "fr": "fr_CA"}

_lock = threading.Lock()
_catalogues: dict[str, Any] = {}  # language -> QTranslator (or None when its .qm is missing)


def system_language() -> str:
    """French for any French system locale, else English (without Qt: the CLI has no QLocale)."""
    names = [os.environ.get(k, "") for k in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")]
    try:
        names.append(_pylocale.getlocale()[0] or "")
    except ValueError:
        pass
    if sys.platform == "win32":  # Windows: the user's UI language, not the environment
        try:
            import ctypes

            lcid = ctypes.windll.kernel32.GetUserDefaultUILanguage()  # type: ignore[attr-defined]
            names.insert(0, _pylocale.windows_locale.get(lcid, ""))
        except (AttributeError, OSError):
            pass
    for name in names:
        for part in name.split(":"):
            code = part.replace("-", "_").split("_")[0].split(".")[0].lower()
            if code in SUPPORTED:
                return code
            if code and code not in ("c", "posix"):
                return "en"
    return "en"


def resolve_language(setting: str | None) -> str:
    """`ui.language` (system | en | fr) -> the language to use."""
    return setting if setting in SUPPORTED else system_language()


def install(setting: str | None) -> str:
    """Render messages in the language of `setting` from now on; returns that language."""
    language = resolve_language(setting)
    messages.set_translator(translate)
    messages.set_language(language)
    return language


def qm_path(language: str) -> Path:
    """The compiled catalogue, in a bundle, a checkout or an installed package (the same places as
    gui.resources.resource_path, which this module cannot import: it would load the GUI)."""
    roots = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        roots.append(Path(bundle) / "resources")
    package = Path(__file__).resolve().parent
    roots += [package.parent / "resources", package / "resources"]
    for root in roots:
        candidate = root / "translations" / f"crocoqb_{language}.qm"
        if candidate.exists():
            return candidate
    return roots[0] / "translations" / f"crocoqb_{language}.qm"


def _catalogue(language: str) -> Any:
    with _lock:
        if language not in _catalogues:
            from PySide6.QtCore import QTranslator  # only when a message is shown in French

            translator = QTranslator()
            path = qm_path(language)
            if translator.load(str(path)):
                _catalogues[language] = translator
            else:
                log.warning("message catalogue %s not found; messages stay in English", path)
                _catalogues[language] = None
        return _catalogues[language]


def template(msg_id: str, language: str) -> str | None:
    """The text of message `msg_id` in `language`, None when the catalogue has none."""
    catalogue = _catalogue(language)
    if catalogue is None:
        return None
    text = catalogue.translate(CONTEXT, msg_id)
    return text if text and text != msg_id else None


def translate(msg: Message, language: str) -> str | None:
    """The Translator plugged into crocoqb_desktop.messages: None falls back to English."""
    text = template(msg.id, language)
    if text is None:
        return None
    values = {k: format_value(v, language) for k, v in msg.values.items()}
    return messages.safe_format(text, values)


def format_value(value: Any, language: str) -> Any:
    """A value as shown in `language`: nested messages translated, numbers and dates localised."""
    if isinstance(value, Message):
        return messages.render(value, language)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, Money | Decimal | int | float | dt.date):
        return _babel_format(value, FORMAT_LOCALES.get(language, "en_US"))
    return value


def _babel_format(value: Money | Decimal | int | float | dt.date, locale: str) -> str:
    try:
        return _cldr_format(value, locale)
    except (ImportError, LookupError, ValueError) as exc:  # a build without Babel's data: plain, not a crash
        log.warning("cannot format %r for %s: %s", value, locale, exc)
        return str(messages._plain(value))


def _cldr_format(value: Money | Decimal | int | float | dt.date, locale: str) -> str:
    from babel import dates, numbers

    if isinstance(value, Money):
        if value.currency:
            return numbers.format_currency(value.amount, value.currency, locale=locale)
        return numbers.format_decimal(value.amount, format="#,##0.00", locale=locale)
    if isinstance(value, Decimal):
        cents = value == value.quantize(Decimal("0.01"))
        return numbers.format_decimal(value, format="#,##0.00" if cents else None, locale=locale,
                                      decimal_quantization=False)
    if isinstance(value, int | float):
        return numbers.format_decimal(value, locale=locale, decimal_quantization=False)
    if isinstance(value, dt.datetime):
        return dates.format_datetime(value, "medium", locale=locale)
    return dates.format_date(value, "medium", locale=locale)


def format_date(value: dt.date, language: str | None = None) -> str:
    """`5 déc. 2026` / `Dec 5, 2026`: for views that show dates outside a message."""
    return _babel_format(value, FORMAT_LOCALES.get(language or messages.current_language(), "en_US"))


def format_money(amount: Decimal, currency: str | None = None, language: str | None = None) -> str:
    return _babel_format(Money(amount, currency), FORMAT_LOCALES.get(language or messages.current_language(), "en_US"))
