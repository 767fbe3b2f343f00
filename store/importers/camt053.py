"""ISO 20022 camt.053 bank-to-customer statements, camt.053.001.02 to .08, parsed by defusedxml.

Tags are matched without their namespace, so every version reads alike (v08 moves names under
Pty/ and puts Amt straight under TxDtls; both shapes are accepted). A DOCTYPE is refused before
parsing (a statement has no business declaring entities), and the parse itself is defusedxml's,
which refuses entity expansion and external references however they are spelt. Each transaction
of a batch entry (several TxDtls under one Ntry) becomes its own line, and the transactions must
add up to the entry, or the file is refused.
"""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET  # the Element type only: parsing is defusedxml's
from collections.abc import Iterator

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from store.importers._text import bank_value, clean, currency_at, iso_date_at, minor_at, refuse_doctype
from store.importers.records import Section, Statement, StatementFormatError, StatementLine, assemble
from store.money import plain_amount

_SIGN = {"CRDT": 1, "DBIT": -1}
# Entries that are not booked yet (camt.053 should hold none, but some banks add them): a payment
# recorded from one would be recorded again when the booking arrives.
_NOT_BOOKED = frozenset({"PDNG", "INFO", "FUTR"})


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(node: ET.Element | None, *path: str) -> ET.Element | None:
    for name in path:
        if node is None:
            return None
        node = next((c for c in node if _local(c.tag) == name), None)
    return node


def _children(node: ET.Element | None, name: str) -> Iterator[ET.Element]:
    return (c for c in (node if node is not None else ()) if _local(c.tag) == name)


def _text(node: ET.Element | None, *path: str) -> str:
    found = _child(node, *path)
    return clean(found.text) if found is not None else ""


def _first(node: ET.Element | None, *paths: tuple[str, ...]) -> ET.Element | None:
    # (never `a or b` on Elements: one without children is falsy)
    return next((found for path in paths if (found := _child(node, *path)) is not None), None)


def _amount(node: ET.Element | None, where: str) -> tuple[int, str]:
    """Unsigned amount and its currency (the Ccy attribute); CdtDbtInd gives the sign."""
    if node is None:
        raise StatementFormatError(where, "is missing: no amount")
    text = (node.text or "").strip()
    currency = currency_at(node.get("Ccy", ""), where)
    if text.startswith(("-", "+")):
        raise StatementFormatError(where, f"amount '{text}' has a sign: camt amounts are signed by CdtDbtInd")
    return minor_at(text, currency, where), currency


def _sign(node: ET.Element, where: str, default: int | None = None) -> int:
    code = _text(node, "CdtDbtInd")
    if not code and default is not None:
        return default
    if code not in _SIGN:
        raise StatementFormatError(f"{where}/CdtDbtInd", f"'{code}' is neither CRDT nor DBIT")
    return _SIGN[code]


def _date(node: ET.Element | None, where: str) -> dt.date | None:
    if node is None:
        return None
    text = _text(node, "Dt") or _text(node, "DtTm")
    return iso_date_at(text, where)


def _bank_id(refs: ET.Element | None) -> str:
    # (EndToEndId is not one: the payer chooses it, and it is often NOTPROVIDED or reused.)
    return bank_value(_text(refs, "AcctSvcrRef")) or bank_value(_text(refs, "TxId"))


def _reference(tx: ET.Element | None) -> str:
    info = _child(tx, "RmtInf")
    parts = [_text(u) for u in _children(info, "Ustrd")]
    parts += [_text(s, "CdtrRefInf", "Ref") for s in _children(info, "Strd")]
    return " ".join(dict.fromkeys(p for p in parts if p)) or _text(tx, "AddtlTxInf")


def _party(tx: ET.Element | None, sign: int) -> tuple[str, str]:
    """The other side: the debtor pays money in, the creditor receives money out."""
    role = "Dbtr" if sign > 0 else "Cdtr"
    party = _child(tx, "RltdPties", role)
    account = _child(tx, "RltdPties", f"{role}Acct", "Id")
    name = _text(party, "Nm") or _text(party, "Pty", "Nm")
    return name, _text(account, "IBAN") or _text(account, "Othr", "Id")


def _balances(stmt: ET.Element, where: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for n, bal in enumerate(_children(stmt, "Bal"), 1):
        code = _text(bal, "Tp", "CdOrPrtry", "Cd")
        amount, _ = _amount(_child(bal, "Amt"), f"{where}Bal[{n}]/Amt")
        found.setdefault(code, amount * _sign(bal, f"{where}Bal[{n}]"))
    return found


def _line(tx: ET.Element | None, sign: int, amount: int, currency: str, day: dt.date, valued: dt.date | None,
          bank_id: str | None, reference: str, account: str) -> StatementLine:
    payer, payer_account = _party(tx, sign)
    return StatementLine(position=0, booking_date=day, value_date=valued, amount_minor=sign * amount,
                         currency=currency, bank_txn_id=bank_id or None, reference=reference, payer=payer,
                         payer_account=payer_account, statement_account=account)


def _entry(entry: ET.Element, where: str, account: str) -> list[StatementLine]:
    sign = _sign(entry, where)
    amount, currency = _amount(_child(entry, "Amt"), f"{where}/Amt")
    valued = _date(_child(entry, "ValDt"), f"{where}/ValDt")
    day = _date(_child(entry, "BookgDt"), f"{where}/BookgDt") or valued
    if day is None:
        raise StatementFormatError(where, "has neither BookgDt nor ValDt")
    servicer_ref, entry_ref = bank_value(_text(entry, "AcctSvcrRef")), bank_value(_text(entry, "NtryRef"))
    details = [tx for d in _children(entry, "NtryDtls") for tx in _children(d, "TxDtls")]
    if len(details) <= 1:  # one transaction: the entry's booked amount is its amount
        tx = details[0] if details else None
        bank_id = servicer_ref or _bank_id(_child(tx, "Refs")) or entry_ref
        reference = _reference(tx) or _text(entry, "AddtlNtryInf")
        return [_line(tx, sign, amount, currency, day, valued, bank_id, reference, account)]
    lines = []
    for k, tx in enumerate(details, 1):  # a batch: each transaction is a line of its own
        tx_where = f"{where}/TxDtls[{k}]"
        tx_amount, tx_currency = _amount(_first(tx, ("Amt",), ("AmtDtls", "TxAmt", "Amt")), f"{tx_where}/Amt")
        if tx_currency != currency:
            raise StatementFormatError(f"{tx_where}/Amt", f"is in {tx_currency} but the entry is in {currency}")
        # Without an id of its own, a transaction is known by its place in the entry.
        tx_id = _bank_id(_child(tx, "Refs")) or (f"{servicer_ref or entry_ref}/{k}" if servicer_ref or entry_ref
                                                 else None)
        lines.append(_line(tx, _sign(tx, tx_where, default=sign), tx_amount, currency, day, valued, tx_id,
                           _reference(tx), account))
    total = sum(ln.amount_minor for ln in lines)
    if total != sign * amount:
        raise StatementFormatError(f"{where}/NtryDtls", f"the transactions add up to {plain_amount(total, currency)} "
                                                        f"but the entry is {plain_amount(sign * amount, currency)}")
    return lines


def parse_camt053(data: bytes) -> Statement:
    refuse_doctype(data)
    try:
        root = fromstring(data)
    except DefusedXmlException as exc:
        raise StatementFormatError("line 1", f"the XML declares what a statement may not ({exc})") from None
    except ET.ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":")[0]
        cut = ": the file is cut short" if reason in ("no element found", "unclosed token") else ""
        raise StatementFormatError(f"line {line}", f"the XML is not well-formed at column {column + 1} "
                                                   f"({reason}){cut}") from None
    except (LookupError, ValueError) as exc:  # an encoding expat cannot read, named in the XML declaration
        raise StatementFormatError("line 1", f"the XML declaration names an encoding that cannot be read "
                                             f"({exc})") from None
    book = root if _local(root.tag) == "BkToCstmrStmt" else _child(root, "BkToCstmrStmt")
    statements = list(_children(book, "Stmt"))
    if not statements:
        raise StatementFormatError("element BkToCstmrStmt/Stmt", "is missing: this is not a camt.053 statement")
    sections: list[Section] = []
    lines: list[StatementLine] = []
    for s, stmt in enumerate(statements, 1):
        prefix = "element " + ("" if len(statements) == 1 else f"Stmt[{s}]/")
        account = _text(stmt, "Acct", "Id", "IBAN") or _text(stmt, "Acct", "Id", "Othr", "Id")
        code = _text(stmt, "Acct", "Ccy")
        currency = currency_at(code, f"{prefix}Acct/Ccy") if code else ""
        balances = _balances(stmt, prefix)
        for n, entry in enumerate(_children(stmt, "Ntry"), 1):
            if (_text(entry, "Sts") or _text(entry, "Sts", "Cd")) in _NOT_BOOKED:
                continue
            lines += _entry(entry, f"{prefix}Ntry[{n}]", account)
        sections.append(Section(account, currency or next((ln.currency for ln in lines), ""),
                                balances.get("OPBD", balances.get("PRCD")), balances.get("CLBD")))
    return assemble("camt.053", sections, lines)
