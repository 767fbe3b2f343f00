"""What the application is started with: who, on which books, and the services; its day is the clock's."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from store import clock
from tui.services import Services


@dataclass(frozen=True)
class AppContext:
    operator: str
    database_label: str
    services: Services = field(default_factory=Services)
    first_mode: str = "lookup"  # My work after a login (launch); the lookup for tests and stand-ins
    after_first_frame: Callable[[], object] | None = None  # work that must not delay the first screen

    @property
    def today(self) -> dt.date:
        """The application's day: store.clock's, so screens and the services they call agree on it."""
        return clock.today()
