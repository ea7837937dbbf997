"""The redacting tracker store and retention, on a real database written by the real stores.

SQLite always; PostgreSQL too when TEST_POSTGRES_URL names a throw-away database
(its `events` and `handoff_tickets` tables are dropped before and after each test)."""

import asyncio
import datetime as dt
import json
import os
import re
import time

import pytest
import sqlalchemy as sa
import yaml
from rasa.core.tracker_store import TrackerStore, create_tracker_store
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from clinic_assistant import settings
from clinic_assistant.callback import FORM, NOT_ANSWERS
from clinic_assistant.privacy import __main__ as privacy_cli
from clinic_assistant.privacy.retention import Retention
from clinic_assistant.privacy.tracker_store import (
    CONTACT_SLOTS,
    RedactingSQLTrackerStore,
    redact_event,
)
from clinic_assistant.settings import DEFAULT_DB_URL as DEFAULT_URL
from clinic_assistant.tickets.models import SmsNumber, Ticket
from clinic_assistant.tickets.store import TicketStore
from tests.conftest import ROOT

DOMAIN_YML = yaml.safe_load((ROOT / "domain" / "domain.yml").read_text())
DAY = 24 * 60 * 60


@pytest.fixture(scope="module")
def domain():
    return Domain.load(str(ROOT / "domain"))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'rasa.db'}"
        return
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        pytest.skip(
            "set TEST_POSTGRES_URL to a throw-away PostgreSQL database to run this on PostgreSQL"
        )

    def drop_tables():
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            connection.execute(sa.text("DROP TABLE IF EXISTS events, handoff_tickets CASCADE"))
        engine.dispose()

    drop_tables()
    yield url
    drop_tables()


def raw_events(url, sender):
    """The `events` table as stored: (type_name, intent_name, data)."""
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT type_name, intent_name, data FROM events WHERE sender_id = :sender ORDER "
                "BY id"
            ),
            {"sender": sender},
        ).all()
    engine.dispose()
    return [(type_name, intent, json.loads(data)) for type_name, intent, data in rows]


def user(text, intent, timestamp=None, entities=()):
    """A user message as the Rasa server records it (parse data with our crisis guard's field)."""
    return UserUttered(
        text,
        {"name": intent, "confidence": 0.9},
        list(entities),
        timestamp=timestamp,
        parse_data={"crisis_guard": {"layer": None}},
    )


def listen(timestamp=None):
    return ActionExecuted("action_listen", timestamp=timestamp)


def session_start(timestamp=None):
    return [
        ActionExecuted("action_session_start", timestamp=timestamp),
        SessionStarted(timestamp=timestamp),
        listen(timestamp),
    ]


def save(store, tracker):
    asyncio.run(store.save(tracker))


def retrieve(store, sender):
    return asyncio.run(store.retrieve(sender))


PHONE_MESSAGE = "my number is 555-222-3333 and my email is sam@example.org, I live at 12 Oak Street"


def test_user_text_is_stored_redacted_and_the_live_tracker_keeps_it(db_url, domain):
    store = RedactingSQLTrackerStore(domain=domain, host=db_url)
    entity = {"entity": "contact", "value": "555-222-3333", "start": 13, "end": 25}
    tracker = DialogueStateTracker.from_events(
        "patient-1",
        [
            *session_start(),
            user(PHONE_MESSAGE, "talk_to_human", entities=[entity]),
            ActionExecuted("action_request_handoff"),
            BotUttered("Of course. You can also call (555) 010-0142."),
            SlotSet("handoff_ticket_id", 7),
            listen(),
        ],
        domain.slots,
    )
    save(store, tracker)

    stored = raw_events(db_url, "patient-1")
    assert len(stored) == len(tracker.events)
    [(_, intent, message)] = [row for row in stored if row[0] == "user"]
    redacted = "my number is [phone] and my email is [email], I live at [address]"
    assert intent == "talk_to_human"
    assert message["text"] == message["parse_data"]["text"] == redacted
    assert message["parse_data"]["entities"][0]["value"] == "[phone]"
    assert message["parse_data"]["crisis_guard"] == {"layer": None}, (
        "other parse fields are kept as they were"
    )
    everything = json.dumps([row[2] for row in stored])
    for detail in ("555-222-3333", "sam@example.org", "12 Oak Street"):
        assert detail not in everything
    assert "(555) 010-0142" in everything, "the bot's own messages are stored as sent"
    assert tracker.latest_message.text == PHONE_MESSAGE, (
        "the tracker of the current turn keeps the raw text"
    )
    assert retrieve(store, "patient-1").latest_message.text == redacted


def form_turn(text, intent, slot, value, next_slot):
    return [
        user(text, intent),
        SlotSet(slot, value),
        ActionExecuted(FORM),
        SlotSet(slot, value),
        SlotSet("requested_slot", next_slot),
        BotUttered("next question"),
        listen(),
    ]


def test_callback_form_answers_are_stored_masked_and_later_turns_append(db_url, domain):
    store = RedactingSQLTrackerStore(domain=domain, host=db_url)
    tracker = DialogueStateTracker.from_events(
        "patient-2",
        [
            *session_start(),
            user("can i talk to a person", "talk_to_human"),
            ActionExecuted("action_request_handoff"),
            SlotSet("handoff_ticket_id", 3),
            listen(),
            user("yes please", "affirm"),
            ActionExecuted(FORM),
            ActiveLoop(FORM),
            SlotSet("requested_slot", "callback_consent"),
            listen(),
        ],
        domain.slots,
    )
    save(store, tracker)

    # Each turn starts from the stored tracker, as the Rasa server does.
    tracker = retrieve(store, "patient-2")
    for event in form_turn("/affirm", "affirm", "callback_consent", True, "callback_name"):
        tracker.update(event)
    save(store, tracker)
    tracker = retrieve(store, "patient-2")
    for event in [
        *form_turn(
            "Sam Quill", "out_of_scope", "callback_name", "Sam Quill", "callback_contact_method"
        ),
        *form_turn("phone", "out_of_scope", "callback_contact_method", "phone", "callback_contact"),
        *form_turn(
            "555 222 3333",
            "nlu_fallback",
            "callback_contact",
            "(555) 222-3333",
            "callback_best_time",
        ),
    ]:
        tracker.update(event)
    save(store, tracker)
    tracker = retrieve(store, "patient-2")
    # A crisis message is not an answer: it is kept (redacted), not masked whole.
    for event in [
        user("i want to die, call me 555-222-3333", "crisis"),
        ActionExecuted("utter_crisis"),
        ActiveLoop(None),
        listen(),
    ]:
        tracker.update(event)
    save(store, tracker)

    stored = raw_events(db_url, "patient-2")
    assert len(stored) == len(asyncio.run(store.retrieve_full_tracker("patient-2")).events), (
        "each event stored once"
    )
    texts = [data["text"] for kind, _, data in stored if kind == "user"]
    assert texts == [
        "can i talk to a person",
        "yes please",
        "/affirm",
        "[name]",
        "phone",
        "[contact]",
        "i want to die, call me [phone]",
    ]
    slots = [
        (data["name"], data["value"])
        for kind, _, data in stored
        if kind == "slot" and data["name"].startswith("callback_")
    ]
    assert ("callback_name", "[name]") in slots and ("callback_contact", "[contact]") in slots
    assert ("callback_contact_method", "phone") in slots and ("callback_consent", True) in slots
    everything = json.dumps([row[2] for row in stored])
    for detail in ("Sam Quill", "555 222 3333", "(555) 222-3333", "555-222-3333"):
        assert detail not in everything
    later = retrieve(store, "patient-2")
    assert (
        later.get_slot("callback_contact") == "[contact]"
        and later.get_slot("callback_contact_method") == "phone"
    )


def test_a_deny_during_the_form_is_not_masked():
    data = user("no, 555-222-3333 is my old number", "deny").as_dict()
    assert (
        redact_event(data, answering="callback_contact")["text"] == "no, [phone] is my old number"
    )
    data = user("Sam", "out_of_scope").as_dict()
    assert redact_event(data, answering="callback_name")["text"] == "[name]"
    assert redact_event(data, answering="callback_contact_method")["text"] == "Sam"


def test_the_masked_slots_are_the_forms_free_text_contact_answers():
    form_slots = DOMAIN_YML["forms"][FORM]["required_slots"]
    free_text = {name for name in form_slots if DOMAIN_YML["slots"][name]["type"] == "text"} - {
        "callback_contact_method"
    }
    assert set(CONTACT_SLOTS) == free_text
    # Every answer is read by the form's validation action (actions/forms.py), which never
    # takes a NOT_ANSWERS message as one.
    assert all(DOMAIN_YML["slots"][name]["mappings"] == [{"type": "custom"}] for name in form_slots)
    assert {"crisis", "risk_check", "deny", "cancel"} <= set(NOT_ANSWERS)
    assert form_slots[0] == "callback_consent", "consent is asked before any contact detail"


def test_endpoints_yml_gives_rasa_the_redacting_store(db_url, domain, monkeypatch):
    """A wrong `type` would make Rasa fall back, with only a warning, to an in-memory store."""
    text = (ROOT / "endpoints.yml").read_text()
    for variable in set(re.findall(r"\$\{(\w+)\}", text)):
        monkeypatch.setenv(variable, "1")
    monkeypatch.setenv("TRACKER_DB_URL", db_url)
    monkeypatch.setenv("LOCK_STORE_TYPE", "in_memory")
    endpoints = AvailableEndpoints.read_endpoints(str(ROOT / "endpoints.yml"))
    store = create_tracker_store(endpoints.tracker_store, domain)
    assert isinstance(store, RedactingSQLTrackerStore) and isinstance(store, TrackerStore)
    assert str(store.engine.url) == db_url


class RecordingBroker:
    def __init__(self):
        self.published = []

    def publish(self, event):
        self.published.append(event)


def test_an_event_broker_gets_only_redacted_events(tmp_path, domain):
    broker = RecordingBroker()
    store = RedactingSQLTrackerStore(
        domain=domain, host=f"sqlite:///{tmp_path / 'rasa.db'}", event_broker=broker
    )
    save(
        store,
        DialogueStateTracker.from_events(
            "patient-3", [*session_start(), user(PHONE_MESSAGE, "talk_to_human")], domain.slots
        ),
    )
    assert [e["text"] for e in broker.published if e["event"] == "user"] == [
        "my number is [phone] and my email is [email], I live at [address]"
    ]
    assert {e["sender_id"] for e in broker.published} == {"patient-3"}


def conversation(store, domain, sender, timestamp, text="hello"):
    events = [
        *session_start(timestamp),
        user(text, "greet", timestamp),
        ActionExecuted("utter_greet", timestamp=timestamp),
        listen(timestamp),
    ]
    save(store, DialogueStateTracker.from_events(sender, events, domain.slots))


def set_updated_at(tickets, ticket_id, when):
    with tickets.engine.begin() as connection:
        connection.execute(
            sa.update(Ticket.__table__)
            .where(Ticket.__table__.c.id == ticket_id)
            .values(updated_at=when)
        )


def test_purge_deletes_old_conversations_and_old_closed_tickets_only(db_url, domain):
    store = RedactingSQLTrackerStore(domain=domain, host=db_url)
    tickets = TicketStore(db_url)
    now = time.time()
    conversation(store, domain, "old", now - 40 * DAY)
    conversation(store, domain, "old-but-came-back", now - 40 * DAY)
    conversation(store, domain, "recent", now - 2 * DAY)
    tracker = retrieve(store, "old-but-came-back")  # a message today keeps the whole conversation
    for event in [user("hi again", "greet", now), listen(now)]:
        tracker.update(event)
    save(store, tracker)
    old_closed, old_open, recent_closed = (
        tickets.file(sender, "talk_to_human", "routine") for sender in ("old", "old", "recent")
    )
    for ticket, status, age in (
        (old_closed, "closed", 40),
        (old_open, "open", 40),
        (recent_closed, "closed", 2),
    ):
        tickets.set_status(ticket.id, status)
        set_updated_at(tickets, ticket.id, dt.datetime.utcnow() - dt.timedelta(days=age))

    purged = Retention(db_url, tickets).purge(30, now=now)

    assert (purged.conversations, purged.events, purged.tickets) == (1, 6, 1)
    assert raw_events(db_url, "old") == []
    assert (
        len(raw_events(db_url, "old-but-came-back")) == 8 and len(raw_events(db_url, "recent")) == 6
    )
    assert tickets.get(old_closed.id) is None
    assert tickets.get(old_open.id) and tickets.get(recent_closed.id)


def test_purge_refuses_less_than_a_day(db_url):
    with pytest.raises(ValueError):
        Retention(db_url, TicketStore(db_url)).purge(0)


def test_forget_deletes_one_conversation_and_keeps_its_tickets_without_the_message(db_url, domain):
    store = RedactingSQLTrackerStore(domain=domain, host=db_url)
    tickets = TicketStore(db_url)
    conversation(store, domain, "forget-me", time.time(), text="I have been feeling awful")
    conversation(store, domain, "keep-me", time.time())
    ticket = tickets.file(
        "forget-me", "medical_symptom_report", "routine", "I have been feeling awful"
    )

    forgotten = Retention(db_url, tickets).forget("forget-me")

    assert (forgotten.events, forgotten.kept_tickets) == (6, [ticket.id])
    assert raw_events(db_url, "forget-me") == [] and len(raw_events(db_url, "keep-me")) == 6
    kept = tickets.get(ticket.id)
    assert (kept.message, kept.reason, kept.conversation_id) == (
        "",
        "medical_symptom_report",
        "forget-me",
    )
    assert retrieve(store, "forget-me") is None, "the next message starts a new conversation"


def test_forget_and_purge_delete_the_number_behind_an_sms_conversation(db_url):
    tickets = TicketStore(db_url)
    tickets.remember_sms_number("twilio:forget-me", "+15550100001")
    tickets.remember_sms_number("twilio:old", "+15550100002")
    tickets.remember_sms_number("twilio:recent", "+15550100003")
    ticket = tickets.file("twilio:recent", "crisis", "urgent", "help")
    assert tickets.details(ticket.id)["sms_number"] == "+15550100003"
    with tickets.engine.begin() as connection:
        connection.execute(
            sa.update(SmsNumber.__table__)
            .where(SmsNumber.__table__.c.conversation_id == "twilio:old")
            .values(last_seen=dt.datetime.utcnow() - dt.timedelta(days=40))
        )

    Retention(db_url, tickets).forget("twilio:forget-me")
    Retention(db_url, tickets).purge(30)

    assert tickets.sms_number("twilio:forget-me") is None
    assert tickets.sms_number("twilio:old") is None
    assert tickets.sms_number("twilio:recent") == "+15550100003"


def test_staff_commands(db_url, domain, monkeypatch, capsys):
    monkeypatch.setenv("TRACKER_DB_URL", db_url)
    monkeypatch.setenv("HANDOFF_DB_URL", db_url)
    store = RedactingSQLTrackerStore(domain=domain, host=db_url)
    conversation(store, domain, "web-abc123", time.time())
    ticket = TicketStore(db_url).file("web-abc123", "crisis", "urgent", "help")

    assert privacy_cli.main(["forget", "web-abc123"]) == 0
    out = capsys.readouterr().out
    assert "Deleted conversation 'web-abc123' (6 events)" in out and f"#{ticket.id}" in out
    assert privacy_cli.main(["forget", "nobody-here"]) == 1
    assert privacy_cli.main(["purge", "30"]) == 0
    assert "Deleted 0 conversation(s)" in capsys.readouterr().out
    for bad in ("", "abc", "0", "-3", "2.5"):
        with pytest.raises(SystemExit) as exit_info:
            privacy_cli.main(["purge", bad])
        assert exit_info.value.code == 2
    assert "DAYS must be a whole number of days" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        privacy_cli.main(["purge", ""])
    assert "DAYS is required" in capsys.readouterr().err


def test_retention_defaults_to_the_database_the_servers_use(monkeypatch):
    monkeypatch.delenv("TRACKER_DB_URL", raising=False)
    from clinic_assistant.privacy.retention import tracker_database_url

    assert tracker_database_url() == DEFAULT_URL == settings.defaults()["TRACKER_DB_URL"]


def test_ticket_messages_are_stored_redacted(ticket_store):
    ticket = ticket_store.file(
        "conv-1", "crisis", "urgent", "please call 555-222-3333, I'm at 12 Oak Street"
    )
    assert ticket_store.get(ticket.id).message == "please call [phone], I'm at [address]"
