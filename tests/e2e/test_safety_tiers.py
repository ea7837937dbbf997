"""The safety tiers end to end: what the person receives and what staff see (tickets).

The messages are written for these tests; the independent sets in tests/nlu are not used here.
"""

import uuid

import pytest

# Escalated (a named medicine) with some risk in it, short of a tier.
RISKY_MEDICAL_QUESTION = (
    "can i take my trazodone with wine tonight, i don't care what happens anymore"
)


def new_sender() -> str:
    return f"tier-{uuid.uuid4().hex[:12]}"


def tickets(servers, sender):
    return servers.db_rows(
        "SELECT priority, reason FROM handoff_tickets WHERE conversation_id = ? ORDER BY id", sender
    )


def test_possible_risk_is_asked_directly_with_the_lines_and_flagged_for_review(servers):
    sender = new_sender()
    messages = servers.send(sender, "some days i wish i could just not wake up")
    text = "\n".join(m.get("text", "") for m in messages)
    assert "are you thinking about suicide" in text.lower()
    assert "911" in text and "988" in text
    assert [b["payload"] for m in messages for b in m.get("buttons", [])] == ["/affirm", "/deny"]
    assert tickets(servers, sender) == [("review", "possible_risk")]


def test_yes_to_the_direct_question_runs_the_protocol_and_pages(servers):
    sender = new_sender()
    servers.send(sender, "everyone would be better off without me")
    text = servers.text(sender, "/affirm")
    assert "911" in text and "988" in text and "838255" in text
    assert ("urgent", "crisis") in tickets(servers, sender)


def test_possible_risk_again_in_answer_to_the_direct_question_runs_the_protocol(servers):
    sender = new_sender()
    servers.send(sender, "some days i wish i could just not wake up")
    text = servers.text(sender, "everyone would be better off without me")
    assert "are you thinking about suicide" not in text.lower()
    assert "911" in text and "988" in text and "838255" in text
    assert ("urgent", "crisis") in tickets(servers, sender)


def test_no_to_the_direct_question_gets_a_warm_reply_and_no_page(servers):
    sender = new_sender()
    servers.send(sender, "everyone would be better off without me")
    text = servers.text(sender, "no")
    assert "glad" in text.lower() and "988" in text
    assert ("urgent", "crisis") not in tickets(servers, sender)


@pytest.mark.parametrize(
    "message",
    [
        "my grandmother passed away last spring and i still miss her",
        "this commute is killing me lol",
        "i tried to end my life decades ago and i am doing well now",
    ],
)
def test_feelings_and_history_never_page(servers, message):
    sender = new_sender()
    servers.send(sender, message)
    assert ("urgent", "crisis") not in tickets(servers, sender)


def test_spanish_danger_gets_the_spanish_crisis_reply_and_a_ticket(servers):
    sender = new_sender()
    text = servers.text(sender, "me voy a matar esta noche")
    assert "911" in text and "988" in text and "AYUDA" in text
    assert ("urgent", "crisis") in tickets(servers, sender)


def test_a_named_medicine_about_oneself_is_escalated(servers):
    sender = new_sender()
    text = servers.text(sender, "can i keep taking my lamotrigine before the infusion")
    assert "clinician" in text.lower()
    assert tickets(servers, sender) == [("routine", "medical_medication")]


def test_a_medical_question_with_some_risk_shows_the_lines_and_asks_staff_to_review(servers):
    sender = new_sender()
    text = servers.text(sender, RISKY_MEDICAL_QUESTION)
    assert "clinician" in text.lower() and "911" in text and "988" in text
    assert tickets(servers, sender) == [("review", "medical_medication")]


def test_a_risky_medical_question_inside_the_callback_form_raises_its_ticket_to_review(servers):
    sender = new_sender()
    servers.send(sender, "/medical_eligibility")
    servers.send(sender, "yes")
    servers.send(sender, "/affirm")
    assert tickets(servers, sender) == [("routine", "medical_eligibility")]
    text = servers.text(sender, RISKY_MEDICAL_QUESTION)
    assert "911" in text and "988" in text
    assert tickets(servers, sender) == [("review", "medical_eligibility")], "no second ticket"


def test_a_plain_medical_question_shows_no_crisis_lines(servers):
    text = servers.text(new_sender(), "can i keep taking my lamotrigine before the infusion")
    assert "988" not in text


def test_a_typed_slash_command_does_not_skip_the_safety_layers(servers):
    sender = new_sender()
    text = servers.text(sender, "/greet i am going to kill myself tonight")
    assert "911" in text and "988" in text
    assert ("urgent", "crisis") in tickets(servers, sender)


@pytest.mark.parametrize(
    "message,first_line",
    [
        ("i just swallowed the whole bottle of my sleeping pills", "Poison Help"),
        ("he is hitting me right now and i am hiding", "domestic violence hotline"),
        ("i was raped last night", "sexual assault hotline (RAINN)"),
        ("im 13 and my stepdad hits me", "If a child or teen is in danger now"),
        ("i am going to hurt my coworker tomorrow", "If anyone could be hurt right now"),
        ("i am going to kill myself tonight", "Are you thinking about ending your life"),
    ],
)
def test_the_crisis_reply_puts_the_line_for_that_danger_first(servers, message, first_line):
    sender = new_sender()
    text = servers.text(sender, message)
    # Before 988, which every kind carries after its own line.
    assert 0 <= text.find(first_line) < text.find("988")
    assert "911" in text and "988" in text and "838255" in text
    assert ("urgent", "crisis") in tickets(servers, sender)
