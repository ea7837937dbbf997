"""Redaction under attack and in the shapes the first patterns missed (issue 17).

The adversarial inputs are the ones the previous patterns backtracked on for most of a minute
("born" and 20,000 spaces held the whole server for 54 s). Each test here simply has to finish:
the patterns are bounded, so each costs milliseconds (harness/bench/redaction.py times them
against the running servers)."""

import pytest

from clinic_assistant.redact import luhn_valid, redact

# The issue's size, far above the channels' limit (MAX_MESSAGE_CHARS): redaction stays linear
# whatever calls it.
N = 20_000

ADVERSARIAL = {
    "born and spaces": "born" + " " * (N - 4),
    "born and no-break spaces": "born" + "\u00a0" * (N - 4),
    "dob and colons": "dob" + " :" * ((N - 3) // 2),
    "birth day and tabs": "birth" + "\t" * (N - 5),
    "one long word": "a" * N,
    "an e-mail-like run of dots": "a." * (N // 2),
    "an e-mail-like run of at signs": "a@" * (N // 2),
    "an e-mail with endless labels": "a@" + "b." * (N // 2 - 1),
    "digits and spaces": "5 " * (N // 2),
    "digits and dashes": "1-" * (N // 2),
    "a plus and digits": "+1" + " 1" * (N // 2 - 1),
    "one run of digits": "5" * N,
    "a house number and a long word": "1 " + "a" * (N - 2),
    "house numbers and short words": "12 ab " * (N // 6),
    "zero-width characters between digits": "5\u200b" * (N // 2),
    "po box and spaces": "po box" + " " * (N - 6),
    "a phone number and spaces": "555" + " " * (N - 3),
    "spelled-out dots": "a dot " * (N // 6),
    "spelled-out at and dots": "a at b dot " * (N // 11),
    "bracketed at": "a [at] " * (N // 7),
    "ssn and spaced digits": "ssn " + "1 " * ((N - 4) // 2),
    "trunk zeros": "0 " * (N // 2),
    "digits and underscores": "5_" * (N // 2),
    "rural route and spaces": "rural route 2" + " " * (N - 13),
}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_adversarial_inputs_up_to_the_size_limit_are_redacted_and_finish(name):
    text = ADVERSARIAL[name]
    assert len(text) <= N
    result = redact(text)
    assert redact(result) == result  # and the result is stable


def test_a_long_message_full_of_details_loses_all_of_them():
    chunk = "call 555-222-3333 or sam@example.org, born March 3, ssn 123-45-6789. "
    text = (chunk * (N // len(chunk)))[:N]
    result = redact(text)
    for detail in ("555-222-3333", "sam@example.org", "March 3", "123-45-6789"):
        assert detail not in result


@pytest.mark.parametrize(
    "text, expected",
    [
        # international numbers: "+" or "00", and national formats of clinic.yml's regions
        ("call 020 7946 0958", "call [phone]"),
        ("0044 20 7946 0958", "[phone]"),
        ("+44 (0)20 7946 0958", "[phone]"),
        ("+49 30 901820", "[phone]"),
        ("mobile 07911 123456", "mobile [phone]"),
        ("my number is 212 555 0123", "my number is [phone]"),
        # separators: no-break and narrow spaces, any dash, slashes, invisible characters
        ("555\u00a0222\u00a03333", "[phone]"),
        ("555\u202f222\u202f3333", "[phone]"),
        ("555\u2013222\u20133333", "[phone]"),
        ("555\u2014222\u20143333", "[phone]"),
        ("555/222/3333", "[phone]"),
        ("555\u200b-222-3333", "[phone]"),
        ("5\u200b5\u200b5\u200b2\u200b2\u200b2\u200b3\u200b3\u200b3\u200b3", "[phone]"),
        ("s\u200bam@example.org", "[email]"),
        ("sam\u2060@example.org", "[email]"),
        # typed to dodge a filter
        ("call 303_555_0198 after six", "call [phone] after six"),
        ("303\\555\\0198", "[phone]"),
        ("303 dot 555 dot 0198", "[phone]"),
        ("mail dana dot lee at yahoo dot com", "mail [email]"),
        ("dana [at] lee [dot] org", "[email]"),
        ("dana.lee @ example.com", "[email]"),
        # other countries' national formats (trunk 0) and a country code without its "+"
        ("Berlin 030 1234 5678", "Berlin [phone]"),
        ("Mumbai 09812345678", "Mumbai [phone]"),
        ("Sydney 0298 765 432", "Sydney [phone]"),
        ("Tel Aviv 972-3-123-4567", "Tel Aviv [phone]"),
        # SSN variants
        ("123.45.6789", "[ssn]"),
        ("123 45 6789", "[ssn]"),
        ("123\u00a045\u00a06789", "[ssn]"),
        ("123\u201345\u20136789", "[ssn]"),
        ("123/45/6789", "[ssn]"),
        ("my social is 1 2 3 4 5 6 7 8 9", "my social is [ssn]"),
        # dates of birth written compactly or with spaced slashes
        ("DOB 19790521", "DOB [date]"),
        ("born 5 / 21 / 1979", "born [date]"),
        ("my address is Rural Route 3 Box 12", "my address is [address]"),
        # card numbers that pass the Luhn check
        ("card 4111 1111 1111 1111", "card [card]"),
        ("5500-0000-0000-0004", "[card]"),
        ("378282246310005", "[card]"),
        ("4111.1111.1111.1111", "[card]"),
        ("4111 - 1111 - 1111 - 1111", "[card]"),
    ],
)
def test_international_numbers_separators_ssn_variants_and_cards_become_tokens(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # the clinic's own numbers and the crisis lines, as clinic.yml writes them
        "call (555) 010-0142",
        "billing is (555) 010-0143",
        "Poison Control 1-800-222-1222",
        "1-800-799-7233, or text START to 88788",
        "1-800-656-4673",
        "call 911 or 988, or text HOME to 741741",
        # clinical numbers
        "BP 120/80",
        "my blood pressure was 135/85 and pulse 72",
        "0.5 mg/kg over 40 minutes",
        "I take 20mg of prozac and 150 mg sertraline",
        "six infusions over 2-3 weeks",
        # a 16-digit number that fails the Luhn check is not a card
        "order 4111 1111 1111 1112",
    ],
)
def test_clinic_crisis_and_clinical_numbers_stay(text):
    assert redact(text) == text


def test_luhn():
    assert luhn_valid("4111111111111111") and luhn_valid("79927398713")
    assert not luhn_valid("4111111111111112") and not luhn_valid("79927398710")


def test_a_zero_width_joiner_inside_an_emoji_is_kept():
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467 my family"
    assert redact(family) == family
