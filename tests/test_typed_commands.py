"""Typed slash commands never bypass the safety layers; the bot's own buttons keep working."""

import pytest

from clinic_assistant.channels.safety_net import typed_commands_as_text


@pytest.mark.parametrize("payload", ["/talk_to_human", "/affirm", "/coping_skills"])
def test_button_payloads_pass_unchanged(payload):
    assert typed_commands_as_text(payload) == payload


@pytest.mark.parametrize(
    "typed,read_as",
    [
        ("/greet i want to end my life", "greet i want to end my life"),
        ('/greet{"x": 1} help', 'greet{"x": 1} help'),
        ("//talk_to_human now", "talk_to_human now"),
    ],
)
def test_typed_commands_are_read_as_text(typed, read_as):
    assert typed_commands_as_text(typed) == read_as


def test_platform_commands_mean_what_they_say():
    assert typed_commands_as_text("/start") == "/greet"
    assert typed_commands_as_text("/HELP") == "/ask_capabilities"
    assert typed_commands_as_text("hello") == "hello"
