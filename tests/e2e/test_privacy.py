"""Privacy end to end: what the real servers store in the database and write to their log."""

import json
import sys
import uuid
from pathlib import Path

import pytest
from rasa.telemetry import is_telemetry_enabled

TICKET_CONTACT = (
    "SELECT consent, contact_name, contact_method, contact_value, best_time FROM handoff_tickets "
    "WHERE conversation_id = ?"
)


def new_sender() -> str:
    return f"e2e-privacy-{uuid.uuid4().hex[:10]}"


def stored_events(servers, sender):
    return [
        (kind, json.loads(data))
        for kind, data in servers.db_rows(
            "SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id", sender
        )
    ]


def user_texts(events):
    return [data["text"] for kind, data in events if kind == "user"]


def test_a_phone_number_and_email_sent_over_rest_are_stored_as_tokens(servers):
    sender = new_sender()
    servers.send(sender, "my number is 555 301 4477 and my email is rowan.test@example.org")
    events = stored_events(servers, sender)
    assert user_texts(events) == ["my number is [phone] and my email is [email]"]
    everything = json.dumps([data for _, data in events])
    assert "301 4477" not in everything and "rowan.test" not in everything
    # The HTTP API reads the same stored, redacted conversation.
    api_texts = [e["text"] for e in servers.tracker(sender)["events"] if e["event"] == "user"]
    assert api_texts == ["my number is [phone] and my email is [email]"]


def test_consented_contact_details_reach_the_ticket_but_not_the_conversation(servers):
    sender = new_sender()
    servers.send(sender, "/talk_to_human")
    consent = servers.text(sender, "yes")
    assert "may we keep your name" in consent.lower(), "consent is asked before any detail"
    for answer in ("/affirm", "Rowan Quist", "phone", "555 301 4477"):
        servers.send(sender, answer)
    assert "contact you" in servers.text(sender, "tuesday afternoons").lower()

    assert servers.db_rows(TICKET_CONTACT, sender) == [
        (1, "Rowan Quist", "phone", "+15553014477", "tuesday afternoons")
    ]
    events = stored_events(servers, sender)
    assert user_texts(events) == [
        "/talk_to_human",
        "yes",
        "/affirm",
        "[name]",
        "phone",
        "[contact]",
        "[time]",
    ]
    everything = json.dumps([data for _, data in events])
    for detail in ("Rowan", "Quist", "301 4477", "3014477", "tuesday afternoons"):
        assert detail not in everything


def test_withdrawing_during_the_form_leaves_no_contact_detail_on_the_ticket(servers):
    sender = new_sender()
    servers.send(sender, "/medical_dosage")
    for answer in ("yes", "/affirm", "Rowan", "phone", "555 301 4477"):
        servers.send(sender, answer)
    assert servers.db_rows(TICKET_CONTACT, sender) == [(1, "Rowan", "phone", "+15553014477", None)]
    servers.send(sender, "/deny")
    assert servers.db_rows(TICKET_CONTACT, sender) == [(0, None, None, None, None)]


def test_refusing_consent_asks_for_no_detail(servers):
    sender = new_sender()
    assert "may we keep" in servers.text(sender, "/book_consultation").lower()
    reply = servers.text(sender, "/deny")
    assert "name" not in reply.lower()
    assert servers.db_rows(TICKET_CONTACT, sender) == [(0, None, None, None, None)]


def test_no_user_text_or_contact_detail_is_written_to_the_server_logs(servers):
    sender = new_sender()
    servers.send(sender, "/talk_to_human")
    for answer in ("yes", "/affirm", "Zorbulon", "phone", "555 301 9988", "saturday at dawn"):
        servers.send(sender, answer)
    assert servers.db_rows(TICKET_CONTACT, sender)[0][1] == "Zorbulon", (
        "the conversation ran to the end"
    )
    # Free text with details in it, wherever the assistant routes it.
    servers.send(
        sender, "my neighbour Zorbulon scares me, call 555 301 9988 or write zorbulon@example.org"
    )
    log = servers.log.read_text(errors="replace")
    assert "Filed routine handoff ticket" in log, "the servers log at INFO into this file"
    for text in ("zorbulon", "neighbour", "301 9988", "301-9988", "saturday at dawn"):
        assert text not in log.lower()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_servers_run_with_rasa_telemetry_off(servers, monkeypatch):
    for process in (servers.rasa_server, servers.action_server):
        environment = Path(f"/proc/{process.pid}/environ").read_bytes().split(b"\0")
        assert b"RASA_TELEMETRY_ENABLED=false" in environment
    monkeypatch.setenv("RASA_TELEMETRY_ENABLED", servers.env["RASA_TELEMETRY_ENABLED"])
    assert not is_telemetry_enabled()
