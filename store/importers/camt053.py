"""ISO 20022 camt.053 bank-to-customer statements (any version), read with ElementTree.

Tags are matched without their namespace, so camt.053.001.02 to .08 read alike. A DOCTYPE is
refused before parsing: a statement has no business declaring entities. Each transaction of a
batch entry (several TxDtls under one Ntry) becomes its own line.
"""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from store.errors import ValidationError
from store.importers.records import Statement, StatementFormatError, StatementLine
from store.money import check_currency, exponent, parse_decimal_text


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(node: ET.Element | None, *path: str) -> ET.Element | None:
    for name in path:
        if node is None:
            return None
        node = next((c for c in node if _local(c.tag) == name), None)
    return node


def _children(node: ET.Element | None, name: str) -> Iterator[ET.Element]:
    return (c for c in (node if node is not None else []) if _local(c.tag) == name)


def _text(node: ET.Element | None, *path: str) -> str:
    found = _child(node, *path) if path else node
    return (found.text or "").strip() if found is not None else ""


def _date(node: ET.Element | None, where: str) -> dt.date | None:
    if node is None:
        return None
    text = _text(node, "Dt") or _text(node, "DtTm")
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise StatementFormatError(where, f"'{text}' is not a date") from None


def _amount(node: ET.Element | None, where: str) -> tuple[int, str]:
    if node is None or not (node.text or "").strip():
        raise StatementFormatError(where, "has no amount")
    try:
        currency = check_currency(node.get("Ccy", ""), where)
        value = parse_decimal_text(node.text or "", where).scaleb(exponent(currency))
    except ValidationError as exc:
        raise StatementFormatError(where, exc.message) from None
    if value != value.to_integral_value():
        raise StatementFormatError(where, f"'{node.text}' has more decimals than {currency} has")
    return int(value), currency


def parse_camt053(data: bytes) -> Statement:
    if b"<!DOCTYPE" in data[:4096].upper():
        raise StatementFormatError("DOCTYPE", "a statement may not declare a document type or entities")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise StatementFormatError(f"XML line {exc.position[0]}", f"is not well-formed ({exc})") from None
    stmt = _child(root, "BkToCstmrStmt", "Stmt")
    if stmt is None:
        raise StatementFormatError("BkToCstmrStmt/Stmt", "is missing: not a camt.053 statement")
    account = _text(stmt, "Acct", "Id", "IBAN") or _text(stmt, "Acct", "Id", "Othr", "Id")
    currency = _text(stmt, "Acct", "Ccy")
    balances: dict[str, int] = {}
    for n, bal in enumerate(_children(stmt, "Bal"), 1):
        code = _text(bal, "Tp", "CdOrPrtry", "Cd")
        amount, currency = _amount(_child(bal, "Amt"), f"Bal[{n}]/Amt")
        balances[code] = -amount if _text(bal, "CdtDbtInd") == "DBIT" else amount
    lines: list[StatementLine] = []
    for n, entry in enumerate(_children(stmt, "Ntry"), 1):
        where = f"Ntry[{n}]"
        sign = {"CRDT": 1, "DBIT": -1}.get(_text(entry, "CdtDbtInd"))
        if sign is None:
            raise StatementFormatError(f"{where}/CdtDbtInd", "is neither CRDT nor DBIT")
        booked = _date(_child(entry, "BookgDt"), f"{where}/BookgDt")
        valued = _date(_child(entry, "ValDt"), f"{where}/ValDt")
        if booked is None and valued is None:
            raise StatementFormatError(where, "has no BookgDt or ValDt")
        entry_amount, entry_currency = _amount(_child(entry, "Amt"), f"{where}/Amt")
        currency = currency or entry_currency
        entry_ref = _text(entry, "AcctSvcrRef") or _text(entry, "NtryRef")
        details = [tx for d in _children(entry, "NtryDtls") for tx in _children(d, "TxDtls")]
        for k, tx in enumerate(details or [None], 1):
            tx_where = f"{where}/TxDtls[{k}]"
            amount, tx_currency = entry_amount, entry_currency
            if tx is not None and len(details) > 1:
                node = _child(tx, "Amt")
                if node is None:  # (an Element with no children is falsy: never use `or` on one)
                    node = _child(tx, "AmtDtls", "TxAmt", "Amt")
                amount, tx_currency = _amount(node, f"{tx_where}/Amt")
            refs = _child(tx, "Refs")
            bank_id = _text(refs, "AcctSvcrRef") or _text(refs, "TxId") or _text(refs, "EndToEndId")
            if len(details) > 1 and not bank_id and entry_ref:
                bank_id = f"{entry_ref}/{k}"
            remittance = _child(tx, "RmtInf")
            reference = " ".join(t.text.strip() for t in _children(remittance, "Ustrd") if t.text) or " ".join(
                _text(s, "CdtrRefInf", "Ref") for s in _children(remittance, "Strd")).strip() or _text(entry,
                                                                                                     "AddtlNtryInf")
            party = _child(tx, "RltdPties", "Dbtr") if sign > 0 else _child(tx, "RltdPties", "Cdtr")
            payer = _text(party, "Nm") or _text(party, "Pty", "Nm")
            party_account = _child(tx, "RltdPties", "DbtrAcct" if sign > 0 else "CdtrAcct")
            lines.append(StatementLine(len(lines) + 1, booked or valued, sign * amount, tx_currency,  # type: ignore[arg-type]
                                       bank_id or (entry_ref if len(details) <= 1 else None) or None, reference,
                                       payer, _text(party_account, "Id", "IBAN"), valued))
    return Statement("camt.053", account, currency or (lines[0].currency if lines else "EUR"), tuple(lines),
                     balances.get("OPBD", balances.get("PRCD")), balances.get("CLBD"))
