"""The footer of every screen: the keys that work now, redrawn only when they change.

Textual's Footer unmounts and mounts every key each time focus moves, which rewrites the whole
bottom row (about 2 KB) on every Enter in a form. Over SSH that row is most of what a field move
costs, and the keys shown rarely change between two fields of one form.
"""
from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """A Footer that recomposes only when the keys it shows (or whether they are enabled) change."""

    _shown: tuple[tuple[str, str, bool], ...] | None = None

    def bindings_changed(self, screen: Screen) -> None:
        shown = tuple((binding.key, binding.description, enabled)
                      for (_node, binding, enabled, _tooltip) in screen.active_bindings.values() if binding.show)
        if shown == self._shown and self._bindings_ready and screen.app.app_focus:
            return
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._shown = shown
        super().bindings_changed(screen)
