"""What the application is started with: who, on which books, on which day, and the services."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tui.services import Services


@dataclass(frozen=True)
class AppContext:
    operator: str
    database_label: str
    today: dt.date = field(default_factory=dt.date.today)
    services: Services = field(default_factory=Services)
    first_mode: str = "lookup"
