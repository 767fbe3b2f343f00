"""What a payment's reference and payer say, and how sure a suggestion built on it is.

Read by store/matching.py. A reference names invoices exactly ("INV-000042"), partly ("INV42",
"000042") or as OCR or a bank clerk mangled them ("1NV-OOOO42": O for 0, I or L for 1, dashes
lost); it may carry the customer's own reference or purchase-order number printed on an invoice.
A payer that is a company ("Müller GmbH") is never matched by name alone to a person ("Oliver
Müller"): the surname is the same, the debtor is not.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from enum import Enum

from store.search_tokens import fold


class Confidence(str, Enum):
    """How a suggestion may be accepted: high by Enter at once; medium and low only once chosen."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


# Evidence kinds a suggestion collects (store.matching._Candidate.evidence).
REF_EXACT, REF_PARTIAL, PO_REF, AMOUNT, ACCOUNT, PAYER, USUAL = (
    "ref_exact", "ref_partial", "po_ref", "amount", "account", "payer", "usual")


def confidence_of(evidence: Iterable[str], allocates: bool) -> Confidence:
    """Exact invoice number or PO reference, or the exact amount of a known customer: high.
    A partial number or an exact amount from someone unknown: medium. A name alone: low."""
    ev = set(evidence)
    if not allocates:
        return Confidence.LOW  # leaving money as credit is always the operator's explicit choice
    if ev & {REF_EXACT, PO_REF} or (AMOUNT in ev and ev & {ACCOUNT, PAYER, REF_PARTIAL}):
        return Confidence.HIGH
    if ev & {REF_PARTIAL, AMOUNT}:
        return Confidence.MEDIUM
    return Confidence.LOW


_OCR = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "|": "1"})
_D = "[0-9OQDIL|]"  # a digit, or a letter OCR and hurried typing take for one
# The prefix (INV, 1NV, LNV) then digits, separators allowed between them; never followed by a letter,
# so "INVOICE" is not read as INV + "OI".
_PREFIXED = re.compile(rf"(?<![A-Z0-9])[I1L|]NV[\s\-_/#.:]*({_D}(?:{_D}|[\-_/.\s](?={_D}))*)(?![A-Z0-9])")


def invoice_refs(reference: str, prefix: str, width: int) -> dict[int, str]:
    """Invoice sequence numbers a reference names: {seq: REF_EXACT or REF_PARTIAL}.

    Exact: the whole number as printed (prefix and every digit). Partial: the prefix with the
    digits read through OCR confusions and lost separators, or a bare run of `width` digits.
    """
    text = reference.upper()
    found: dict[int, str] = {}
    for m in re.finditer(re.escape(prefix.upper()) + r"(\d{%d})(?!\d)" % width, text):
        found[int(m.group(1))] = REF_EXACT
    for m in _PREFIXED.finditer(text):
        body = m.group(1)
        digits = re.sub(r"[\s\-_/.]", "", body).translate(_OCR)
        if any(ch.isdigit() for ch in body) and digits.isdigit() and 0 < int(digits):
            found.setdefault(int(digits), REF_PARTIAL)
    for m in re.finditer(rf"(?<![A-Z0-9\-]){_D}{{{width}}}(?![A-Z0-9])", text):
        body = m.group(0)
        if sum(ch.isdigit() for ch in body) * 2 >= width and int(body.translate(_OCR)) > 0:
            found.setdefault(int(body.translate(_OCR)), REF_PARTIAL)
    return found


def reference_tokens(reference: str) -> set[str]:
    """The words of a reference as a customer's reference or PO number could be printed on an invoice."""
    out: set[str] = set()
    for word in re.split(r"[\s,;]+", reference.upper()):
        word = word.strip(".:")
        if len(word) < 3:
            continue
        out.add(word)
        bare = re.sub(r"^(?:PO|P\.O\.|ORDER|ORD)[\s\-_/#:.]*", "", word)
        if bare and bare != word and len(bare) >= 3:
            out.update({bare, f"PO{bare}", f"PO-{bare}", f"PO {bare}"})
    return out


_LEGAL_FORMS = frozenset("""gmbh mbh ag kg ohg ug gbr ev ltd limited llc llp lp inc incorporated corp corporation
    plc co company sa sas sarl srl spa bv nv oy ab as aps asa kft sro sp zoo pty trust partners group holdings
    holding associates services solutions systems industries international""".split())


def is_company(name: str) -> bool:
    """A legal form or a business word in the name ("Müller GmbH", "Acme Widgets Ltd")."""
    words = re.split(r"[^\w]+", fold(name))
    return any(w in _LEGAL_FORMS for w in words)


def person_for_company(payer: str, name: str) -> bool:
    """A company paying, and an account that is a person's: a name likeness that proves nothing."""
    return is_company(payer) and not is_company(name)
