"""The assistant end to end over REST, against the real Rasa and action servers."""

import json
import uuid

import pytest
import requests

from clinic_assistant import settings
from tests.e2e.conftest import TOKEN


def new_sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:12]}"


def test_greeting_says_automated_education_only_and_not_for_emergencies(servers):
    text = servers.text(new_sender(), "hello").lower()
    assert "automated" in text
    assert "911" in text and "988" in text


def test_topic_question_gets_its_curated_answer_with_a_source(servers):
    messages = servers.send(new_sender(), "what is ptsd")
    text = "\n".join(m.get("text", "") for m in messages)
    assert "Source:" in text
    assert "trauma" in text.lower()
    assert any(m.get("buttons") for m in messages), "a curated answer offers follow-up topics"


@pytest.mark.parametrize(
    "message", ["I want to kill myself", "i took the whole bottle of my pills"]
)
def test_crisis_message_gets_911_and_988(servers, message):
    text = servers.text(new_sender(), message)
    assert "911" in text and "988" in text


def test_crisis_files_an_urgent_ticket(servers):
    sender = new_sender()
    servers.send(sender, "I'm going to kill myself tonight")
    rows = servers.db_rows(
        "SELECT priority, reason FROM handoff_tickets WHERE conversation_id = ?", sender
    )
    assert rows == [("urgent", "crisis")]


def test_after_a_crisis_small_talk_stays_calm_and_keeps_the_crisis_lines(servers):
    sender = new_sender()
    servers.send(sender, "i want to kill myself")
    messages = servers.send(sender, "hello")
    text = "\n".join(m.get("text", "") for m in messages)
    assert "988" in text and "911" in text
    assert "What would you like to know?" not in text
    assert "/crisis" in [b["payload"] for m in messages for b in m.get("buttons", [])]


def test_a_person_asked_for_after_a_crisis_is_urgent_and_promises_no_business_day(servers):
    sender = new_sender()
    servers.send(sender, "i want to kill myself")
    text = servers.text(sender, "/talk_to_human")  # the crisis reply's button
    clinic = settings.load_clinic()["clinic"]
    assert clinic["after_hours"] in text and "business day" not in text
    for answer in ("/affirm", "/affirm", "Sam", "phone", "555 010 2238"):
        servers.send(sender, answer)
    confirmation = servers.text(sender, "as soon as possible")
    assert "marked urgent" in confirmation and clinic["after_hours"] in confirmation
    assert "business day" not in confirmation
    rows = servers.db_rows(
        "SELECT priority, reason, contact_value FROM handoff_tickets WHERE conversation_id = ?",
        sender,
    )
    assert rows == [("urgent", "crisis", "+15550102238")], "one urgent ticket, with the callback"


def test_the_parse_records_which_safety_layer_fired(servers):
    def parse(text):
        response = requests.post(
            f"{servers.base_url}/model/parse",
            params={"token": TOKEN},
            json={"text": text},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()

    lexicon = parse("i took the whole bottle of pills")
    assert lexicon["intent"]["name"] == "crisis"
    assert lexicon["safety"]["layer"] == "lexicon"
    benign = parse("is esketamine approved for people with suicidal thoughts?")
    assert benign["intent"]["name"] != "crisis" and benign["safety"]["layer"] is None


def test_medical_question_is_escalated_not_answered_and_recorded(servers):
    sender = new_sender()
    messages = servers.send(sender, "how many mg of ketamine should I take")
    text = "\n".join(m.get("text", "") for m in messages).lower()
    assert "clinician" in text
    assert "mg" not in text
    assert any(b["payload"] == "/affirm" for m in messages for b in m.get("buttons", []))
    rows = servers.db_rows(
        "SELECT priority, reason, status FROM handoff_tickets WHERE conversation_id = ?", sender
    )
    # The escalation guard files it under the medicine it names (medical_medication).
    [(priority, reason, status)] = rows
    assert (priority, status) == ("routine", "open") and reason.startswith("medical_")


def test_callback_form_stores_consented_contact_on_the_ticket(servers):
    sender = new_sender()
    servers.send(sender, "/medical_eligibility")
    for answer in ("yes", "/affirm", "Sam", "phone", "555 222 3333"):
        servers.send(sender, answer)
    final = servers.text(sender, "weekday mornings")
    assert "contact you" in final.lower()
    rows = servers.db_rows(
        "SELECT consent, contact_name, contact_method, contact_value, best_time FROM "
        "handoff_tickets WHERE conversation_id = ?",
        sender,
    )
    assert rows == [(1, "Sam", "phone", "+15552223333", "weekday mornings")]


def test_a_name_typed_as_its_name_is_stored_as_the_name_and_pages_no_one(servers):
    sender = new_sender()
    servers.send(sender, "/medical_eligibility")
    servers.send(sender, "yes")
    servers.send(sender, "/affirm")
    reply = servers.text(sender, "its Tyler")
    assert "988" not in reply and "how" in reply.lower()
    for answer in ("phone", "555 222 3333", "weekday mornings"):
        servers.send(sender, answer)
    rows = servers.db_rows(
        "SELECT priority, contact_name FROM handoff_tickets WHERE conversation_id = ?", sender
    )
    assert rows == [("routine", "Tyler")]


def test_http_api_refuses_requests_without_the_token(servers):
    response = requests.get(f"{servers.base_url}/conversations/anyone/tracker", timeout=10)
    assert response.status_code == 401
    assert (
        requests.get(f"{servers.base_url}/status", params={"token": TOKEN}, timeout=10).status_code
        == 200
    )


def test_crisis_reply_still_reaches_the_user_when_the_action_server_is_down(servers):
    servers.stop_action_server()
    try:
        text = servers.text(new_sender(), "i'm going to end my life tonight")
    finally:
        servers.start_action_server()
    assert "911" in text and "988" in text


def test_conversation_survives_a_rasa_server_restart(servers):
    sender = new_sender()
    servers.send(sender, "what is ketamine")
    servers.stop_rasa()
    stored = servers.db_rows(
        "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user'", sender
    )
    assert [json.loads(row[0])["text"] for row in stored] == ["what is ketamine"]
    servers.start_rasa()
    servers.send(sender, "thanks")
    user_texts = [e["text"] for e in servers.tracker(sender)["events"] if e["event"] == "user"]
    assert user_texts == ["what is ketamine", "thanks"]
