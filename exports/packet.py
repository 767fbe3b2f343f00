"""The collections packet an agency receives: one PDF with a cover (contacts, dunning history,
promises, cases), the statement of account, and a copy of every open invoice."""
from __future__ import annotations

import datetime as dt
import html
import io
from pathlib import Path

from exports.from_books import company_profile, invoice_document, statement_document
from exports.pdf import render_html, render_invoice, render_statement
from exports.pdf.resources import FONT_STACK, font_faces_css
from store import clock
from store.approvals import ApprovalRow, approve_request
from store.collections import CollectionsPacket, collections_packet_data
from store.money import format_money


def _cover(p: CollectionsPacket, company: str) -> str:
    e = html.escape

    def money(minor: int) -> str:
        return e(format_money(minor, p.currency))

    notices = "".join(f"<tr><td>{n.notice_date}</td><td>{n.level}</td><td>{e(', '.join(n.invoices))}</td>"
                      f"<td class='num'>{money(n.total_minor)}</td><td>{e(n.channel)}</td><td>{e(n.delivery)}</td></tr>"
                      for n in p.dunning) or "<tr><td colspan='6'>No reminders were sent.</td></tr>"
    promises = "".join(f"<tr><td>{x.made_on}</td><td>{x.promised_date}</td><td class='num'>{money(x.amount_minor)}</td>"
                       f"<td>{e(x.note)}</td><td>{e(x.by)}</td></tr>" for x in p.promises) or \
        "<tr><td colspan='5'>No promises to pay.</td></tr>"
    cases = "".join(f"<tr><td>{c.opened_on}</td><td>{e(c.agency)}</td><td class='num'>{money(c.amount_minor)}</td>"
                    f"<td>{e(c.status)}</td><td>{e(c.note)}</td></tr>" for c in p.cases)
    invoices = "".join(f"<tr><td>{i.number}</td><td>{i.issue_date}</td><td>{i.due_date}</td>"
                       f"<td class='num'>{money(i.total_minor)}</td><td class='num'>{money(i.open_minor)}</td>"
                       f"<td class='num'>{i.days_overdue}</td><td>{'disputed' if i.disputed else ''}</td></tr>"
                       for i in p.open_invoices)
    c = p.contact
    return f"""<html><head><style>
    {font_faces_css()}
    @page {{ size: a4; margin: 1.8cm; }}
    body {{ font-family: {FONT_STACK}; font-size: 9pt; }}
    h1 {{ font-size: 15pt; margin: 0 0 4pt 0; }} h2 {{ font-size: 10pt; margin: 12pt 0 3pt 0; }}
    table {{ width: 100%; }} th {{ text-align: left; border-bottom: 1px solid #333; }} td {{ padding: 2pt; }}
    .num {{ text-align: right; }}
    </style></head><body>
    <h1>Collections packet: account {e(p.account_no)}</h1>
    <p>From {e(company)}, as of {p.as_of}. Balance owed: <b>{money(p.balance_minor)}</b>. Status: {e(p.status)}.</p>
    <h2>Contact</h2><p><b>{e(c.name)}</b><br/>{e(c.contact_name)}<br/>{'<br/>'.join(e(a) for a in c.address)}<br/>
    {e(c.email)} &middot; {e(c.phone)}</p>
    <h2>Open invoices (copies follow the statement)</h2>
    <table><tr><th>Invoice</th><th>Issued</th><th>Due</th><th class='num'>Total</th><th class='num'>Open</th>
    <th class='num'>Days overdue</th><th></th></tr>{invoices}</table>
    <h2>Dunning history</h2><table><tr><th>Date</th><th>Level</th><th>Invoices</th><th class='num'>Total</th>
    <th>Channel</th><th>Delivery</th></tr>{notices}</table>
    <h2>Promises to pay</h2><table><tr><th>Made</th><th>For</th><th class='num'>Amount</th><th>Note</th><th>By</th></tr>
    {promises}</table>
    <h2>Collection cases</h2><table><tr><th>Opened</th><th>Agency</th><th class='num'>Amount</th><th>Status</th>
    <th>Note</th></tr>{cases}</table>
    <h2>Notes</h2><p>{'<br/>'.join(e(n) for n in p.notes) or 'None.'}</p>
    </body></html>"""


def send_with_packet(account_no: str, agency: str, note: str, folder: Path | None = None) -> tuple[object, Path]:
    """Send an account to collections and produce its packet for the agency, next to the print batches."""
    from store.collections import send_to_collections

    result = send_to_collections(account_no, agency, note)
    return result, write_packet(account_no, folder)


def approve_with_packet(request_id: int, note: str = "", folder: Path | None = None) -> tuple[ApprovalRow, Path | None]:
    """Approve a request; when it sent an account to collections, the agency's packet is written as
    it is when a supervisor sends the account directly (the approval is the same act, a step later)."""
    row = approve_request(request_id, note)
    if row.kind != "collections" or row.status != "approved":
        return row, None
    return row, write_packet(str(row.params["account"]), folder)


def write_packet(account_no: str, folder: Path | None = None) -> Path:
    """The packet as a file in the print folder (written whole under a temporary name, then renamed, so
    the agency's pickup never takes half a file); the same day's packet for an account is one file."""
    from exports.deliver import default_print_dir

    path = Path(folder or default_print_dir()) / f"collections-{account_no}-{clock.today():%Y%m%d}.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.part")
    part.write_bytes(collections_packet(account_no))
    part.replace(path)
    return path


def collections_packet(account_no: str, as_of: dt.date | None = None) -> bytes:
    from pypdf import PdfReader, PdfWriter

    as_of = as_of or clock.today()
    packet = collections_packet_data(account_no, as_of)
    company = company_profile()
    first = min((r.date for r in packet.statement), default=as_of)
    parts = [render_html(_cover(packet, company.name)),
             render_statement(statement_document(account_no, min(first, as_of), as_of), company)]
    parts += [render_invoice(invoice_document(i.number), company) for i in packet.open_invoices]
    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
