"""Shared fixtures. End-to-end fixtures start the real servers through the same
launcher `make run` uses (clinic_assistant.launcher), on free ports with a fresh database.

tests/scale/ needs PostgreSQL, Redis and nginx: it runs only with --scale (`make scale-test`).
"""

from pathlib import Path

import pytest
from hypothesis import settings

# Property tests explore the same examples on every run: a red CI is reproducible, never luck.
settings.register_profile("repeatable", derandomize=True, database=None)
settings.load_profile("repeatable")

ROOT = Path(__file__).resolve().parent.parent


def pytest_addoption(parser):
    parser.addoption(
        "--scale",
        action="store_true",
        help="run tests/scale: PostgreSQL, Redis, nginx and two Rasa instances (make scale-test)",
    )


def pytest_ignore_collect(collection_path, config):
    if collection_path == ROOT / "tests" / "scale" and not config.getoption("--scale"):
        return True
    return None


@pytest.fixture
def ticket_store(tmp_path, monkeypatch):
    """A ticket store on its own SQLite file, also used by the actions under test."""
    from actions import escalation
    from clinic_assistant.tickets.store import TicketStore

    url = f"sqlite:///{tmp_path / 'tickets.db'}"
    monkeypatch.setenv("HANDOFF_DB_URL", url)
    escalation.ticket_store.cache_clear()
    yield TicketStore(url)
    escalation.ticket_store.cache_clear()
