"""OFX statements (1.x SGML, closing tags optional, and 2.x XML) through ofxtools.

ofxtools reads SGML without closing tags and honours the CHARSET header (a windows-1252 payee
comes out as typed), so we only map its transactions to StatementLine.
"""
from __future__ import annotations

import io

from ofxtools.Parser import OFXTree

from store.importers.records import Statement, StatementFormatError, StatementLine
from store.money import check_currency, parse_decimal_text, exponent


def parse_ofx(data: bytes) -> Statement:
    tree = OFXTree()
    try:
        tree.parse(io.BytesIO(data))
        ofx = tree.convert()
    except Exception as exc:  # noqa: BLE001 - ofxtools raises many kinds; all mean a malformed file
        raise StatementFormatError("OFX", f"cannot be read: {exc}") from None
    statements = list(getattr(ofx, "statements", []) or [])
    if not statements:
        raise StatementFormatError("OFX", "has no bank statement (STMTRS)")
    stmt = statements[0]
    currency = check_currency(str(stmt.curdef), "CURDEF")
    lines = []
    for n, tr in enumerate(stmt.transactions, 1):
        where = f"STMTTRN[{n}]"
        if tr.trnamt is None or tr.dtposted is None:
            raise StatementFormatError(where, "has no TRNAMT or DTPOSTED")
        amount = parse_decimal_text(str(tr.trnamt), f"{where}/TRNAMT").scaleb(exponent(currency))
        if amount != amount.to_integral_value():
            raise StatementFormatError(f"{where}/TRNAMT", f"'{tr.trnamt}' has more decimals than {currency} has")
        lines.append(StatementLine(n, tr.dtposted.date(), int(amount), currency, str(tr.fitid) if tr.fitid else None,
                                   " ".join(p for p in (tr.memo, getattr(tr, "checknum", None)) if p) or "",
                                   str(tr.name or getattr(tr, "payee", "") or ""), ""))
    account = str(getattr(stmt.account, "acctid", "") or "")
    balance = getattr(stmt, "ledgerbal", None)
    closing = (int(parse_decimal_text(str(balance.balamt), "LEDGERBAL").scaleb(exponent(currency)))
               if balance is not None else None)
    return Statement("ofx", account, currency, tuple(lines), None, closing)
