"""Rasa's socket.io channel with a python-socketio client, the way the website widget uses it.

It catches the python-socketio >= 5.10 regression: Rasa 3.6.21 calls `enter_room` without
`await`, so the socket never joins its session's room and every reply is silently lost."""

import queue
import uuid

import requests
import socketio

from clinic_assistant.channels.webchat import issued_session_id, new_session_id

REPLY_TIMEOUT = 60


def next_reply(replies: queue.Queue) -> dict:
    try:
        return replies.get(timeout=REPLY_TIMEOUT)
    except queue.Empty:
        raise AssertionError(
            f"no bot_uttered within {REPLY_TIMEOUT} s: the socket did not join its session's room "
            "(python-socketio >= 5.10 with Rasa 3.6?)"
        ) from None


def test_a_session_gets_its_replies_as_bot_uttered_events(servers):
    asked_for = f"sio-{uuid.uuid4().hex[:12]}"  # not issued by the server: a new one is
    confirmed, replies = queue.Queue(), queue.Queue()
    client = socketio.Client(reconnection=False)
    client.on("session_confirm", confirmed.put)
    client.on("bot_uttered", replies.put)
    # Polling: without websocket-client installed, that is the transport this client has.
    client.connect(servers.base_url, transports=["polling"], wait_timeout=30)
    try:
        client.emit("session_request", {"session_id": asked_for})
        session_id = confirmed.get(timeout=30)
        assert session_id != asked_for and issued_session_id(
            session_id, servers.env["ALERT_HASH_KEY"]
        )
        client.emit("user_uttered", {"message": "what is ptsd", "session_id": session_id})
        messages = [next_reply(replies)]
        while not messages[-1].get("quick_replies"):  # the buttons ride on the answer's last part
            messages.append(next_reply(replies))
    finally:
        client.disconnect()

    assert messages[0]["text"].startswith("PTSD (post-traumatic stress disorder) is a condition")
    assert len(messages) > 1, "the answer's paragraphs arrive as separate bot_uttered events"
    assert messages[-1]["text"].startswith("Source:")
    assert {
        "title": "PTSD symptoms",
        "payload": "/ptsd_symptoms",
        "content_type": "text",
    } in messages[-1]["quick_replies"]
    user_texts = [e["text"] for e in servers.tracker(session_id)["events"] if e["event"] == "user"]
    assert user_texts == ["what is ptsd"], "the conversation is stored under the session id"


def test_a_browser_on_another_site_cannot_open_a_socket(servers):
    allowed = servers.env["RASA_CORS_ORIGINS"].split()[0]
    for origin, accepted in (("https://evil.example", False), (allowed, True)):
        client = socketio.Client(reconnection=False)
        try:
            client.connect(
                servers.base_url, transports=["polling"], headers={"Origin": origin},
                wait_timeout=30,
            )  # fmt: skip
            connected = client.connected
        except socketio.exceptions.ConnectionError:
            connected = False
        finally:
            client.disconnect()
        assert connected is accepted, origin


def test_a_session_can_be_joined_or_posted_into_only_with_the_id_the_server_issued(servers):
    key = servers.env["ALERT_HASH_KEY"]
    victim = new_session_id(key)  # a widget's session, issued by this server
    assert servers.text(victim, "what is ptsd")  # (REST here, for brevity) it has one turn
    confirmed = queue.Queue()
    client = socketio.Client(reconnection=False)
    client.on("session_confirm", confirmed.put)
    client.connect(servers.base_url, transports=["polling"], wait_timeout=30)
    try:
        # A made-up id, and the victim's id with a forged MAC: each gets a fresh session.
        for claimed in ("someone-elses-session", victim.split(".")[0] + "." + "0" * 20):
            client.emit("session_request", {"session_id": claimed})
            assert confirmed.get(timeout=30) != claimed
            client.emit("user_uttered", {"message": "/deny", "session_id": claimed})
        client.emit("session_request", {"session_id": victim})  # the holder of the id
        assert confirmed.get(timeout=30) == victim
    finally:
        client.disconnect()
    forged = victim.split(".")[0] + "." + "0" * 20
    assert [e for e in servers.tracker(forged)["events"] if e["event"] == "user"] == []
    assert [
        e for e in servers.tracker("someone-elses-session")["events"] if e["event"] == "user"
    ] == []


def test_only_staff_can_show_a_clinician_typing_and_only_in_a_session_issued_here(servers):
    """The staff console's "Dana is typing" (POST /webhooks/socketio/typing, the API token):
    the widget's socket gets a clinician_typing event."""
    typing, confirmed = queue.Queue(), queue.Queue()
    client = socketio.Client(reconnection=False)
    client.on("session_confirm", confirmed.put)
    client.on("clinician_typing", typing.put)
    client.connect(servers.base_url, transports=["polling"], wait_timeout=30)
    url = f"{servers.base_url}/webhooks/socketio/typing"
    try:
        client.emit("session_request", {})
        session_id = confirmed.get(timeout=30)
        body = {"session_id": session_id, "clinician": "Dana"}
        assert requests.post(url, json=body, timeout=30).status_code == 401
        wrong = requests.post(url, json=body, params={"token": "guess"}, timeout=30)
        assert wrong.status_code == 401
        made_up = {**body, "session_id": client.get_sid()}  # every socket is a room too
        token = {"token": servers.env["RASA_AUTH_TOKEN"]}
        assert requests.post(url, json=made_up, params=token, timeout=30).status_code == 400
        sent = requests.post(url, json=body, params=token, timeout=30)
        assert sent.status_code == 200
        assert typing.get(timeout=REPLY_TIMEOUT) == {"clinician": "Dana"}
    finally:
        client.disconnect()
    assert typing.empty(), "the refused requests sent nothing"
