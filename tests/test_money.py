from decimal import Decimal

import pytest
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from store.errors import ValidationError
from store.money import (
    Money,
    exponent,
    format_amount,
    format_money,
    parse_amount,
    parse_quantity,
    plain_amount,
    round_minor,
)
from store.pricing import price_lines, split_gross


@pytest.mark.parametrize("text,currency,minor", [
    ("1234.5", "GBP", 123450), ("1,234.50", "GBP", 123450), ("-12", "GBP", -1200), ("12.", "GBP", 1200),
    ("0.05", "EUR", 5), ("(5.00)", "GBP", -500), ("12.00-", "GBP", -1200), ("1500", "JPY", 1500),
    ("1.234", "KWD", 1234), ("  7.1 ", "USD", 710),
])
def test_parse_amount_accepts_what_operators_type(text: str, currency: str, minor: int) -> None:
    assert parse_amount(text, currency) == minor


def test_parse_amount_with_comma_decimal() -> None:
    assert parse_amount("1.234,56", "EUR", decimal_sep=",") == 123456


@pytest.mark.parametrize("text,currency,message", [
    ("1.234", "GBP", "at most 2 decimal places"), ("12.5", "JPY", "at most 0 decimal places"),
    ("abc", "GBP", "is not an amount"), ("", "GBP", "is required"), ("1,23", "GBP", "misplaced thousands"),
    ("1.2.3", "GBP", "is not an amount"),
])
def test_parse_amount_refuses_with_the_field_named(text: str, currency: str, message: str) -> None:
    with pytest.raises(ValidationError) as err:
        parse_amount(text, currency, "unit_price")
    assert err.value.field == "unit_price"
    assert message in str(err.value)


def test_format_by_locale() -> None:
    assert format_money(-123450, "GBP") == "-£1,234.50"
    assert format_money(123450, "EUR", locale="de_DE") == "1.234,50\xa0€"
    assert format_amount(123456789, "JPY") == "123,456,789"
    assert plain_amount(-5, "GBP") == "-0.05"


def test_rounding_is_half_away_from_zero() -> None:
    assert round_minor(Decimal("2.5")) == 3
    assert round_minor(Decimal("-2.5")) == -3
    assert round_minor(Decimal("2.4999")) == 2


def test_money_refuses_floats_and_mixed_currencies() -> None:
    with pytest.raises(TypeError):
        Money(1.5, "GBP")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        Money(1, "GBP") + Money(1, "EUR")
    assert Money(150, "GBP") - Money(50, "GBP") == Money(100, "GBP")


def test_quantity_is_exact() -> None:
    assert parse_quantity("1.5") == Decimal("1.5")
    with pytest.raises(ValidationError):
        parse_quantity("1.0001")


def test_tax_rounding_per_line_and_per_invoice_differ_as_expected() -> None:
    # Three lines of 0.33 at 20%: per line each tax is 0.066 -> 0.07 (0.21); per invoice 0.99 * 20% = 0.198 -> 0.20.
    lines = [(Decimal(1), 33, Decimal(0), "S", Decimal(20))] * 3
    assert price_lines(lines, "line").tax_minor == 21
    assert price_lines(lines, "invoice").tax_minor == 20
    assert price_lines(lines, "invoice").total_minor == 119


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_plain_amount_round_trips(minor: int) -> None:
    assert parse_amount(plain_amount(minor, "GBP"), "GBP") == minor
    assert parse_amount(format_amount(minor, "GBP"), "GBP") == minor


@given(st.integers(min_value=1, max_value=10**10), st.sampled_from([Decimal(0), Decimal(5), Decimal(20)]))
def test_split_gross_adds_up(gross: int, rate: Decimal) -> None:
    net, tax = split_gross(gross, rate)
    assert net + tax == gross


@given(st.integers(-10**15, 10**15), st.sampled_from(["GBP", "JPY", "KWD", "EUR"]),
       st.sampled_from(["en_GB", "en_US", "en_IN", "de_DE", "fr_CH"]))
def test_amounts_are_written_as_babel_writes_them(minor: int, currency: str, locale: str) -> None:
    """format_amount writes common locales by integer arithmetic; it must be Babel's text to the character."""
    digits = exponent(currency)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    babel = format_decimal(Decimal(minor).scaleb(-digits), format=pattern, locale=locale)
    assert format_amount(minor, currency, locale) == babel


@pytest.mark.parametrize("text,message", [
    ("\u0661\u0662.50", "'\u0661\u0662.50' is not an amount"),  # Arabic-Indic digits pass str.isdigit()
    ("1\u00b2", "'1\u00b2' is not an amount"),  # a superscript two
    ("10000000000000.00", "'10000000000000.00' is larger than the books hold"),
])
def test_amounts_take_ascii_digits_and_fit_the_books(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_amount(text, "GBP")
    assert refused.value.message.startswith(message)


def test_a_quantity_too_large_to_round_is_refused_not_an_arithmetic_error() -> None:
    from store.money import parse_quantity

    with pytest.raises(ValidationError, match="is too large"):
        parse_quantity("9" * 400)
