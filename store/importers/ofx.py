"""OFX statements: 1.x (SGML, closing tags on leaves optional) and 2.x (XML), one small tolerant reader.

Why not ofxtools (installed, and tried on these files first): it does read SGML without closing
tags and CHARSET:1252 payees, but for a billing import it
- converts DTPOSTED to UTC, so a payment posted `20261105000000[+1:CET]` lands on 4 November;
- refuses files banks really send: elements out of the specification's order, no SONRS, no
  LEDGERBAL, no FITID; and a UTF-8 OFX 2 file without an XML declaration fails to decode;
- drops lower-case tags without a word (a MEMO vanished);
- raises bare errors (decimal.InvalidOperation for a bad TRNAMT) that do not say which
  transaction is wrong.
A statement needs a dozen elements; reading them here takes a page and every error names its
element. The same reader takes SGML and XML: XML is SGML whose leaves all happen to be closed.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from store.importers._text import (
    bank_value,
    clean,
    compact_date_at,
    currency_at,
    decode,
    encoding_known,
    minor_at,
    refuse_doctype,
)
from store.importers.records import Section, Statement, StatementFormatError, StatementLine, assemble

# Elements that always hold other elements: they must be closed, in SGML too, so one left open
# means the file was cut short. Any other element without text is a leaf, unless it is closed
# before its parent is (a private aggregate such as <INTU.XXX>...</INTU.XXX>).
_AGGREGATES = frozenset({
    "OFX", "SIGNONMSGSRSV1", "SONRS", "STATUS", "FI", "BANKMSGSRSV1", "STMTTRNRS", "STMTRS",
    "CREDITCARDMSGSRSV1", "CCSTMTTRNRS", "CCSTMTRS", "BANKACCTFROM", "CCACCTFROM", "BANKACCTTO", "CCACCTTO",
    "BANKTRANLIST", "STMTTRN", "PAYEE", "CURRENCY", "ORIGCURRENCY", "LEDGERBAL", "AVAILBAL"})
_TOKEN = re.compile(r"<!--.*?-->|<\?.*?\?>|<(/?)([A-Za-z][\w.]*)(?:\s[^<>]*?)?(/?)>", re.S)
_ENTITY = re.compile(r"&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
# What OFX headers call their character sets; ISO-8859-1 files are read as its superset 1252.
_CHARSETS = {"1252": "windows-1252", "ISO-8859-1": "windows-1252", "8859-1": "windows-1252",
             "LATIN1": "windows-1252", "NONE": "windows-1252", "UTF-8": "windows-1252", "USASCII": "windows-1252"}


@dataclass(slots=True)
class _Node:
    name: str
    line: int
    text: str = ""
    children: list[_Node] = field(default_factory=list)

    def find(self, *path: str) -> _Node | None:
        node: _Node | None = self
        for name in path:
            node = next((c for c in node.children if c.name == name), None) if node else None
        return node

    def value(self, *path: str) -> str:
        node = self.find(*path)
        return node.text if node else ""

    def all(self, name: str) -> list[_Node]:
        return [c for c in self.children if c.name == name]

    def walk(self, names: frozenset[str]) -> Iterator[_Node]:
        for child in self.children:
            if child.name in names:
                yield child
            else:
                yield from child.walk(names)


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "open", "close", "empty" (<X/>), "text"
    value: str  # tag name, or text
    line: int


def _unescape(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        name = m[1]
        return _NAMED.get(name) or chr(int(name[2:], 16) if name[1:2] in "xX" else int(name[1:]))

    try:
        return _ENTITY.sub(one, text)
    except (ValueError, OverflowError):  # &#99999999; is no character: keep the text as written
        return text


def _no_stray_tag(between: str, line: int) -> None:
    # In OFX text a '<' is written &lt;, so a bare one is a tag cut off or mangled.
    if "<" in between:
        at = line + between[:between.index("<")].count("\n")
        raise StatementFormatError(f"line {at}", "a '<' that starts no tag: the file is damaged or cut short")


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    line, last = 1, 0
    for m in _TOKEN.finditer(text):
        between = text[last:m.start()]
        _no_stray_tag(between, line)
        if between.strip() and tokens:  # text before the first tag is the OFX 1.x header
            tokens.append(_Token("text", between, line))
        line += between.count("\n")
        if m[2]:
            kind = "close" if m[1] else ("empty" if m[3] else "open")
            tokens.append(_Token(kind, m[2].upper(), line))
        line += m[0].count("\n")
        last = m.end()
    _no_stray_tag(text[last:], line)
    return tokens


def _tree(tokens: list[_Token]) -> _Node:
    closes: dict[str, list[int]] = {}
    for i, tok in enumerate(tokens):
        if tok.kind == "close":
            closes.setdefault(tok.value, []).append(i)

    def next_close(name: str, i: int) -> int:
        found = closes.get(name, [])
        at = bisect.bisect_right(found, i)
        return found[at] if at < len(found) else len(tokens)

    def closed_before_parent(name: str, parent: str, i: int) -> bool:
        own = next_close(name, i)
        return own < len(tokens) and own < next_close(parent, i)

    root = _Node("#document", 1)
    stack = [root]
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        i += 1
        if tok.kind in ("open", "empty"):
            node = _Node(tok.value, tok.line)
            stack[-1].children.append(node)
            following = tokens[i] if i < len(tokens) else None
            if tok.kind == "empty":
                continue
            if tok.value not in _AGGREGATES and following is not None and following.kind == "text":
                node.text = clean(_unescape(following.value))  # a leaf: its value runs to the next tag
                i += 1
                if i < len(tokens) and tokens[i].kind == "close" and tokens[i].value == tok.value:
                    i += 1
            elif tok.value in _AGGREGATES or closed_before_parent(tok.value, stack[-1].name, i):
                stack.append(node)
        elif tok.kind == "close" and any(n.name == tok.value for n in stack):
            if stack[-1].name != tok.value:  # popping past an open aggregate would lose what it holds
                raise StatementFormatError(f"line {tok.line}", f"</{tok.value}> comes before <{stack[-1].name}> "
                                                               f"(line {stack[-1].line}) is closed")
            stack.pop()
        # Other text, and closing tags of leaves already read, carry nothing.
    if len(stack) > 1:
        last = tokens[-1].line if tokens else 1
        raise StatementFormatError(f"line {last}", f"the file ends inside <{stack[-1].name}> "
                                                   f"(line {stack[-1].line}): it is cut short")
    return root


def _fallback_charset(data: bytes) -> str:
    head = data[:1024]
    found = re.search(rb"encoding\s*=\s*[\"']([\w.-]+)", head) or re.search(rb"CHARSET:\s*([\w.-]+)", head)
    name = found[1].decode("ascii").upper() if found else "NONE"
    return _CHARSETS.get(name) or (name if encoding_known(name) else "windows-1252")


def _amount(text: str, currency: str, where: str) -> int:
    # OFX writes a '.' point; some European banks write a ',' and nothing else.
    decimal_sep = "," if "," in text and "." not in text else "."
    return minor_at(text, currency, where, decimal_sep)


def _line(tr: _Node, where: str, currency: str, account: str) -> StatementLine:
    if tr.find("DTPOSTED") is None:
        raise StatementFormatError(f"{where}/DTPOSTED", "is missing: every transaction needs its date")
    if tr.find("TRNAMT") is None:
        raise StatementFormatError(f"{where}/TRNAMT", "is missing: every transaction needs its amount")
    # A CURRENCY aggregate means the amount is in that currency; ORIGCURRENCY means it was converted to CURDEF.
    if tr.value("CURRENCY", "CURSYM"):
        currency = currency_at(tr.value("CURRENCY", "CURSYM"), f"{where}/CURRENCY/CURSYM")
    value_date = tr.value("DTAVAIL")
    return StatementLine(
        position=0, booking_date=compact_date_at(tr.value("DTPOSTED"), f"{where}/DTPOSTED"),
        value_date=compact_date_at(value_date, f"{where}/DTAVAIL") if value_date else None,
        amount_minor=_amount(tr.value("TRNAMT"), currency, f"{where}/TRNAMT"), currency=currency,
        bank_txn_id=bank_value(tr.value("FITID")) or None,
        reference=" ".join(v for v in (tr.value("MEMO"), tr.value("CHECKNUM")) if v),
        payer=tr.value("NAME") or tr.value("PAYEE", "NAME"),
        payer_account=tr.value("BANKACCTTO", "ACCTID") or tr.value("CCACCTTO", "ACCTID"),
        statement_account=account)


def parse_ofx(data: bytes) -> Statement:
    refuse_doctype(data)
    root = _tree(_tokens(decode(data, None, _fallback_charset(data))))
    ofx = root.find("OFX")
    if ofx is None:
        raise StatementFormatError("element OFX", "is missing: this is not an OFX file")
    found = list(ofx.walk(frozenset({"STMTRS", "CCSTMTRS"})))
    if not found:
        message = ofx.value("BANKMSGSRSV1", "STMTTRNRS", "STATUS", "MESSAGE")
        raise StatementFormatError("element STMTRS", "is missing: the file holds no bank or credit-card statement"
                                   + (f" (the bank says: {message})" if message else ""))
    sections: list[Section] = []
    lines: list[StatementLine] = []
    for k, stmt in enumerate(found, 1):
        prefix = "element " + ("" if len(found) == 1 else f"{stmt.name}[{k}]/")
        currency = currency_at(stmt.value("CURDEF"), f"{prefix}CURDEF")
        account = stmt.value("BANKACCTFROM", "ACCTID") or stmt.value("CCACCTFROM", "ACCTID")
        transactions = stmt.find("BANKTRANLIST")
        for n, tr in enumerate(transactions.all("STMTTRN") if transactions is not None else [], 1):
            lines.append(_line(tr, f"{prefix}STMTTRN[{n}]", currency, account))
        balance = stmt.find("LEDGERBAL", "BALAMT")
        closing = _amount(balance.text, currency, f"{prefix}LEDGERBAL/BALAMT") if balance is not None else None
        sections.append(Section(account, currency, None, closing))
    return assemble("ofx", sections, lines)
