"""Helpers for the proof tests (faults, bad input, security): a tally of the secrets the sandboxes
issue during the session, the data folders the tests used, captured output scanned as it is
reported, and the ordering that makes tests/test_security.py run last.

Secrets are recorded where the sandboxes create them (QBO access/refresh/id tokens when minted,
authorization codes when a consent finishes, client secrets when a client is registered,
CrocoClick API keys when added), by wrapping those sandbox methods for the whole session: the
wrapped methods behave exactly as before. Only sandboxes running in this process are seen
(a sandbox started in a subprocess, e.g. by the frozen self-test, keeps its secrets to itself).
"""

from __future__ import annotations

import functools
import os
import re
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

SECURITY_MODULE = "test_security.py"
_WORD = re.compile(r"[A-Za-z0-9_\-]{12,}")

_lock = threading.Lock()
_secrets: set[str] = set()
_homes: set[Path] = set()
_extra_files: set[Path] = set()
_output_hits: list[str] = []
_outputs_scanned = 0
_words_cache: tuple[int, dict[str, str]] = (-1, {})


# ------------------------------------------------------------------------------------------------
# secrets issued by the sandboxes
# ------------------------------------------------------------------------------------------------
def _record(*values: Any) -> None:
    with _lock:
        for value in values:
            if isinstance(value, str) and len(value) >= 8:
                _secrets.add(value)


def issued_secrets() -> set[str]:
    with _lock:
        return set(_secrets)


def _install_secret_taps() -> None:
    from crocoqb_desktop.sandbox import croco_server, qbo_oauth

    state = qbo_oauth.OAuthState
    if getattr(state, "_proof_tapped", False):
        return
    state._proof_tapped = True  # type: ignore[attr-defined]

    mint = state.mint

    @functools.wraps(mint)
    def tapped_mint(self: Any, *args: Any, **kwargs: Any) -> Any:
        body = mint(self, *args, **kwargs)
        _record(body.get("access_token"), body.get("refresh_token"), body.get("id_token"))
        return body

    finish = state.finish_consent

    @functools.wraps(finish)
    def tapped_finish(self: Any, *args: Any, **kwargs: Any) -> Any:
        before = set(self.codes)
        url = finish(self, *args, **kwargs)
        _record(*(set(self.codes) - before))
        return url

    register = state.register_client

    @functools.wraps(register)
    def tapped_register(self: Any, client_id: str, client_secret: str, *args: Any, **kwargs: Any) -> Any:
        _record(client_secret)
        return register(self, client_id, client_secret, *args, **kwargs)

    state.mint = tapped_mint  # type: ignore[method-assign]
    state.finish_consent = tapped_finish  # type: ignore[method-assign]
    state.register_client = tapped_register  # type: ignore[method-assign]

    sandbox = croco_server.CrocoSandbox
    add_key = sandbox.add_api_key
    init = sandbox.__init__

    @functools.wraps(add_key)
    def tapped_add_key(self: Any, api_key: str, *args: Any, **kwargs: Any) -> Any:
        _record(api_key)
        return add_key(self, api_key, *args, **kwargs)

    @functools.wraps(init)
    def tapped_init(self: Any, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        _record(self.qbo_client_secret)

    sandbox.add_api_key = tapped_add_key  # type: ignore[method-assign]
    sandbox.__init__ = tapped_init  # type: ignore[method-assign]


# ------------------------------------------------------------------------------------------------
# finding secrets in text and files
# ------------------------------------------------------------------------------------------------
def secret_words(secrets: Iterable[str]) -> dict[str, str]:
    """Distinctive words (runs of [A-Za-z0-9_-], 12+ characters) of each secret -> the secret. A word
    shared by several secrets (the constant header of the sandbox's access tokens) is not distinctive."""
    owners: dict[str, set[str]] = {}
    for secret in secrets:
        words = _WORD.findall(secret) or ([secret] if len(secret) >= 8 else [])
        for word in words:
            owners.setdefault(word, set()).add(secret)
    return {word: next(iter(found)) for word, found in owners.items() if len(found) == 1}


def find_secrets(text: str, words: dict[str, str]) -> set[str]:
    hits = {words[w] for w in _WORD.findall(text) if w in words}
    # short secrets (fewer than 12 word characters) cannot be found by word: look for them whole
    hits.update(s for s in set(words.values()) if len(s) < 12 and s in text)
    return hits


def file_texts(path: Path) -> Iterable[str]:
    """The text of a file as bytes decoded 1:1 (SQLite pages and WAL frames included); the
    members of a zip archive too (diagnostic bundles)."""
    try:
        data = path.read_bytes()
    except OSError:
        return []
    texts = [data.decode("latin-1")]
    if data[:4] == b"PK\x03\x04":
        import io
        import zipfile

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                texts.extend(archive.read(name).decode("latin-1") for name in archive.namelist())
        except (zipfile.BadZipFile, OSError, RuntimeError):
            pass
    return texts


def record_output(text: str | None) -> None:
    """Output a test captured itself (e.g. from a subprocess): scanned now for the secrets known so far."""
    if text:
        _scan_output(text, "output recorded by a test")


def record_file(path: Path) -> None:
    """A file outside the data folders that the security test must also scan."""
    with _lock:
        _extra_files.add(Path(path))


def _current_words() -> dict[str, str]:
    global _words_cache
    with _lock:
        count = len(_secrets)
        if _words_cache[0] == count:
            return _words_cache[1]
        secrets = set(_secrets)
    words = secret_words(secrets)
    with _lock:
        _words_cache = (count, words)
    return words


def _scan_output(text: str, where: str) -> None:
    global _outputs_scanned
    words = _current_words()
    found = find_secrets(text, words)
    with _lock:
        _outputs_scanned += 1
        for secret in found:
            _output_hits.append(f"{where}: ...{secret[-6:]}")


def output_report() -> tuple[int, list[str]]:
    with _lock:
        return _outputs_scanned, list(_output_hits)


def data_homes() -> set[Path]:
    with _lock:
        return set(_homes)


def extra_files() -> set[Path]:
    with _lock:
        return set(_extra_files)


def _note_home() -> None:
    home = os.environ.get("CROCOQB_HOME")
    if home:
        with _lock:
            _homes.add(Path(home))


# ------------------------------------------------------------------------------------------------
# hooks
# ------------------------------------------------------------------------------------------------
def pytest_configure(config: pytest.Config) -> None:
    _install_secret_taps()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """The security scan looks at what every other test left behind: it runs last."""
    last = [item for item in items if item.path.name == SECURITY_MODULE]
    if last:
        items[:] = [item for item in items if item.path.name != SECURITY_MODULE] + last


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Any:
    yield
    _note_home()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Any:
    yield
    _note_home()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    texts = [content for _name, content in report.sections]
    if report.longreprtext:
        texts.append(report.longreprtext)
    if texts:
        _scan_output("\n".join(texts), f"{report.nodeid} ({report.when})")
