"""Shared fixtures. End-to-end fixtures start the real servers through the same
launcher `make run` uses (scripts/serve.py), on free ports with a fresh database."""
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests explore the same examples on every run: a red CI is reproducible, never luck.
settings.register_profile("repeatable", derandomize=True, database=None)
settings.load_profile("repeatable")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


@pytest.fixture
def ticket_store(tmp_path, monkeypatch):
    """A ticket store on its own SQLite file, also used by the actions under test."""
    from actions import escalation
    from actions.handoff.store import TicketStore

    url = f"sqlite:///{tmp_path / 'tickets.db'}"
    monkeypatch.setenv("HANDOFF_DB_URL", url)
    escalation.ticket_store.cache_clear()
    yield TicketStore(url)
    escalation.ticket_store.cache_clear()
