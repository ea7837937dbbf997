"""Properties of the callback form's checks over arbitrary input (hypothesis).

Whatever a person types into the form, the checks never raise, and what they accept
is in the one shape the clinic's staff will call or write to."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from actions.forms import EMAIL, MAX_TEXT, contact_method, normalise_phone, short_text

ANYTHING = st.none() | st.integers() | st.booleans() | st.text(max_size=300)
E164 = re.compile(r"^\+[1-9]\d{6,14}(;ext=\d+)?$")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80) | st.from_regex(r"\A\+?[\d .()-]{7,20}\Z"))
def test_an_accepted_phone_number_is_always_e164(text):
    phone = normalise_phone(text)
    if phone is not None:
        assert E164.match(phone)
        number = phone.split(";")[0]
        assert normalise_phone(number) == number


@given(st.from_regex(r"\A(\+?1[ .-]?)?\(?[2-9][0-9]{2}\)?[ .-]?[2-9][0-9]{2}[ .-]?[0-9]{4}\Z"))
def test_any_common_way_of_writing_a_us_number_is_accepted(text):
    digits = re.sub(r"[^0-9]", "", text)
    assert normalise_phone(text) == "+1" + digits[-10:]


@settings(max_examples=300, deadline=None)
@given(ANYTHING)
def test_free_text_answers_are_kept_only_when_short_and_not_blank(value):
    kept = short_text(value)
    assert kept is None or (0 < len(kept) <= MAX_TEXT and kept == kept.strip())


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_the_contact_method_is_phone_email_or_a_question_again(text):
    assert contact_method(text) in (None, "phone", "email")


@given(st.emails())
def test_ordinary_email_addresses_are_accepted(address):
    if re.search(r"\.[a-z]{2,}$", address, re.IGNORECASE):
        assert EMAIL.match(address)
