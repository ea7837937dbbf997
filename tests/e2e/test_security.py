"""Issue 17's attacks against the running servers: a message built to freeze redaction or the
NLU, a REST client that leaves in the middle of a crisis turn, failure paths that used to log
user text, REST without the token, a flood of scripted crisis messages.
(A failed platform send is in test_channels.py; the pieces without servers in
tests/test_channel_security.py.)"""

import concurrent.futures
import http.client
import json
import socket
import sqlite3
import time
import uuid

import pytest
import requests

from clinic_assistant import settings
from clinic_assistant.channels.safety_net import MAX_MESSAGE_CHARS, conversation_tag
from tests.e2e.conftest import TOKEN, FakeActionServer, started

CRISIS = "I want to kill myself tonight, call me on 555-867-5309"


def new_sender(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def wait_for(check, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"not within {timeout:.0f} s")


def urgent_tickets(servers, sender: str) -> int:
    try:
        return servers.db_rows(
            "SELECT count(*) FROM handoff_tickets WHERE conversation_id = ? "
            "AND priority = 'urgent'",
            sender,
        )[0][0]
    except sqlite3.OperationalError:  # no ticket filed yet in this database
        return 0


# Built to make redaction backtrack ("born" and spaces, 54 s before issue 17) and the NLU's
# lexicon matching crawl (an e-mail-like run: a token and a sentence at every second character).
ATTACKS = {"born and spaces": lambda n: "born" + " " * (n - 4), "a.a.a.": lambda n: "a." * (n // 2)}


@pytest.mark.parametrize("size", [20_000, MAX_MESSAGE_CHARS])
@pytest.mark.parametrize("attack", ATTACKS)
def test_an_adversarial_message_and_a_concurrent_question_are_both_answered(servers, attack, size):
    url = f"{servers.base_url}/webhooks/rest/webhook"
    body = {"sender": new_sender("attack"), "message": ATTACKS[attack](size)}
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        attacked = pool.submit(requests.post, url, json=body, timeout=120)
        time.sleep(0.2)  # the attack is in flight first
        ordinary = servers.text(new_sender("bystander"), "what is ptsd")
        reply = attacked.result(timeout=120)
    assert "post-traumatic stress disorder" in ordinary
    if size > MAX_MESSAGE_CHARS:
        # Refused before the NLU, kindly: how long a message may be, and the crisis lines.
        assert reply.status_code == 413
        assert f"{MAX_MESSAGE_CHARS:,} characters" in reply.json()["message"]
        assert "988" in reply.json()["message"]
    else:
        assert reply.status_code == 200 and any(m.get("text") for m in reply.json())


def post_and_leave(servers, sender: str, message: str) -> None:
    """A REST client that sends its message and disconnects before the reply."""
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = (
        f"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    with socket.create_connection(("127.0.0.1", int(servers.env["RASA_PORT"])), timeout=10) as s:
        s.sendall(request)
        time.sleep(0.05)
    # closed: Sanic cancels the request's handler


def test_a_crisis_turn_whose_client_leaves_is_stored_and_files_its_urgent_ticket(servers):
    sender = new_sender("gone")
    log_start = servers.log.stat().st_size
    post_and_leave(servers, sender, CRISIS)
    wait_for(lambda: urgent_tickets(servers, sender) == 1)
    stored = wait_for(lambda: servers.stored_user_texts(sender))
    assert stored == ["I want to kill myself tonight, call me on [phone]"]
    # The client really was gone before the reply. The wrapper logs it when the turn is still
    # running at the disconnect; when Sanic notices the disconnect only after the turn ended (a
    # busy machine), Rasa's REST channel logs its own cancellation instead (text withheld).
    tag = conversation_tag(sender, servers.env["ALERT_HASH_KEY"])
    gone = (
        f"The client of conversation {tag} left before the reply",
        "rest.message.received.timeout",
    )

    def log_since_start() -> str:
        return servers.log.read_bytes()[log_start:].decode(errors="replace")

    log = wait_for(lambda: any(line in log_since_start() for line in gone) and log_since_start())
    assert "kill myself" not in log and "867-5309" not in log and sender not in log
    assert any(line in log for line in gone)


@pytest.mark.parametrize(
    "message",
    ["/no_such_intent_robinquill", '/greet{"name": "robinquill"', "/greet@robinquill"],
)
def test_a_malformed_command_is_answered_and_not_logged(servers, message):
    log_start = servers.log.stat().st_size
    assert servers.send(new_sender("cmd"), message)
    log = servers.log.read_bytes()[log_start:].decode(errors="replace")
    assert "robinquill" not in log


def echo_as_error(handler) -> None:
    """Fails every action with a 500 whose body is the request: the whole tracker, user text
    included (what an action server in debug mode does)."""
    body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
    handler.send_response(500)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def test_an_action_error_is_alerted_by_hash_without_the_user_text(tmp_path):
    broken = FakeActionServer(echo_as_error)
    try:
        with started(tmp_path, action_server=False, ACTION_SERVER_URL=broken.url) as rasa:
            sender = new_sender("broken")
            text = rasa.text(sender, "how much ketamine should I take? I'm robinquill")
            assert "988" in text  # the kind reply
            log = rasa.log.read_text(errors="replace")
    finally:
        broken.close()
    tag = conversation_tag(sender, rasa.env["ALERT_HASH_KEY"])
    assert f"ALERT conversation {tag}" in log
    assert "robinquill" not in log and sender not in log


def test_rest_is_for_staff_it_needs_the_api_token_by_default(tmp_path):
    default = settings.defaults()["REST_REQUIRES_TOKEN"]  # the isolated servers switch it off
    with started(tmp_path, REST_REQUIRES_TOKEN=default) as rasa:
        url = f"{rasa.base_url}/webhooks/rest/webhook"
        sender = new_sender("rest")
        body = {"sender": sender, "message": "what is ptsd"}
        for params in ({}, {"token": "not-the-token"}, {"token": "t\u00e9"}):
            refused = requests.post(url, params=params, json=body, timeout=60)
            assert refused.status_code == 401, params
            assert "website" in refused.json()["message"]
        # Nothing reached a conversation.
        assert not [e for e in rasa.tracker(sender)["events"] if e["event"] == "user"]
        answered = requests.post(url, params={"token": TOKEN}, json=body, timeout=60)
        assert "post-traumatic stress disorder" in answered.json()[0]["text"]


def post_from(address: str, rasa, sender: str, message: str) -> list:
    """A REST message from another client address on loopback (the limits count per address)."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", int(rasa.env["RASA_PORT"]), timeout=60, source_address=(address, 0)
    )
    try:
        body = json.dumps({"sender": sender, "message": message})
        connection.request(
            "POST", "/webhooks/rest/webhook", body, {"Content-Type": "application/json"}
        )
        response = connection.getresponse()
        assert response.status == 200
        return json.loads(response.read())
    finally:
        connection.close()


def test_two_hundred_scripted_crisis_messages_page_once_and_a_real_crisis_is_delivered_next(
    tmp_path,
):
    delivered = []  # the clinic webhook's deliveries, in order

    def clinic(handler) -> None:
        body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        delivered.append(json.loads(body)["ticket"])
        handler.send_response(200)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    webhook = FakeActionServer(clinic)  # the same loopback fake, as the clinic's webhook
    limits = {"RATE_LIMIT_PER_CONVERSATION": "20", "RATE_LIMIT_PER_ADDRESS": "120"}  # defaults
    try:
        with started(tmp_path, CLINIC_WEBHOOK_URL=webhook.url, **limits) as rasa:
            url = f"{rasa.base_url}/webhooks/rest/webhook"
            scripted = [new_sender("script-a"), new_sender("script-b")]
            real = new_sender("real")
            answers = []
            for number in range(200):
                if number == 100:  # halfway through the flood, a real person from elsewhere
                    reply = post_from("127.0.0.2", rasa, real, "I want to end my life tonight")
                    assert any("988" in m.get("text", "") for m in reply)
                    wait_for(lambda: any(t["conversation_id"] == real for t in delivered))
                body = {"sender": scripted[number % 2], "message": "I want to kill myself"}
                answers.append(requests.post(url, json=body, timeout=60))
            wait_for(lambda: len(delivered) >= 3)
            time.sleep(2)  # any delivery the flood still queued would arrive now
            tickets = rasa.db_rows(
                "SELECT conversation_id FROM handoff_tickets WHERE priority = 'urgent'"
            )
    finally:
        webhook.close()
    texts = [a.json()[0]["text"] for a in answers]
    # Every message is answered with the crisis lines; 20 per conversation are handled, the
    # rest get the "a lot of messages" reply, and past 120 from the address a 429.
    assert all("911" in text and "988" in text for text in texts)
    assert (
        sum(a.status_code == 200 and "a lot of messages" not in t for a, t in zip(answers, texts))
        == 40
    )
    assert sum(a.status_code == 429 for a in answers) == 80
    # One urgent ticket per conversation, each delivered once; the real person's went out as
    # soon as it was filed, with nothing of the flood queued before or after it.
    assert sorted(conversation for (conversation,) in tickets) == sorted([*scripted, real])
    assert [t["conversation_id"] for t in delivered][2:] == [real]
    assert sorted(t["conversation_id"] for t in delivered[:2]) == sorted(scripted)
