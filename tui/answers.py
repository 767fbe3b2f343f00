"""Callbacks for the answer a modal screen gives back (`App.push_screen(screen, callback)`).

The answer's type is the screen's (text from a prompt, yes/no, a split); the callbacks take any.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any


def answered(run: Callable[[Any], object]) -> Callable[[Any], None]:
    """Run `run` with the answer when one was given; Esc (None) or an empty answer does nothing."""

    def callback(answer: Any) -> None:
        if answer:
            run(answer)

    return callback


def answered_at_all(run: Callable[[Any], object]) -> Callable[[Any], None]:
    """Run `run` with any answer but none (Esc): an empty text is an answer too."""

    def callback(answer: Any) -> None:
        if answer is not None:
            run(answer)

    return callback
