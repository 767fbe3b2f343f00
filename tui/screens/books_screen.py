"""What a screen that reaches the books shares: the application's one `Services` as `self.services`."""
from __future__ import annotations

from typing import Any

from tui.services import Services


class UsesBooks:
    """Mixed into a Screen (first, before Screen); the services come from the application's context,
    so a screen never builds its own and tests give one through the host application."""

    app: Any

    @property
    def services(self) -> Services:
        services: Services = self.app.context.services
        return services
