"""Books for the order tests: a catalogue priced in GBP and EUR, customers in each, order files."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from store.catalogue import save_item, save_item_price
from store.customers import CustomerData, create_customer
from tests.conftest import acting_as

HEADER = "order_id,account,po,order_date,item,description,quantity,unit_price,currency"


@dataclass(frozen=True)
class OrderBooks:
    gbp: str  # by e-mail
    eur: str  # by e-mail, prices in EUR
    paper: str  # by post


def order_books() -> OrderBooks:
    with acting_as("bob"):  # the catalogue is a supervisor's
        save_item("WIDGET", "Widget", 1000, "GBP", "S")
        save_item_price("WIDGET", "EUR", 1150)
        save_item("GADGET", "Gadget", 500, "GBP", "R")  # no EUR price
    gbp = create_customer(CustomerData(name="Harbour Supplies Ltd", email="ap@harbour.example")).account_no
    eur = create_customer(CustomerData(name="Rhein Handel GmbH", currency="EUR", country="DE",
                                       email="ap@rhein.example")).account_no
    paper = create_customer(CustomerData(name="Paper Ltd", channel="post", address1="1 High St",
                                         city="York", postcode="YO1 7HH")).account_no
    return OrderBooks(gbp, eur, paper)


def csv_file(folder: Path, rows: list[str], name: str = "orders.csv") -> Path:
    path = folder / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def standard_rows(b: OrderBooks) -> list[str]:
    """SO-1: a catalogue line and a free-text line (GBP); SO-2: EUR priced from the catalogue; SO-3: by post."""
    return [f"SO-1,{b.gbp},PO-77,2026-11-20,WIDGET,,3,,",
            f"SO-1,{b.gbp},PO-77,2026-11-20,,Delivery,1,12.50,GBP",
            f"SO-2,{b.eur},EU-9,2026-11-21,widget,,2,,",
            f"SO-3,{b.paper},,2026-11-21,GADGET,Gadget (blue),4,,"]
