"""Channel hardening (issue 17) without servers: size limits, a turn that outlives its client,
a reply that cannot be sent, and user text kept out of the log. The same paths against the
running servers are in tests/e2e/test_security.py."""

import asyncio
import json
import logging

import pytest
import structlog
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from clinic_assistant.channels import safety_net
from clinic_assistant.channels.platforms import SeenOnce, valid_hub_signature
from clinic_assistant.channels.rest import BadInput, checked_body
from clinic_assistant.channels.safety_net import (
    MAX_ID_CHARS,
    MAX_METADATA_CHARS,
    WITHHELD,
    conversation_tag,
    namespaced,
    never_silent,
    platform_id,
    same_secret,
    withhold_user_text,
)
from clinic_assistant.channels.sms import pseudonymised, sms_conversation_id
from clinic_assistant.channels.webchat import (
    SocketIOInput,
    issued_session_id,
    new_session_id,
    valid_session_id,
)

SECRET_TEXT = "my name is Robin Quill and I live at 12 Oak Street"


def body(**fields) -> bytes:
    return json.dumps(fields).encode()


# --- size limits -----------------------------------------------------------------------------


def test_rest_refuses_oversized_metadata_and_bodies():
    with pytest.raises(BadInput) as refused:
        checked_body(body(sender="a", message="hi", metadata={"x": "y" * MAX_METADATA_CHARS}))
    assert refused.value.code == "metadata_too_large" and refused.value.status == 413
    with pytest.raises(BadInput) as refused:
        checked_body(b'{"sender": "a", "message": "hi", "pad": "' + b"x" * 300_000 + b'"}')
    assert refused.value.code == "body_too_large"
    assert checked_body(body(sender="a" * MAX_ID_CHARS, message="hi", metadata={"p": 1}))


@pytest.mark.parametrize(
    "session_id, valid",
    [("abc", True), ("a" * MAX_ID_CHARS, True), ("a" * (MAX_ID_CHARS + 1), False), ("", False),
     (None, False), (5, False), ({"id": 1}, False), ("a\x1b[31m", False)],
)  # fmt: skip
def test_socketio_session_ids_are_text_of_bounded_length(session_id, valid):
    assert valid_session_id(session_id) is valid


def test_socketio_events_with_a_bad_session_id_never_reach_rasa():
    reached = []

    async def handler(sid, data):
        reached.append(data)

    checked = SocketIOInput._checked(handler, required=True)
    issued = new_session_id()
    forged = issued.split(".")[0] + ".0123456789abcdef0123"
    for data in (
        {"message": "hi"},
        {"message": "hi", "session_id": "x" * 10_000},
        {"message": "hi", "session_id": "s-1"},  # never issued
        {"message": "hi", "session_id": forged},
        "text",
        5,
    ):
        asyncio.run(checked("sid", data))
    asyncio.run(checked("sid", {"message": "hi", "session_id": issued}))
    assert reached == [{"message": "hi", "session_id": issued}]


def test_a_session_request_for_an_id_not_issued_here_gets_a_new_one():
    joined = []

    async def handler(sid, data):
        joined.append(data["session_id"])

    issuing = SocketIOInput._issuing(handler)
    issued = new_session_id()
    for data in ({"session_id": "someone-else"}, {}, None, {"session_id": issued}):
        asyncio.run(issuing("sid", data))
    assert joined[3] == issued
    assert all(issued_session_id(s) and s != "someone-else" for s in joined)
    assert len(set(joined[:3])) == 3


def test_every_channel_refuses_an_oversized_sender_id_or_metadata():
    async def answers(message):
        await message.output_channel.send_text_message(message.sender_id, "answer")

    for sender, metadata in (("x" * (MAX_ID_CHARS + 1), None), ("a", {"k": "v" * 5000})):
        output = CollectingOutputChannel()
        asyncio.run(never_silent(answers)(UserMessage("hi", output, sender, metadata=metadata)))
        assert output.messages == []


# --- a turn outlives its client ----------------------------------------------------------------


def test_a_turn_whose_client_leaves_still_runs_to_the_end(caplog):
    finished = []

    async def slow_turn(message):
        await asyncio.sleep(0.2)
        await message.output_channel.send_text_message(message.sender_id, "the crisis reply")
        finished.append("stored and ticket filed")

    async def client_leaves():
        output = CollectingOutputChannel()
        request = asyncio.ensure_future(
            never_silent(slow_turn)(UserMessage(SECRET_TEXT, output, "sender-9"))
        )
        await asyncio.sleep(0.05)
        request.cancel()  # what Sanic does when the client disconnects
        await asyncio.sleep(0.5)
        return output.messages

    caplog.set_level(logging.INFO)
    messages = asyncio.run(client_leaves())
    assert finished == ["stored and ticket filed"]
    assert [m["text"] for m in messages] == ["the crisis reply"]
    logged = caplog.text
    assert SECRET_TEXT not in logged and "sender-9" not in logged
    assert conversation_tag("sender-9") in logged


class FailingOutput(CollectingOutputChannel):
    async def _persist_message(self, message):
        raise ConnectionError(f"platform down while sending to +15551234567: {message}")


def test_a_reply_that_cannot_be_sent_does_not_end_the_turn_and_is_alerted(caplog):
    after_send = []

    async def turn(message):
        await message.output_channel.send_text_message(message.sender_id, "call 988 now")
        after_send.append("the turn went on: stored, urgent ticket filed")

    asyncio.run(never_silent(turn)(UserMessage(SECRET_TEXT, FailingOutput(), "+15551234567")))
    assert after_send
    alerts = [r.getMessage() for r in caplog.records if "ALERT" in r.getMessage()]
    assert alerts and all(conversation_tag("+15551234567") in a for a in alerts)
    assert "a reply could not be sent (ConnectionError)" in alerts[0]
    assert not any("5551234567" in r.getMessage() for r in caplog.records)


# --- no user text in the log -------------------------------------------------------------------


def test_rasa_structured_lines_withhold_user_text_above_debug():
    event = {"event": "rest.message.received.timeout", "text": SECRET_TEXT}
    assert withhold_user_text(None, "error", dict(event))["text"] == WITHHELD
    assert withhold_user_text(None, "debug", dict(event))["text"] == SECRET_TEXT


def test_the_structlog_processor_is_installed_in_place(capsys):
    structlog.configure(processors=[structlog.processors.JSONRenderer()])
    try:
        safety_net.install()
        structlog.get_logger().error("rest.message.received.timeout", text=SECRET_TEXT)
        assert SECRET_TEXT not in capsys.readouterr().out
    finally:
        structlog.reset_defaults()


def test_failure_lines_of_rasa_lose_bodies_tracebacks_and_sql_parameters(caplog):
    safety_net.install()
    action_log = logging.getLogger("rasa.core.actions.action")
    processor_log = logging.getLogger("rasa.core.processor")
    action_log.error(
        f"Failed to run custom action 'x'. Error: 500, body='{{\"text\": \"{SECRET_TEXT}\"}}'"
    )
    try:
        raise RuntimeError(f"tracker: {SECRET_TEXT}")
    except RuntimeError:
        processor_log.exception("Encountered an exception while running action 'x'.")
    logging.getLogger("rasa.core.tracker_store").error(
        f"(sqlite3.OperationalError) [SQL: INSERT INTO events] [parameters: ('{SECRET_TEXT}',)]"
    )
    assert SECRET_TEXT not in caplog.text
    assert "Failed to run custom action 'x'" in caplog.text
    assert "(RuntimeError)" in caplog.text


def test_a_malformed_command_warning_does_not_quote_the_message(recwarn):
    import rasa.shared.utils.io

    safety_net.install()
    rasa.shared.utils.io.raise_warning(f"Failed to parse arguments in line '/{SECRET_TEXT}'.")
    assert not any(SECRET_TEXT in str(w.message) for w in recwarn)


# --- secrets and signatures ----------------------------------------------------------------------


@pytest.mark.parametrize("sent", ["s\u00e9cret", "\u2603", "secre", "secret\x00", "", 5, None])
def test_an_odd_secret_is_a_mismatch_not_an_error(sent):
    assert same_secret(sent, "secret") is False
    assert same_secret("secret", "secret") is True


@pytest.mark.parametrize("header", ["sha256=\u00e9", "sha256=", "\u2603", "sha256=" + "0" * 64])
def test_an_odd_hub_signature_is_wrong_not_an_error(header):
    assert valid_hub_signature("app-secret", b"{}", {"X-Hub-Signature-256": header}) is False


def test_a_message_id_is_handled_once_and_forgotten_after_its_time():
    seen = SeenOnce(size=3, ttl=3600)
    assert seen.first_time("SM1") and not seen.first_time("SM1")
    assert not seen.first_time("")  # no id: never handled as new
    for sid in ("SM2", "SM3", "SM4"):
        assert seen.first_time(sid)
    assert seen.first_time("SM1")  # pushed out by size, bounded memory


# --- conversations reachable only through their own channel ---------------------------------------


def test_platform_conversations_are_namespaced_and_replies_go_to_the_platform_id():
    assert namespaced("twilio", "+15551234567") == "twilio:+15551234567"
    assert namespaced("twilio", "twilio:+15551234567") == "twilio:+15551234567"
    assert namespaced("rest", "+15551234567") == "+15551234567"
    assert namespaced("socketio", "abc") == "abc"
    assert platform_id("telegram:42") == "42" and platform_id("rest-user:1") == "rest-user:1"

    async def answers(message):
        await message.output_channel.send_text_message(message.sender_id, "answer")

    output = CollectingOutputChannel()
    seen = []

    async def turn(message):
        seen.append(message.sender_id)
        await answers(message)

    asyncio.run(
        never_silent(turn)(UserMessage("hi", output, "+15551234567", input_channel="twilio"))
    )
    assert seen == ["twilio:+15551234567"]  # stored under the namespaced id
    assert output.messages[0]["recipient_id"] == "+15551234567"  # sent to the phone


@pytest.mark.parametrize("sender", ["twilio:+15551234567", "Telegram:42", "slack:U1", "facebook:9"])
def test_rest_and_socketio_refuse_a_platform_conversation_id(sender):
    with pytest.raises(BadInput) as refused:
        checked_body(body(sender=sender, message="/deny"))
    assert refused.value.code == "invalid_sender"
    assert not valid_session_id(sender)


class FailingTickets:
    def remember_sms_number(self, conversation_id: str, number: str) -> None:
        raise OSError("database gone")


def test_an_sms_is_named_by_a_keyed_hash_and_answered_even_if_its_number_cannot_be_kept(caplog):
    handled = []

    async def handle(message):
        handled.append((message.sender_id, message.output_channel.recipient))

    message = UserMessage("hi", CollectingOutputChannel(), "+15550100001", input_channel="twilio")
    asyncio.run(pseudonymised(handle, store=FailingTickets)(message))

    [(sender, recipient)] = handled
    assert sender == sms_conversation_id("+15550100001") and recipient == "+15550100001"
    assert sender != sms_conversation_id("+15550100001", key="another key")
    assert "5550100001" not in caplog.text
    assert f"ALERT conversation {conversation_tag(sender)}" in caplog.text
