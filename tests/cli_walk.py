"""Walking `billfold`'s parser: every leaf command, so tests cover a new command without being told."""
from __future__ import annotations

import argparse


def leaf_commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
                  ) -> list[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """(("customer", "add"), its parser), ... for every command that runs a handler."""
    found: list[tuple[tuple[str, ...], argparse.ArgumentParser]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += leaf_commands(sub, (*path, name))
    if not found and path:
        found.append((path, parser))
    return found
