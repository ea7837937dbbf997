"""The redactor: personal details become tokens; crisis numbers and ordinary text stay."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_assistant.redact import PATTERNS, TOKENS, redact
from clinic_assistant.settings import crisis_resources, load_clinic


@pytest.mark.parametrize(
    "text, expected",
    [
        # phone numbers, in the shapes people type them
        ("call me at 555-222-3333", "call me at [phone]"),
        ("(555) 222-3333", "[phone]"),
        ("555.222.3333 or 555 222 3333", "[phone] or [phone]"),
        ("5552223333", "[phone]"),
        ("+1 555 222 3333", "[phone]"),
        ("1-555-222-3333", "[phone]"),
        ("my cell is 555 - 222 - 3333.", "my cell is [phone]."),
        ("+44 20 7946 0958", "[phone]"),
        ("text me on555-222-3333", "text me on[phone]"),
        # e-mail addresses
        ("sam@example.org", "[email]"),
        ("Mail Sam.O'Neil+ptsd@mail.example.co.uk, thanks", "Mail [email], thanks"),
        # social security numbers
        ("my ssn is 123-45-6789", "my ssn is [ssn]"),
        ("SSN 123 45 6789", "SSN [ssn]"),
        ("123456789", "[ssn]"),
        # dates of birth: full dates, and a day and month given as a birth date
        ("dob 03/14/1985", "dob [date]"),
        ("born 3-14-85", "born [date]"),
        ("1985-03-14", "[date]"),
        ("14.03.1985", "[date]"),
        ("March 14th, 1985", "[date]"),
        ("14 March 1985 and 3rd of Dec 2001", "[date] and [date]"),
        ("I was born on March 14", "I was born on [date]"),
        ("my birthday is 14 Mar", "my birthday is [date]"),
        ("DOB: 3/14", "DOB: [date]"),
        ("date of birth 12/01", "date of birth [date]"),
        # street addresses
        ("I live at 12 Oak Street", "I live at [address]"),
        ("1600 Pennsylvania Ave NW, Apt 4B", "[address]"),
        ("200 N 5th Ave is close", "[address] is close"),
        ("42 elm st.", "[address]"),
        ("7 Maple Drive", "[address]"),
        ("send it to PO Box 123", "send it to [address]"),
        ("12 Oak Street, 555-222-3333, sam@example.org", "[address], [phone], [email]"),
    ],
)
def test_personal_details_become_tokens(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "call 988 or 911",
        "text HOME to 741741",
        "988 then press 1, or text 838255",
        "I had 5 sessions over 2 weeks",
        "it took 2 hours to drive there",
        "is there 1 good way to cope",
        "I saw 3 different dr about it",
        "0.5 mg/kg over 40 minutes",
        "in 2019 I was diagnosed with PTSD",
        "24/7 support",
        "a 50/50 chance",
        "it costs 400-1200 dollars",
        "between 6 and 8 infusions",
        "on 12/25 I felt worse",
        "I'm 34 years old",
        "I may drive after 24 hours",
        "my session is at 3:30 pm",
        "1 in 3 people",
        "after 2 days",
        "PTSD",
        "ketamine 101",
        "",
    ],
)
def test_crisis_numbers_and_ordinary_text_stay(text):
    assert redact(text) == text


def test_the_crisis_lines_from_clinic_yml_stay():
    resources = crisis_resources(load_clinic())
    for line in ("emergency", "lifeline", "veterans", "text_line"):
        assert redact(resources[line]) == resources[line]


def test_tokens_match_no_pattern():
    for token in TOKENS:
        assert redact(token) == token
        assert not any(pattern.search(token) for _, pattern in PATTERNS)


# Phone numbers, e-mails and SSNs generated in the shapes people type them.
separators = st.sampled_from(["", " ", "-", ".", " - "])


@st.composite
def phones(draw):
    area, exchange, line = (draw(st.text("0123456789", min_size=n, max_size=n)) for n in (3, 3, 4))
    first, second = draw(separators), draw(separators)
    prefix = draw(st.sampled_from(["", "1", "1 ", "+1 ", "1-"]))
    area = draw(st.sampled_from([area, f"({area})"]))
    return f"{prefix}{area}{first}{exchange}{second}{line}"


emails = st.builds(
    lambda local, domain, tld: f"{local}@{domain}.{tld}",
    st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,15}", fullmatch=True),
    st.from_regex(r"[a-z0-9]{1,10}(\.[a-z0-9]{1,10}){0,2}", fullmatch=True),
    st.from_regex(r"[a-z]{2,6}", fullmatch=True),
)
ssns = st.builds(
    lambda a, b, c, sep: f"{a}{sep}{b}{sep}{c}",
    *(st.text("0123456789", min_size=n, max_size=n) for n in (3, 2, 4)),
    st.sampled_from(["", "-", " "]),
)
# Text around a detail (a space keeps it from running into the detail's digits).
around = st.text(max_size=40)


def glued(before: str, detail: str, after: str) -> str:
    return f"{before} {detail} {after}"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_never_raises_and_is_idempotent_on_any_text(text):
    once = redact(text)
    assert isinstance(once, str)
    assert redact(once) == once


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789 -.()+@/:abcxyz,\n")), max_size=80))
def test_no_detected_pattern_is_ever_left(text):
    result = redact(text)
    for _, pattern in PATTERNS:
        assert not pattern.search(result), (pattern.pattern[:40], result)
    assert redact(result) == result


@settings(max_examples=200, deadline=None)
@given(around, phones(), around)
def test_a_phone_number_in_any_text_is_removed(before, phone, after):
    result = redact(glued(before, phone, after))
    assert phone not in result
    assert redact(phone) == "[phone]"


@settings(max_examples=200, deadline=None)
@given(around, emails, around)
def test_an_email_in_any_text_is_removed(before, email, after):
    result = redact(glued(before, email, after))
    assert email not in result
    assert redact(email) == "[email]"


@settings(max_examples=100, deadline=None)
@given(around, ssns, around)
def test_an_ssn_in_any_text_is_removed(before, ssn, after):
    assert ssn not in redact(glued(before, ssn, after))
    assert redact(ssn) == "[ssn]"
