"""Believable demo books, built through the real services so they obey every rule of the books.

The same seed (and the same `today`) gives the same books. Everything is written in one
transaction: one fsync instead of thousands, and no half-built demo if it is interrupted.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from store import clock
from store.catalogue import save_item
from store.customers import CustomerData, create_customer, get_customer, put_on_hold
from store.disputes import open_dispute
from store.gl_mapping import set_mapping
from store.invoices import DraftInput, LineInput, create_and_post, create_draft, credit_invoice
from store.kinds import ContractBilling, ContractPeriod, CustomerStatus, OperatorRole
from store.payments import PaymentInput, allocate_payment, record_payment
from store.queries import books_summary
from store.service import transaction
from store.session import ensure_operator, operating_as
from store.settings import set_setting

FIRST = ["Olivia", "James", "Amelia", "Oliver", "Isla", "Harry", "Zoë", "Mohammed", "Priya", "Chen", "Sofia",
         "Lukas", "Anna", "Dmitri", "Aoife", "Mateo", "Fatima", "Noah", "Ingrid", "Kenji", "Eleni", "Rafael"]
LAST = ["Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Patel", "Khan", "Müller",
        "O'Brien", "García", "Nowak", "Andersson", "Rossi", "Ivanova", "Tanaka", "Papadopoulos", "Dubois"]
COMPANY = ["Ltd", "Limited", "& Sons", "Trading", "Supplies", "Engineering", "Services", "Partners"]
TRADE = ["Harbour", "Northgate", "Willow", "Kestrel", "Meridian", "Oakfield", "Riverside", "Summit", "Beacon",
         "Thistle", "Copperleaf", "Lighthouse", "Bramble", "Foxglove", "Granite", "Heron", "Juniper", "Larch"]
STREETS = ["High Street", "Station Road", "Mill Lane", "Church Street", "Victoria Road", "Park Avenue",
           "Queen Street", "King's Road", "Market Place", "Bridge Street"]
CITIES = [("London", "EC1A"), ("Manchester", "M1"), ("Leeds", "LS1"), ("Bristol", "BS1"), ("Glasgow", "G1"),
          ("Cardiff", "CF10"), ("Belfast", "BT1"), ("Norwich", "NR1"), ("York", "YO1"), ("Leicester", "LE1")]
ITEMS = [("CONS-HR", "Consulting, per hour", 9500, "S"), ("SUPP-MO", "Support plan, monthly", 25000, "S"),
         ("LIC-STD", "Software licence, standard", 49900, "S"), ("TRAIN-D", "Training day", 75000, "S"),
         ("BOOK-01", "Operator handbook", 1999, "Z"), ("SHIP", "Carriage and packing", 1250, "S"),
         ("PAPER-A4", "A4 paper, box of 5 reams", 2450, "S"), ("TONER", "Toner cartridge", 6899, "S"),
         ("FOOD-HMP", "Hamper (reduced rate)", 4500, "R")]


COMPANY_SETTINGS = [
    ("company_name", "Billfold Demo Ltd"), ("company_address", "1 Ledger Lane|Temple Quay|Bristol BS1 6AA"),
    ("company_tax_id", "GB 980 7806 84"), ("company_email", "accounts@billfold.example"),
    ("company_phone", "+44 117 496 0000"),
    ("company_payment", "Northern Bank plc|Sort code 60-16-13  Account 31926819|IBAN GB29 NWBK 6016 1331 9268 19"),
]
# An admin's setting: the demo's returns credit whole lines of up to a few thousand pounds alone.
ADMIN_SETTINGS = [("credit_note_approval_minor", "5000000")]

# Customers who write their names and addresses in their own scripts, so every script the PDFs
# support (README "Scripts and addresses") can be printed from the demo: (name, contact, street,
# town, postcode, country, channel).
WORLD_CUSTOMERS = [
    ("श्री गणेश ट्रेडिंग", "राजेश कुमार", "१२ महात्मा गांधी मार्ग", "मुंबई", "400001", "IN", "post"),
    ("মিত্র এন্টারপ্রাইজ", "সুব্রত মিত্র", "২২ পার্ক স্ট্রিট", "কলকাতা", "700016", "IN", "email"),
    ("மீனா ஸ்டோர்ஸ்", "செல்வம்", "45 அண்ணா சாலை", "சென்னை", "600002", "IN", "email"),
    ("บริษัท สยามการค้า จำกัด", "สมชาย ใจดี", "123 ถนนสุขุมวิท", "กรุงเทพมหานคร", "10110", "TH", "post"),
    ("شركة النور للتجارة", "محمد الأحمد", "شارع الشيخ زايد", "دبي", "", "AE", "email"),
    ("אברהם כהן בע״מ", "אברהם כהן", "רחוב הרצל 10", "תל אביב", "6100000", "IL", "email"),
    ("株式会社さくら商事", "山田太郎", "千代田1-1", "千代田区", "100-0001", "JP", "post"),
]


@dataclass(frozen=True)
class DemoSpec:
    seed: int = 7
    customers: int = 40
    months: int = 18
    today: dt.date | None = None


def _customer(rng: random.Random, n: int) -> CustomerData:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    if rng.random() < 0.7:
        name = f"{rng.choice(TRADE)} {rng.choice(TRADE) if rng.random() < 0.3 else last} {rng.choice(COMPANY)}"
    else:
        name = f"{first} {last}"
    city, district = rng.choice(CITIES)
    slug = "".join(ch for ch in name.lower() if ch.isalnum())[:16] or f"customer{n}"
    post = rng.random() < 0.2
    return CustomerData(
        name=name, contact_name=f"{first} {last}", address1=f"{rng.randint(1, 240)} {rng.choice(STREETS)}",
        city=city, postcode=f"{district} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
                            f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
        country="GB", email="" if post else f"accounts@{slug}.example", channel="post" if post else "email",
        phone=f"+44 {rng.randint(20, 29)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
        terms_days=rng.choice([14, 30, 30, 30, 45, 60]), credit_limit_minor=rng.choice([0, 0, 500000, 2000000]),
        tax_id=f"GB{rng.randint(100000000, 999999999)}" if rng.random() < 0.6 else "")


def build_demo(spec: DemoSpec = DemoSpec()) -> None:
    """Fill an empty database with demo books."""
    rng = random.Random(spec.seed)
    today = spec.today or clock.today()
    ensure_operator("demo", "Demo data", OperatorRole.SUPERVISOR)
    ensure_operator("demo-admin", "Demo data (limits)", OperatorRole.ADMIN)
    with operating_as("demo"), transaction():
        with operating_as("demo-admin"):
            for key, value in ADMIN_SETTINGS:
                set_setting(key, value)
        for key, value in COMPANY_SETTINGS:
            set_setting(key, value)
        for code, desc, price, tax in ITEMS:
            save_item(code, desc, price, "GBP", tax)
        accounts = [create_customer(_customer(rng, n)).account_no for n in range(spec.customers)]
        for account in accounts:
            _history(rng, account, today, spec.months)
        for account in rng.sample(accounts, max(1, len(accounts) // 20)):
            put_on_hold(account, rng.choice(["Cheque returned unpaid", "Awaiting signed contract",
                                             "Credit check in progress"]))
        create_draft(DraftInput(accounts[0], today, (LineInput("Consulting, per hour", Decimal(3), 9500, "S",
                                                               item_code="CONS-HR"),)))
        _demo_orders(rng, accounts, today)
        _demo_gl_mapping()
        _demo_contracts(accounts, today)
        _demo_world_customers(today)


def _demo_orders(rng: random.Random, accounts: list[str], today: dt.date) -> None:
    """Orders awaiting review (period end, Orders): one for an account on hold, one priced in EUR."""
    from store.catalogue import save_item_price
    from store.kinds import CustomerStatus
    from store.models import Customer
    from store.order_files import RawLine, RawOrder
    from store.orders import import_orders

    for code, eur in (("CONS-HR", 11000), ("SUPP-MO", 29000), ("LIC-STD", 57900), ("SHIP", 1500)):
        save_item_price(code, "EUR", eur)
    eur_account = create_customer(CustomerData(
        name="Rheinland Maschinen GmbH", currency="EUR", address1="Hafenstraße 12", city="Köln", postcode="50667",
        country="DE", email="buchhaltung@rheinland.example", terms_days=30)).account_no
    held = Customer.select(Customer.account_no).where(Customer.status == CustomerStatus.ON_HOLD).first()
    ordered = (today - dt.timedelta(days=2)).isoformat()
    lines = [[("CONS-HR", "", "6"), ("SHIP", "", "1")], [("SUPP-MO", "", "1")],
             [("LIC-STD", "", "2"), ("", "Installation on site", "1")], [("TRAIN-D", "", "1")],
             [("PAPER-A4", "", "10"), ("TONER", "", "2")]]
    who = [*rng.sample([a for a in accounts if held is None or a != held.account_no], 3), eur_account,
           held.account_no if held else accounts[1]]
    orders = []
    for n, (account, items) in enumerate(zip(who, [lines[0], lines[2], lines[4], lines[0], lines[3]],
                                             strict=True), 1):
        raw = RawOrder(n, f"WEB-{1000 + n}", account, f"PO-{rng.randint(10000, 99999)}", ordered)
        raw.lines.extend(RawLine(n, code, desc, qty, "350.00" if not code else "", "") for code, desc, qty in items)
        orders.append(raw)
    import_orders(orders, "demo-orders.csv")


# The demo company's chart as QuickBooks names it, so `billfold gl export` works on the demo at once.
DEMO_GL_MAPPING = (
    ("1000", "Checking"), ("1100", "Accounts Receivable"), ("2100", "Customer Deposits"),
    ("2150", "Suspense:Unidentified Receipts"), ("2200", "Sales Tax Payable"), ("4000", "Sales Income"),
    ("6900", "Bad Debt Expense"),
)


def _demo_gl_mapping() -> None:
    for account, target in DEMO_GL_MAPPING:
        set_mapping(account, target)


def _demo_world_customers(today: dt.date) -> None:
    """WORLD_CUSTOMERS, each with one posted invoice to print (no randomness: the seeded books stay as they were)."""
    for n, (name, contact, street, town, postcode, country, channel) in enumerate(WORLD_CUSTOMERS):
        email = "" if channel == "post" else f"accounts{n + 1}@world.example"
        account = create_customer(CustomerData(name=name, contact_name=contact, address1=street, city=town,
                                               postcode=postcode, country=country, email=email, channel=channel,
                                               terms_days=30)).account_no
        create_and_post(DraftInput(account, today - dt.timedelta(days=10 + n), (
            LineInput("Training day", Decimal(1), 75000, "S", item_code="TRAIN-D"),), reference=f"PO-W{n + 1:03d}"))


def _demo_contracts(accounts: list[str], today: dt.date) -> None:
    """Recurring contracts for the period-end run: monthly and quarterly, one in EUR, one that starts in the
    middle of this month (its first charge is prorated by days), one billed in arrears."""
    from store.contracts import ContractInput, add_contract

    month = today.replace(day=1)
    quarter = month.replace(month=(month.month - 1) // 3 * 3 + 1)
    from store.models import Customer

    # The EUR account the orders demo made (store.demo._demo_orders): one more would change the demo's count.
    euro_row = Customer.select(Customer.account_no).where(Customer.currency == "EUR").first()
    euro = euro_row.account_no if euro_row else create_customer(CustomerData(
        name="Rhein Logistik GmbH", currency="EUR", country="DE", email="ap@rhein-logistik.example")).account_no
    active = [a for a in accounts[1:] if get_customer(a).status == CustomerStatus.ACTIVE] or [euro]

    def nth(n: int) -> str:  # small demo books have fewer accounts than contracts
        return active[n % len(active)]

    one = Decimal(1)
    for data in (
        ContractInput(nth(0), "SUPP-MO", one, ContractPeriod.MONTHLY, ContractBilling.ADVANCE, month),
        ContractInput(nth(1), "SUPP-MO", Decimal(2), ContractPeriod.MONTHLY, ContractBilling.ADVANCE,
                      month.replace(day=15)),
        ContractInput(nth(2), "LIC-STD", Decimal(5), ContractPeriod.QUARTERLY, ContractBilling.ADVANCE, quarter),
        ContractInput(nth(3), "", one, ContractPeriod.MONTHLY, ContractBilling.ARREARS, quarter, "120.00",
                      description="Managed backup", tax_code="S"),
        ContractInput(euro, "SUPP-MO", one, ContractPeriod.MONTHLY, ContractBilling.ADVANCE, month),  # its EUR price
        ContractInput(nth(4), "LIC-STD", one, ContractPeriod.YEARLY, ContractBilling.ADVANCE,
                      month.replace(month=1)),
    ):
        add_contract(data)


def _history(rng: random.Random, account: str, today: dt.date, months: int) -> None:
    habit = rng.choices(["prompt", "late", "partial", "bad"], weights=[55, 25, 15, 5])[0]
    start = today - dt.timedelta(days=30 * months)
    day = start + dt.timedelta(days=rng.randint(0, 27))
    while day <= today:
        lines = tuple(
            LineInput(desc, Decimal(rng.choice([1, 1, 2, 3, 5, 10])) if code != "CONS-HR" else
                      Decimal(rng.randint(2, 40)) / 2, price, tax,
                      Decimal(rng.choice([0, 0, 0, 5, 10])), code)
            for code, desc, price, tax in rng.sample(ITEMS, rng.randint(1, 3)))
        posted = create_and_post(DraftInput(account, day, lines, reference=f"PO-{rng.randint(10000, 99999)}"),
                                 allow_over_limit=True)
        _settle(rng, habit, account, posted.number, posted.total_minor, day, today)
        day += dt.timedelta(days=rng.randint(20, 45))


def _settle(rng: random.Random, habit: str, account: str, number: str, total: int, issued: dt.date,
            today: dt.date) -> None:
    delay = {"prompt": rng.randint(5, 30), "late": rng.randint(35, 90), "partial": rng.randint(10, 60),
             "bad": rng.randint(60, 400)}[habit]
    paid_on = issued + dt.timedelta(days=delay)
    roll = rng.random()
    open_minor = total
    if roll < 0.03:
        returned = min(issued + dt.timedelta(days=rng.randint(3, 20)), today)
        open_minor -= credit_invoice(number, "Goods returned damaged", positions=[1], on=returned).applied_minor
    elif roll < 0.05:
        open_dispute(number, total // 2 or total, "Customer says the work was not completed")
        return
    if paid_on > today or (habit == "bad" and rng.random() < 0.6):
        return
    amount = total if habit != "partial" or rng.random() < 0.5 else total * rng.choice([25, 50, 75]) // 100
    if not amount:
        return
    method = rng.choice(["bank_transfer", "bank_transfer", "bank_transfer", "card", "cheque", "direct_debit"])
    payment = record_payment(PaymentInput(amount, "GBP", method, paid_on, account, reference=number,
                                          payer=f"{account} {number}"))
    if open_minor > 0:
        allocate_payment(payment.number, [(number, min(open_minor, amount))], on=paid_on)


def demo_summary() -> str:
    s = books_summary()
    owed = ", ".join(f"{cur} {amount / 1:,.0f} minor units" for cur, amount in s.receivables_minor.items())
    return (f"{s.customers} customers, {s.invoices} invoices, {s.credit_notes} credit notes, {s.payments} payments, "
            f"{s.overdue_customers} accounts overdue, {s.disputes_open} open disputes; receivables {owed}")
