"""Numbers as typed: read exactly or refused with what is allowed (issue 21: `1e12` became 1)."""
import pytest

from gan_core import Config, ConfigError
from gan_core.settings.typed import parse_number, show_number


@pytest.mark.parametrize("text, value", [
    ("10000", 10000), ("10,000", 10000), ("10_000", 10000), (" 42 ", 42), ("0", 0), ("-3", -3),
    ("1,000,000", 1_000_000), ("99999999999999999999", 99999999999999999999),
])
def test_whole_numbers_are_taken_exactly(text, value):
    got = parse_number(text, whole=True)
    assert got == value and isinstance(got, int)


@pytest.mark.parametrize("text", ["1e12", "1.5", "10.0", "abc", "1,00", "10,0000", "1__0", "0x10", "1 000", "nan"])
def test_a_whole_number_field_refuses_anything_else_and_says_so(text):
    with pytest.raises(ValueError) as err:
        parse_number(text, whole=True, name="n_epochs (iterations)")
    assert str(err.value) == f"n_epochs (iterations) must be a whole number, like 10000 or 10,000 (got {text})."


@pytest.mark.parametrize("text, value", [
    ("0.001", 0.001), ("1e-3", 0.001), ("2.5E+4", 25000.0), (".5", 0.5), ("-2", -2.0), ("10,000.5", 10000.5),
    ("0.000_1", 0.0001),
])
def test_numbers_are_taken_exactly(text, value):
    assert parse_number(text, whole=False) == value


@pytest.mark.parametrize("text", ["abc", "1e", ".", "e5", "1e999", "inf", "nan", "1/2", "2**3", "__import__('os')"])
def test_a_number_field_refuses_anything_else(text):
    with pytest.raises(ValueError, match=r"must be a number, like 0.001 or 1e-3|too large"):
        parse_number(text, whole=False, name="learning rate")


def test_an_empty_field_says_what_to_type():
    with pytest.raises(ValueError, match="n_batch is empty: type a whole number"):
        parse_number("  ", whole=True, name="n_batch")


@pytest.mark.parametrize("value", [0, 7, 10_000, 0.001, 1e-05, 0.0002, 2.0, -1.0, 10.0, 1e20])
def test_a_number_shown_reads_back_the_same(value):
    assert parse_number(show_number(value), whole=isinstance(value, int)) == value


def test_a_links_unreadable_number_names_its_field_once():
    with pytest.raises(ConfigError) as err:
        Config.from_dict({"n_epochs": "abc"})
    assert str(err.value) == "n_epochs could not be read as a whole number from 'abc'."  # not "n_epochs: n_epochs ..."
