"""Reading an orders file (CSV or JSON) into plain rows, each with the line of the file it came from.

Only the shape of the file is checked here (columns, nesting, text where text belongs); what the
values mean (accounts, items, amounts, prices) is checked by store.orders, which names the same lines.

CSV: one row per order line, header `order_id,account,po,order_date,item,description,quantity,unit_price,
currency`; the rows of one order repeat its order_id, account, po and order_date.
JSON: a list of orders (or {"orders": [...]}), each {"order_id", "account", "po", "order_date",
"lines": [{"item", "description", "quantity", "unit_price", "currency"}, ...]}. A line of JSON is the
line of the file where that order or order line begins.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from store.errors import ValidationError

HEADER = ("order_id", "account", "po", "order_date", "item", "description", "quantity", "unit_price", "currency")
ORDER_FIELDS = HEADER[:4]
LINE_FIELDS = HEADER[4:]
MAX_ORDER_BYTES = 64 * 1024 * 1024


class OrderFileError(ValidationError):
    """What is wrong with an orders file, and on which line: nothing of the file is imported."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        super().__init__(f"line {line}", message)


@dataclass(frozen=True, slots=True)
class RawLine:
    line: int  # the file's line number
    item: str
    description: str
    quantity: str
    unit_price: str
    currency: str


@dataclass(slots=True)
class RawOrder:
    line: int
    order_id: str
    account: str
    po: str
    order_date: str
    lines: list[RawLine] = field(default_factory=list)


def read_orders(data: bytes, name: str) -> list[RawOrder]:
    """The orders of a file, by its name's extension (.json, else CSV)."""
    if len(data) > MAX_ORDER_BYTES:
        raise OrderFileError(1, f"the file is larger than {MAX_ORDER_BYTES // (1024 * 1024)} MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise OrderFileError(data[:exc.start].count(b"\n") + 1, "is not UTF-8 text") from None
    orders = _read_json(text) if name.lower().endswith(".json") else _read_csv(text)
    if not orders:
        raise OrderFileError(1, "the file holds no orders")
    return orders


def _read_csv(text: str) -> list[RawOrder]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise OrderFileError(1, "the file is empty") from None
    except csv.Error as exc:
        raise OrderFileError(1, f"is not CSV: {exc}") from None
    if tuple(header) != HEADER:
        raise OrderFileError(1, f"the header must be {','.join(HEADER)}")
    orders: dict[str, RawOrder] = {}
    try:
        for row in reader:
            at = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(HEADER):
                raise OrderFileError(at, f"has {len(row)} columns; the header has {len(HEADER)}")
            values = dict(zip(HEADER, (cell.strip() for cell in row), strict=True))
            order = orders.setdefault(values["order_id"], RawOrder(at, values["order_id"], values["account"],
                                                                    values["po"], values["order_date"]))
            if (order.account, order.po, order.order_date) != (values["account"], values["po"], values["order_date"]):
                raise OrderFileError(at, f"order {values['order_id']}: account, po and order_date differ from "
                                         f"its first row (line {order.line})")
            order.lines.append(RawLine(at, *(values[f] for f in LINE_FIELDS)))
    except csv.Error as exc:
        raise OrderFileError(reader.line_num, f"is not CSV: {exc}") from None
    return list(orders.values())


def _read_json(text: str) -> list[RawOrder]:
    try:
        document = json.loads(text, parse_float=str)  # 12.10 stays "12.10": money never passes through a float
    except json.JSONDecodeError as exc:
        raise OrderFileError(exc.lineno, f"is not JSON: {exc.msg} (column {exc.colno})") from None
    orders = document.get("orders") if isinstance(document, dict) else document
    if not isinstance(orders, list):
        raise OrderFileError(1, 'must be a list of orders, or {"orders": [...]}')
    starts = _object_lines(text)  # the line each {...} opens on, in document order
    if isinstance(document, dict):
        next(starts)  # the {"orders": ...} wrapper itself
    out: list[RawOrder] = []
    seen: set[str] = set()
    for order in orders:
        at = next(starts, 1)
        if not isinstance(order, dict):
            raise OrderFileError(at, "an order must be an object with order_id, account, po, order_date, lines")
        head = [_text(order, f, at) for f in ORDER_FIELDS]  # order_id, account, po, order_date
        if head[0] in seen:
            raise OrderFileError(at, f"order {head[0]} appears twice in the file")
        seen.add(head[0])
        lines = order.get("lines")
        if not isinstance(lines, list) or not lines:
            raise OrderFileError(at, f"order {head[0]}: lines must be a list of at least one line")
        raw = RawOrder(at, head[0], head[1], head[2], head[3])
        for item in lines:
            line_at = next(starts, at)
            if not isinstance(item, dict):
                raise OrderFileError(line_at, f"order {head[0]}: a line must be an object")
            raw.lines.append(RawLine(line_at, *(_text(item, f, line_at) for f in LINE_FIELDS)))
        out.append(raw)
    return out


def _object_lines(text: str) -> Iterator[int]:
    """Line numbers of each '{' outside strings, in order: orders and their lines are the only objects."""
    numbers: list[int] = []
    line, in_string, escaped = 1, False, False
    for ch in text:
        if ch == "\n":
            line += 1
        elif in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch == "{":
            numbers.append(line)
    return iter(numbers)


def _text(obj: dict[str, object], name: str, at: int) -> str:
    """A field as text: numbers are accepted as they were written (quantity 2, unit_price 12.5)."""
    value = obj.get(name, "")
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise OrderFileError(at, f"{name} must be text or a number")
    return str(value).strip()
