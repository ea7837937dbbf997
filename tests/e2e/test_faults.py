"""Faults against a real Rasa server: the action server slow or down, the database lost
mid-conversation or unreachable at start. The person always gets a kind reply with the
clinic's number and the crisis lines; staff get an ALERT line in the log."""

import os
import subprocess
import sys
import time
import uuid

import pytest

from clinic_assistant import launcher as serve
from clinic_assistant.channels.safety_net import conversation_tag
from tests.e2e.conftest import FakeActionServer, Servers, started

CLINIC_PHONE = "(555) 010-0142"


def hang(handler) -> None:
    """A hung action server: a stuck database, a stuck call. Nothing for a minute."""
    time.sleep(60)


@pytest.fixture(scope="module")
def slow_actions():
    fake = FakeActionServer(hang)
    yield fake
    fake.close()


@pytest.fixture(scope="module")
def rasa(tmp_path_factory, slow_actions):
    with started(
        tmp_path_factory.mktemp("faults"),
        action_server=False,
        ACTION_SERVER_URL=slow_actions.url,
        ACTION_TIMEOUT_SECONDS="3",
    ) as running:
        yield running


def new_sender() -> str:
    return f"fault-{uuid.uuid4().hex[:10]}"


def alerts(rasa: Servers, sender: str) -> list:
    return [
        line
        for line in rasa.log.read_text(errors="replace").splitlines()
        if f"ALERT conversation {conversation_tag(sender, rasa.env['ALERT_HASH_KEY'])}" in line
    ]


def test_a_question_whose_action_hangs_gets_a_kind_reply_not_a_five_minute_wait(rasa):
    sender = new_sender()
    text = rasa.text(sender, "how much ketamine should I take?")  # Servers.send gives up after 30 s
    assert CLINIC_PHONE in text and "911" in text and "988" in text
    assert alerts(rasa, sender), "staff are alerted"


def test_a_crisis_still_gets_the_crisis_protocol_and_the_failed_urgent_ticket_is_alerted(rasa):
    sender = new_sender()
    text = rasa.text(sender, "I want to kill myself")
    assert "838255" in text and "911" in text and "988" in text
    assert any("action_file_urgent_handoff" in line for line in alerts(rasa, sender))


def test_the_action_server_down_gets_the_same_kind_reply(rasa, slow_actions):
    sender = new_sender()
    slow_actions.close()  # connection refused from now on
    text = rasa.text(sender, "am I eligible for ketamine treatment?")
    assert CLINIC_PHONE in text and "988" in text
    assert any("Couldn't connect" in line for line in alerts(rasa, sender))


def test_losing_the_database_mid_conversation_is_alerted_and_the_person_still_answered(rasa):
    sender = new_sender()
    assert "Source:" in rasa.text(sender, "what is ptsd")
    database = rasa.run_dir / "rasa.db"
    database.rename(rasa.run_dir / "rasa.db.away")
    database.mkdir()  # the path now can't be opened as a database
    try:
        text = rasa.text(sender, "what are the symptoms of ptsd")
    finally:
        database.rmdir()
        (rasa.run_dir / "rasa.db.away").rename(database)
    assert CLINIC_PHONE in text and "988" in text
    assert any("tracker" in line.lower() for line in alerts(rasa, sender))
    # Back again: the conversation carries on and its earlier turn was not lost.
    rasa.text(sender, "thanks")
    assert (
        rasa.db_rows(
            "SELECT count(*) FROM events WHERE sender_id = ? AND type_name = 'user'", sender
        )[0][0]
        >= 2
    )


def test_an_unreachable_database_at_start_is_a_clear_error_not_a_silent_retry(tmp_path):
    env = {
        **os.environ,
        "TRACKER_DB_URL": f"sqlite:///{tmp_path}/missing-dir/rasa.db",
        "DB_CONNECT_SECONDS": "1",
        "RASA_PORT": str(serve.free_port()),
        "ACTION_PORT": str(serve.free_port()),
        "WIDGET_PORT": str(serve.free_port()),
    }
    result = subprocess.run(
        [sys.executable, "-m", "clinic_assistant.launcher"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert (
        "conversation database" in result.stderr and "unable to open database file" in result.stderr
    )
