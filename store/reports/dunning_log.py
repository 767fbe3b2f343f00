"""The dunning log: reminders recorded in a period."""
from __future__ import annotations

from collections import defaultdict

from peewee import JOIN

from store.models import Customer, Delivery, DunningNotice
from store.reports.common import _i
from store.reports.periods import When, period_of
from store.reports.record import Column, Report


def dunning_log(when: When = None) -> Report:
    """Reminders recorded in a period: to whom, at which level, for how much, and whether they went out."""
    period = period_of(when)
    query = (DunningNotice.select(DunningNotice.notice_date, Customer.account_no, Customer.name, DunningNotice.level,
                                  DunningNotice.items, DunningNotice.total_minor, DunningNotice.currency,
                                  DunningNotice.channel, Delivery.status)
             .join(Customer, on=(DunningNotice.customer == Customer.id))
             .join(Delivery, JOIN.LEFT_OUTER, on=(DunningNotice.delivery == Delivery.id))
             .where((DunningNotice.notice_date >= period.start) & (DunningNotice.notice_date <= period.end))
             .order_by(DunningNotice.notice_date, DunningNotice.id).tuples())
    rows = tuple((day, account, name, level, len(items or []), _i(total), currency, channel, delivered or "not sent")
                 for day, account, name, level, items, total, currency, channel, delivered in query)
    levels: dict[int, int] = defaultdict(int)
    for r in rows:
        levels[r[3]] += 1
    counts = ", ".join(f"level {lv}: {n}" for lv, n in sorted(levels.items())) or "none"
    return Report(
        "dunning_log", "Dunning log", period.label,
        (Column("date", "Date", "date"), Column("account", "Account"), Column("name", "Customer"),
         Column("level", "Level", "int"), Column("items", "Items", "int"), Column("total", "Total", "money"),
         Column("currency", "Currency"), Column("channel", "Channel"), Column("delivery", "Delivery")),
        rows, None, (f"{len(rows)} reminders ({counts}).",), None, None)
