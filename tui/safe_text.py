"""Text for a terminal that cannot drive it: control characters (ESC, CSI, DEL, the C1 range) and
bidirectional overrides become visible escapes, so a customer name taken from a bank statement that
holds "\\x1b[2J" prints as those characters and does not clear the screen.

The store removes control characters from what it writes; this guards books written before that,
and whatever else reaches a terminal (Rich's Text strips control codes itself; raw Segments do not).
"""
from __future__ import annotations

import re

KEEP = {"\n", "\t"}
BIDI = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
ESCAPES: dict[int, str] = {
    code: (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    for code in [*range(0x20), *range(0x7F, 0xA0), *BIDI]
    if chr(code) not in KEEP
}
JSON_ESCAPES: dict[int, str] = {code: f"\\u{code:04x}" for code in [*range(0x7F, 0xA0), *BIDI]}


_DRIVES_TERMINAL = re.compile("[" + "".join(re.escape(chr(code)) for code in ESCAPES) + "]")


def safe_text(text: str) -> str:
    """`text` with every character that could drive a terminal written as a visible escape."""
    # One regular-expression scan finds whether there is any (translate looked each character up in a
    # dictionary: a quarter of `billfold report ar_aging` at scale); the rare text that has some is translated.
    return text.translate(ESCAPES) if _DRIVES_TERMINAL.search(text) else text
