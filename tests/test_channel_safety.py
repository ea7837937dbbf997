"""Input checks and the never-silent safety net of every channel (clinic_assistant/channels/:
rest.py, safety_net.py)."""

import asyncio
import json
import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from clinic_assistant.channels.rest import BadInput, checked_body
from clinic_assistant.channels.safety_net import (
    MAX_MESSAGE_CHARS,
    clean_text,
    conversation_tag,
    never_silent,
    report_problem,
    screen,
)

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def body(**fields) -> bytes:
    return json.dumps(fields).encode()


@pytest.mark.parametrize(
    "raw,code",
    [
        (b"", "invalid_json"),
        (b"{", "invalid_json"),
        (b"\xff\xfe{}", "invalid_json"),
        (b"[1, 2]", "invalid_json"),
        (body(message="hi"), "invalid_sender"),
        (body(sender="", message="hi"), "invalid_sender"),
        (body(sender={"id": 1}, message="hi"), "invalid_sender"),
        (body(sender="a\x1b[31m", message="hi"), "invalid_sender"),
        (body(sender="x" * 129, message="hi"), "invalid_sender"),
        (body(sender="a"), "invalid_message"),
        (body(sender="a", message=5), "invalid_message"),
        (body(sender="a", message=" \n\t\x00 "), "empty_message"),
        (body(sender="a", message="x" * (MAX_MESSAGE_CHARS + 1)), "message_too_long"),
        (body(sender="a", message="hi", metadata="x"), "invalid_metadata"),
    ],
)
def test_bad_bodies_are_refused_with_a_code_and_a_kind_sentence(raw, code):
    with pytest.raises(BadInput) as refused:
        checked_body(raw)
    assert refused.value.code == code and str(refused.value).endswith(".")


def test_empty_and_too_long_refusals_carry_the_crisis_lines():
    for raw in (
        body(sender="a", message=""),
        body(sender="a", message="x" * (MAX_MESSAGE_CHARS + 1)),
    ):
        with pytest.raises(BadInput) as refused:
            checked_body(raw)
        assert "911" in str(refused.value) and "988" in str(refused.value)


def test_a_good_body_is_kept_with_control_characters_dropped_and_numbers_as_sender_ids():
    assert checked_body(
        body(sender=12345, message="what is\x00 ptsd\x07?\n", metadata={"page": "faq"})
    ) == {"sender": "12345", "message": "what is ptsd?", "metadata": {"page": "faq"}}


@settings(max_examples=300, deadline=None)
@given(
    st.binary(max_size=300)
    | JSON_VALUES.map(lambda v: json.dumps(v).encode())
    | st.fixed_dictionaries({"sender": JSON_VALUES, "message": JSON_VALUES}).map(
        lambda v: json.dumps(v).encode()
    )
)
def test_any_body_is_either_refused_kindly_or_a_clean_message(raw):
    try:
        checked = checked_body(raw)
    except BadInput as refused:
        assert refused.status in (400, 413) and str(refused)
        return
    assert checked["message"] == clean_text(checked["message"]) and checked["message"]
    assert 0 < len(checked["sender"]) <= 128


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_clean_text_is_idempotent_and_leaves_no_control_characters(text):
    cleaned = clean_text(text)
    assert clean_text(cleaned) == cleaned
    assert not any(ord(c) < 32 and c not in "\n\t" for c in cleaned)


def handle(on_new_message, text="what is ptsd"):
    output = CollectingOutputChannel()
    asyncio.run(never_silent(on_new_message)(UserMessage(text, output, "sender-1")))
    return [m["text"] for m in output.messages]


async def answers(message: UserMessage) -> None:
    await message.output_channel.send_text_message(message.sender_id, "the curated answer")


def test_a_normal_turn_passes_through_untouched():
    assert handle(answers) == ["the curated answer"]


async def silent(message: UserMessage) -> None:
    return None


async def crashes(message: UserMessage) -> None:
    raise ConnectionError("database gone")


async def answers_but_action_fails(message: UserMessage) -> None:
    await answers(message)
    logging.getLogger("rasa.core.actions.action").error(
        "Failed to run custom action 'action_file_urgent_handoff'."
    )


@pytest.mark.parametrize("turn", [silent, crashes, answers_but_action_fails])
def test_a_silent_crashed_or_failing_turn_still_gets_the_clinic_and_crisis_numbers(turn, caplog):
    replies = handle(turn)
    assert "911" in replies[-1] and "988" in replies[-1] and "(555) 010-0142" in replies[-1]
    tag = conversation_tag("sender-1")
    alerts = [r for r in caplog.records if r.getMessage().startswith(f"ALERT conversation {tag}")]
    assert len(alerts) == 1
    # Neither what was written nor who wrote it: the id is a keyed hash.
    assert "what is ptsd" not in alerts[0].getMessage()
    assert "sender-1" not in alerts[0].getMessage()


@pytest.mark.parametrize("text", ["", "   ", None, "\x00\x07"])
def test_an_empty_message_is_answered_without_reaching_rasa(text):
    assert handle(crashes, text) == [screen(text)]


def test_problems_outside_a_turn_are_ignored():
    report_problem("nobody is listening")  # must not raise
