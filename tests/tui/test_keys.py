"""The key map: one place, used by the bindings, and made of keys that reach the application."""
from __future__ import annotations

import pytest
from textual._xterm_parser import XTermParser
from textual.events import Key as KeyEvent
from textual.widgets import Input

from tui.app import BillfoldApp
from tui.keys import ALLOWED_CLASHES, ARRIVES_AS, GLOBAL_KEYS, MULTIPLEXER_PREFIXES, TERMINAL_TAKEN, key_label

# What terminals send for the function keys (xterm; VT220, PuTTY's default and rxvt; Linux console).
F_KEY_BYTES = {
    "f1": ["\x1bOP", "\x1b[11~", "\x1b[[A"], "f2": ["\x1bOQ", "\x1b[12~", "\x1b[[B"],
    "f3": ["\x1bOR", "\x1b[13~", "\x1b[[C"], "f4": ["\x1bOS", "\x1b[14~", "\x1b[[D"],
    "f5": ["\x1b[15~", "\x1b[[E"], "f6": ["\x1b[17~"], "f7": ["\x1b[18~"], "f8": ["\x1b[19~"],
    "f9": ["\x1b[20~"], "f10": ["\x1b[21~"], "f11": ["\x1b[23~"], "f12": ["\x1b[24~"],
}


def every_key() -> list[str]:
    return [key for k in GLOBAL_KEYS for key in k.keys.split(",")]


def bytes_for(key: str) -> list[str]:
    if key in F_KEY_BYTES:
        return F_KEY_BYTES[key]
    if key.startswith("ctrl+") and len(key) == 6:
        return [chr(ord(key[-1]) & 0x1F)]  # what the terminal sends for Ctrl+letter
    return {"question_mark": ["?"]}[key]


def parsed(data: str) -> list[str]:
    parser = XTermParser()
    events = [*parser.feed(data), *parser.feed("")]  # "" is end of input: a lone sequence is complete
    return [e.key for e in events if isinstance(e, KeyEvent)]


@pytest.mark.parametrize("key", every_key())
def test_every_global_key_arrives_from_a_terminal(key: str) -> None:
    for data in bytes_for(key):
        assert parsed(data) == [key], f"{data!r} should arrive as {key}"


@pytest.mark.parametrize("key", sorted(F_KEY_BYTES))
def test_function_keys_arrive_from_each_terminal_family(key: str) -> None:
    for data in F_KEY_BYTES[key]:
        assert parsed(data) == [key]


def test_the_bindings_are_the_key_map() -> None:
    bound = {(b.key, b.action) for b in BillfoldApp.BINDINGS}  # type: ignore[union-attr]
    assert bound == {(k.keys, k.action) for k in GLOBAL_KEYS}


def test_no_plain_alternative_is_a_key_a_field_or_the_terminal_takes() -> None:
    input_keys = {key for b in Input.BINDINGS for key in b.key.split(",")}  # type: ignore[union-attr]
    for key in every_key():
        assert key not in input_keys, f"{key} edits text in an Input: the field would never see it"
        assert key not in ARRIVES_AS, f"{key} arrives as {ARRIVES_AS.get(key)}"
        if key not in ALLOWED_CLASHES:
            assert key not in TERMINAL_TAKEN and key not in MULTIPLEXER_PREFIXES, key


def test_every_job_has_a_function_key_and_a_plain_one() -> None:
    jobs = [k for k in GLOBAL_KEYS if k.action.startswith("go(")]
    assert [j.action for j in jobs] == ["go('lookup')", "go('invoice')", "go('payments')", "go('reports')"]
    for job in jobs:
        keys = job.keys.split(",")
        assert keys[0].startswith("f") and any(k.startswith("ctrl+") for k in keys[1:]), job


def test_labels() -> None:
    assert key_label("f2,ctrl+f") == "F2 / Ctrl+F"
    assert key_label("question_mark") == "?"
