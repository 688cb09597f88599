"""Interface language: English (the source strings) or French, from Qt .qm files.

`ui.language` is "system" (the system locale: French for any fr_* locale, else English), "en" or "fr".
The switch is live: installing a translator sends a LanguageChange event to every widget, and each
widget re-reads its texts in `changeEvent`.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from crocoqb_desktop import i18n as messages_i18n
from crocoqb_desktop.gui.resources import resource_path

log = logging.getLogger("crocoqb.gui.i18n")

SUPPORTED = ("en", "fr")
_installed: list[QTranslator] = []
_current = "en"


def resolve_language(setting: str, system_locale: QLocale | None = None) -> str:
    if setting in SUPPORTED:
        return setting
    locale = system_locale or QLocale.system()
    for name in [locale.name(), *locale.uiLanguages()]:
        code = name.replace("-", "_").split("_")[0].lower()
        if code in SUPPORTED:
            return code
    return "en"


def current_language() -> str:
    return _current


def install_language(setting: str) -> str:
    """Install the translators for `setting` (system|en|fr); returns the language now in use.
    Needs a QCoreApplication."""
    global _current
    language = resolve_language(setting)
    for translator in _installed:
        QCoreApplication.removeTranslator(translator)
    _installed.clear()
    ours = QTranslator()  # for English: only the plural forms ("1 record", "2 records")
    path = resource_path("translations", f"crocoqb_{language}.qm")
    if ours.load(str(path)):
        _installed.append(ours)
    elif language != "en":
        log.warning("translation %s not found; using English", path)
        return install_language("en")
    if language != "en":
        qt = QTranslator()  # Qt's own strings (standard buttons, context menus)
        if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            _installed.append(qt)
    for translator in _installed:
        QCoreApplication.installTranslator(translator)
    system = QLocale.system()
    wanted = QLocale.Language.French if language == "fr" else QLocale.Language.English
    QLocale.setDefault(system if system.language() == wanted else QLocale(wanted))
    messages_i18n.install(language)  # the engine's messages (log rows, errors) follow the same language
    _current = language
    return language


def locale() -> QLocale:
    """The locale for dates and numbers in the chosen language."""
    return QLocale()
