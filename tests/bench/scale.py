"""Scale books for benchmarks: N customers and M posted invoices, most of them paid, consistent to the cent.

    python tests/bench/scale.py PATH [--customers 100000] [--invoices 1000000]

Rows are written with raw executemany in one transaction (the services take milliseconds each;
this takes microseconds), but exactly as the services would write them: every invoice with its
lines, journal entry and open item; payments with their journal; allocations with theirs; search
tokens; and a valid audit chain. `billfold verify` passes on the result. The report-totals triggers
are set aside during the load and their tables filled once at the end, as migration 0005 does.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from store.audit import canonical, event_hash, timestamp_text  # noqa: E402
from store.search_tokens import digits_of, fold, postcode_key, tokens_for  # noqa: E402

FIRST = ["Olivia", "James", "Amelia", "Oliver", "Isla", "Harry", "Zoë", "Mohammed", "Priya", "Chen", "Sofia",
         "Lukas", "Anna", "Dmitri", "Aoife", "Mateo", "Fatima", "Noah", "Ingrid", "Kenji", "Eleni", "Rafael",
         "Grace", "Ethan", "Mia", "Leo", "Ava", "Jack", "Ella", "Finn", "Nina", "Omar", "Ruth", "Sam", "Tara"]
LAST = ["Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Patel", "Khan", "Müller",
        "O'Brien", "García", "Nowak", "Andersson", "Rossi", "Ivanova", "Tanaka", "Papadopoulos", "Dubois", "Murphy",
        "Kelly", "Walsh", "Byrne", "Ryan", "Clarke", "Hughes", "Lewis", "Morgan", "Price", "Wright", "Walker"]
TRADE = ["Harbour", "Northgate", "Willow", "Kestrel", "Meridian", "Oakfield", "Riverside", "Summit", "Beacon",
         "Thistle", "Copperleaf", "Lighthouse", "Bramble", "Foxglove", "Granite", "Heron", "Juniper", "Larch",
         "Falcon", "Orchard", "Pinnacle", "Quarry", "Redwood", "Saffron", "Tamarind", "Upland", "Vale", "Wren"]
KIND = ["Ltd", "Limited", "& Sons", "Trading", "Supplies", "Engineering", "Services", "Partners", "Group"]
CITIES = [("London", "EC1A"), ("Manchester", "M1"), ("Leeds", "LS1"), ("Bristol", "BS1"), ("Glasgow", "G1"),
          ("Cardiff", "CF10"), ("Belfast", "BT1"), ("Norwich", "NR1"), ("York", "YO1"), ("Leicester", "LE1")]
METHODS = ["bank_transfer", "bank_transfer", "bank_transfer", "card", "cheque", "direct_debit"]
CHUNK = 20000
OPERATOR = "scale"


def chunks(rows: Iterable[tuple], size: int = CHUNK) -> Iterator[list[tuple]]:
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class Audit:
    """Builds the audit chain exactly as store.audit.record_event does, one event at a time."""

    def __init__(self, start: dt.datetime) -> None:
        self.prev = "0" * 64
        self.count = 0
        self.at = start
        self.rows: list[tuple] = []

    def add(self, action: str, entity: str, entity_id: str, customer_id: int | None, after: dict) -> None:
        self.at += dt.timedelta(microseconds=7)
        at = timestamp_text(self.at)
        after = canonical(after)
        digest = event_hash(self.prev, at, OPERATOR, action, entity, entity_id, customer_id, None, after)
        self.count += 1
        self.rows.append((self.count, at, OPERATOR, action, entity, entity_id, customer_id, None,
                          json.dumps(after, sort_keys=True, ensure_ascii=False), self.prev, digest))
        self.prev = digest


def build_scale_books(path: str, customers: int = 100_000, invoices: int = 1_000_000, seed: int = 1,
                      today: dt.date | None = None,
                      progress: Callable[[int, int, str], None] | None = None) -> dict[str, float]:
    from store.db import close_database, open_database
    from store.models import database_proxy

    started = time.perf_counter()
    rng = random.Random(seed)
    today = today or dt.date.today()
    open_database(path)
    db = database_proxy.obj
    conn = db.connection()
    cur = conn.cursor()
    # One big load: no WAL (every page would be written twice), no fsync, and the indexes of the big
    # tables built once at the end by sorting instead of row by row.
    cur.execute("PRAGMA journal_mode=MEMORY")
    cur.execute("PRAGMA synchronous=OFF")
    cur.execute("PRAGMA cache_size=-1000000")
    big = ("invoice", "invoice_line", "journal_entry", "journal_line", "open_item", "payment", "allocation",
           "audit_event", "search_token", "customer")
    indexes = [r for r in cur.execute(
        "SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL AND tbl_name IN (%s)"
        % ",".join("?" * len(big)), big)]
    for name, _sql in indexes:
        cur.execute(f'DROP INDEX "{name}"')
    # Set aside while loading: the report totals (filled once at the end) and the refusal of lines
    # for posted invoices (these invoices are written posted, with their lines, in one go).
    triggers = [r for r in cur.execute(
        "SELECT name, sql FROM sqlite_master WHERE type='trigger' AND name IN "
        "('journal_line_ledger_day', 'journal_line_receivable_move', 'invoice_line_posted_no_insert')")]
    for name, _sql in triggers:
        cur.execute(f"DROP TRIGGER {name}")
    now = dt.datetime(today.year, today.month, today.day, 6, 0, 0)
    audit = Audit(now - dt.timedelta(days=1))
    counts: dict[str, int] = {}
    cur.execute("BEGIN")

    # ---- customers and their search tokens
    cust_rows, token_rows, cust_names = [], [], []
    for n in range(customers):
        account = str(100001 + n)
        if rng.random() < 0.7:
            name = f"{rng.choice(TRADE)} {rng.choice(TRADE + LAST)} {rng.choice(KIND)}"
        else:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        city, district = rng.choice(CITIES)
        postcode = f"{district} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLN')}{rng.choice('PQRSTUWXYZ')}"
        email = f"ap{n}@{''.join(ch for ch in fold(name) if ch.isalnum())[:12]}.example"
        phone = f"+44 {rng.randint(20, 29)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
        cid = n + 1
        cust_names.append(name)
        cust_rows.append((cid, account, name, "", f"{rng.randint(1, 240)} High Street", "", city, postcode, "GB",
                          email, phone, "GBP", 30, 0, "", "active", "", "email", "", fold(name), digits_of(phone),
                          postcode_key(postcode), email, 1, timestamp_text(now), timestamp_text(now), OPERATOR))
        token_rows.extend((cid, t) for t in tokens_for(account, name, "", email, phone, postcode))
        audit.add("customer.create", "customer", account, cid, {"name": name})
    cur.executemany("INSERT INTO customer (id, account_no, name, contact_name, address1, address2, city, postcode, "
                    "country, email, phone, currency, terms_days, credit_limit_minor, tax_id, status, hold_reason, "
                    "channel, notes, name_key, phone_digits, postcode_key, email_key, version, created_at, "
                    "updated_at, updated_by) VALUES (" + ",".join("?" * 27) + ")", cust_rows)
    for batch in chunks(token_rows):
        cur.executemany("INSERT INTO search_token (customer_id, token) VALUES (?, ?)", batch)
    counts["customers"], counts["search_tokens"] = len(cust_rows), len(token_rows)
    del cust_rows, token_rows

    # ---- invoices, payments, allocations, the journal
    inv_rows, line_rows, entry_rows, jl_rows, open_rows = [], [], [], [], []
    pay_rows, alloc_rows = [], []
    entry_id = 0
    pay_seq = 0
    span = 540
    stamp = timestamp_text(now)

    def entry(kind: str, day: dt.date, memo: str) -> int:
        nonlocal entry_id
        entry_id += 1
        entry_rows.append((entry_id, day.isoformat(), kind, memo, stamp, OPERATOR))
        return entry_id

    def flush() -> None:
        cur.executemany("INSERT INTO journal_entry (id, entry_date, kind, memo, created_at, created_by) "
                        "VALUES (?,?,?,?,?,?)", entry_rows)
        cur.executemany("INSERT INTO invoice (id, kind, number, series, seq, customer_id, status, issue_date, "
                        "due_date, currency, reference, memo, tax_rounding, subtotal_minor, tax_minor, total_minor, "
                        "credited_invoice_id, journal_entry_id, version, created_at, created_by, posted_at, "
                        "posted_by) VALUES (" + ",".join("?" * 23) + ")", inv_rows)
        cur.executemany("INSERT INTO invoice_line (invoice_id, position, item_id, description, quantity, "
                        "unit_price_minor, discount_percent, tax_code, tax_rate, net_minor, tax_minor, "
                        "credited_line_id) VALUES (?,?,NULL,?,?,?,'0',?,?,?,?,NULL)", line_rows)
        cur.executemany("INSERT INTO open_item (document_id, customer_id, currency, due_date, open_minor) "
                        "VALUES (?,?,'GBP',?,?)", open_rows)
        cur.executemany("INSERT INTO payment (id, number, customer_id, received_date, method, amount_minor, currency, "
                        "reference, payer, payer_account, bank_txn_id, fingerprint, import_batch_id, "
                        "unallocated_minor, status, note, claimed_by, claimed_at, version, journal_entry_id, "
                        "created_at, created_by) VALUES (?,?,?,?,?,?,'GBP',?,'','',NULL,NULL,NULL,?,'open','',"
                        "NULL,NULL,1,?,?,?)", pay_rows)
        cur.executemany("INSERT INTO journal_line (entry_id, account, customer_id, document_id, payment_id, tax_code, "
                        "currency, debit_minor, credit_minor) VALUES (?,?,?,?,?,?,'GBP',?,?)", jl_rows)
        cur.executemany("INSERT INTO allocation (payment_id, invoice_id, amount_minor, journal_entry_id, created_at, "
                        "created_by) VALUES (?,?,?,?,?,?)", alloc_rows)
        for rows in (inv_rows, line_rows, entry_rows, jl_rows, open_rows, pay_rows, alloc_rows):
            rows.clear()

    for i in range(1, invoices + 1):
        if progress is not None and i % CHUNK == 0:
            progress(i, invoices, "invoices")
        cid = rng.randint(1, customers)
        issue = today - dt.timedelta(days=rng.randint(0, span))
        due = issue + dt.timedelta(days=30)
        number = f"INV-{i:06d}"
        subtotal = tax = 0
        for pos in range(1, rng.randint(1, 3) + 1):
            qty, price = rng.randint(1, 5), rng.randint(5, 500) * 100 - rng.choice((0, 1, 51))
            code, rate = ("S", 20) if rng.random() < 0.85 else ("Z", 0)
            net = qty * price
            line_tax = (net * rate + 50) // 100  # half up, as store.money.round_minor for positive amounts
            line_rows.append((i, pos, f"Service {pos}", str(qty), price, code, str(rate), net, line_tax))
            subtotal, tax = subtotal + net, tax + line_tax
        total = subtotal + tax
        # The invoice's tax lines: one per code with tax (a zero-rated line posts none).
        codes: dict[str, int] = {}
        for row in line_rows[-pos:]:
            codes[row[5]] = codes.get(row[5], 0) + row[8]
        eid = entry("invoice", issue, number)
        jl_rows.append((eid, "1100", cid, i, None, None, total, 0))
        jl_rows.append((eid, "4000", cid, i, None, None, 0, subtotal))
        jl_rows.extend((eid, "2200", cid, i, None, code, 0, amount) for code, amount in sorted(codes.items())
                       if amount)
        inv_rows.append((i, "invoice", number, "INV", i, cid, "posted", issue.isoformat(), due.isoformat(), "GBP",
                         f"PO-{rng.randint(10000, 99999)}", "", "line", subtotal, tax, total, None, eid, 1, stamp,
                         OPERATOR, stamp, OPERATOR))
        audit.add("invoice.post", "invoice", number, cid, {"number": number, "total_minor": total})
        paid = 0
        received = issue + dt.timedelta(days=rng.randint(3, 75))
        if received <= today and rng.random() < 0.7:
            paid = total if rng.random() < 0.8 else total // 2
            pay_seq += 1
            pay_no = f"PAY-{pay_seq:07d}"
            peid = entry("payment", received, pay_no)
            jl_rows.append((peid, "1000", cid, None, None, None, paid, 0))
            jl_rows.append((peid, "2100", cid, None, None, None, 0, paid))
            pay_rows.append((pay_seq, pay_no, cid, received.isoformat(), rng.choice(METHODS), paid, number, 0, peid,
                             stamp, OPERATOR))
            audit.add("payment.record", "payment", pay_no, cid, {"amount_minor": paid})
            aeid = entry("allocation", received, pay_no)
            jl_rows.append((aeid, "2100", cid, None, pay_seq, None, paid, 0))
            jl_rows.append((aeid, "1100", cid, i, pay_seq, None, 0, paid))
            alloc_rows.append((pay_seq, i, paid, aeid, stamp, OPERATOR))
            audit.add("payment.allocate", "payment", pay_no, cid, {"allocations": {number: paid}})
        open_rows.append((i, cid, due.isoformat(), total - paid))
        if len(inv_rows) >= CHUNK:
            flush()
    flush()
    counts["invoices"], counts["payments"], counts["journal_entries"] = invoices, pay_seq, entry_id

    # ---- the audit chain, counters, report totals
    for batch in chunks(audit.rows):
        cur.executemany("INSERT INTO audit_event (id, at, operator, action, entity, entity_id, customer_id, before, "
                        "after, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)", batch)
    counts["audit_events"] = audit.count
    cur.execute("UPDATE audit_head SET last_hash = ?, count = ? WHERE id = 1", (audit.prev, audit.count))
    cur.execute("UPDATE number_series SET next_value = ? WHERE code = 'INV'", (invoices + 1,))
    cur.execute("UPDATE number_series SET next_value = ? WHERE code = 'PAY'", (pay_seq + 1,))
    cur.execute("UPDATE number_series SET next_value = ? WHERE code = 'CUST'", (100001 + customers,))
    totals = importlib.import_module("store.migrations.0005_report_totals")
    cur.execute("DELETE FROM ledger_day")
    cur.execute("DELETE FROM receivable_move")
    cur.execute(totals.BACKFILL)
    cur.execute(totals.MOVES_BACKFILL)
    for _name, sql in triggers:
        cur.execute(sql)
    for _name, sql in indexes:
        cur.execute(sql)
    cur.execute("COMMIT")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("ANALYZE")
    close_database()
    counts["seconds"] = round(time.perf_counter() - started, 1)
    rows = sum(v for k, v in counts.items() if k != "seconds")
    counts["rows_per_second"] = round(rows / counts["seconds"])
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    from tui.cli.output import progress

    with progress(None, "Building scale books") as advance:  # a bar on stderr when it is a terminal
        counts = build_scale_books(args.path, args.customers, args.invoices, args.seed, progress=advance)
    print(counts)


if __name__ == "__main__":
    main()
