"""Bad input over REST against the running servers: a kind reply or a 4xx, never a crash or a
lost turn."""

import json
import uuid

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic_assistant.channels.safety_net import MAX_MESSAGE_CHARS

WEIRD_MESSAGES = {
    "emoji": "😭😭😭 I can't sleep 💔",
    "right-to-left": "مرحبا، ما هو اضطراب ما بعد الصدمة؟",
    "mixed direction": "what is PTSD \u202eevil\u202c ?",
    "control characters": "what is ptsd\x00\x07\x1b[31m",
    "combining marks": "ptsd\u0301\u0301\u0301 symptoms",
    "near the limit": "tell me about ptsd. " * (MAX_MESSAGE_CHARS // 20),
    "zero width": "what\u200b is\u200b ptsd",
    "slash command": "/not_an_intent",
    "broken intent json": '/greet{"x":',
}


def webhook(servers) -> str:
    return f"{servers.base_url}/webhooks/rest/webhook"


@pytest.mark.parametrize("name", WEIRD_MESSAGES)
def test_unusual_text_gets_a_reply_and_its_turn_is_stored(servers, name):
    sender = f"weird-{uuid.uuid4().hex[:8]}"
    messages = servers.send(sender, WEIRD_MESSAGES[name])
    assert messages and all(m.get("text") for m in messages)
    assert len(servers.stored_user_texts(sender)) == 1


@pytest.mark.parametrize(
    "raw,status,code",
    [
        (b"", 400, "invalid_json"),
        (b'{"sender": "x", "message": ', 400, "invalid_json"),
        (b'{"sender": "x", "message": "\xff\xfe"}', 400, "invalid_json"),
        (b"[1, 2, 3]", 400, "invalid_json"),
        (b'{"message": "hi"}', 400, "invalid_sender"),
        (b'{"sender": {"a": 1}, "message": "hi"}', 400, "invalid_sender"),
        (b'{"sender": "x", "message": 42}', 400, "invalid_message"),
        (b'{"sender": "x", "message": "   "}', 400, "empty_message"),
        (
            json.dumps({"sender": "x", "message": "a" * (MAX_MESSAGE_CHARS + 1)}).encode(),
            413,
            "message_too_long",
        ),
        (json.dumps({"sender": "x", "message": "a" * 100_000}).encode(), 413, "body_too_large"),
    ],
)
def test_malformed_requests_get_a_4xx_with_a_kind_json_error(servers, raw, status, code):
    response = requests.post(
        webhook(servers), data=raw, headers={"Content-Type": "application/json"}, timeout=30
    )
    assert response.status_code == status
    assert response.json()["error"] == code and response.json()["message"]


def test_a_message_without_a_sender_is_not_filed_under_a_shared_conversation(servers):
    requests.post(webhook(servers), json={"message": "my private question"}, timeout=30)
    assert servers.db_rows("SELECT count(*) FROM events WHERE sender_id = 'default'") == [(0,)]


def test_a_crisis_at_the_end_of_a_long_message_is_still_caught(servers):
    text = servers.text(
        f"long-{uuid.uuid4().hex[:8]}",
        "I keep thinking about the past. " * 45 + "I want to kill myself",  # near the limit
    )
    assert "911" in text and "988" in text


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.one_of(
        st.binary(max_size=200),
        st.fixed_dictionaries(
            {
                "sender": st.text(min_size=1, max_size=40) | st.integers() | st.none(),
                "message": st.text(max_size=300) | st.integers() | st.none(),
            }
        )
        .map(json.dumps)
        .map(str.encode),
    )
)
def test_fuzzed_requests_never_crash_the_server_and_every_accepted_turn_is_answered_and_stored(
    servers, raw
):
    response = requests.post(
        webhook(servers), data=raw, headers={"Content-Type": "application/json"}, timeout=60
    )
    assert response.status_code in (200, 400, 413), response.text[:200]
    if response.status_code == 200:
        messages = response.json()
        assert messages and all(m.get("text") for m in messages)
        sender = str(json.loads(raw)["sender"])
        assert servers.stored_user_texts(sender), "an answered turn is in the database"


def test_the_server_still_answers_normally_after_the_fuzzing(servers):
    assert "Source:" in servers.text(f"after-{uuid.uuid4().hex[:8]}", "what is ptsd")
