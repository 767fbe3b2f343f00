"""The words an account is found by: one row per word, searched by prefix through one index.

Kinds are kept apart by a one-letter prefix so a typed prefix only meets words of the kinds it
can mean: `n:` name words, `a:` account number, `e:` e-mail, `d:` e-mail domain, `z:` postcode,
`p:` every tail of the phone number's digits (so typing the number with or without its country
code or trunk zero finds it by prefix).
"""
from __future__ import annotations

import re
import unicodedata

MIN_PHONE_TAIL = 4


def fold(text: str) -> str:
    """Lower case without accents: 'Zoë' is found by 'zoe'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def digits_of(text: str) -> str:
    return re.sub(r"\D", "", text)


def postcode_key(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", fold(text))


def _in_word(ch: str) -> bool:
    # Letters, marks and digits of every script: a Devanagari or Tamil vowel sign is a mark inside
    # its word, not a break (splitting on [^a-z] once left such names findable by no word at all).
    return unicodedata.category(ch)[0] in "LMN"


def name_words(text: str) -> list[str]:
    folded = fold(text).replace("'", "")
    return [w for w in "".join(ch if _in_word(ch) else " " for ch in folded).split() if w]


def tokens_for(account_no: str, name: str, contact_name: str, email: str, phone: str, postcode: str) -> set[str]:
    tokens = {f"a:{account_no}"}
    tokens.update(f"n:{w}" for w in name_words(name) + name_words(contact_name))
    if email:
        mail = email.casefold()
        tokens.add(f"e:{mail}")
        tokens.add(f"d:{mail.partition('@')[2]}")
    digits = digits_of(phone)
    tokens.update(f"p:{digits[i:]}" for i in range(max(len(digits) - MIN_PHONE_TAIL + 1, 0)))
    if postcode:
        tokens.add(f"z:{postcode_key(postcode)}")
    return tokens
