"""Deleting what is stored: old conversations and closed tickets, or one conversation.

Works on SQLite and PostgreSQL alike, on the databases the servers use: TRACKER_DB_URL for
conversations (Rasa's `events` table) and HANDOFF_DB_URL for tickets, with their defaults
from clinic_assistant.settings.
"""

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import List, Optional

import sqlalchemy as sa

from clinic_assistant import settings
from clinic_assistant.tickets.store import TicketStore

SECONDS_PER_DAY = 24 * 60 * 60
# The columns of Rasa's `events` table that deletion needs (rasa/core/tracker_store.py SQLEvent).
EVENTS = sa.table("events", sa.column("sender_id"), sa.column("timestamp"))


def tracker_database_url() -> str:
    return settings.get("TRACKER_DB_URL")


@dataclass
class Purged:
    conversations: int
    events: int
    tickets: int


@dataclass
class Forgotten:
    events: int
    kept_tickets: List[int] = field(default_factory=list)


class Retention:
    def __init__(
        self, tracker_url: Optional[str] = None, tickets: Optional[TicketStore] = None
    ) -> None:
        self.engine = sa.create_engine(tracker_url or tracker_database_url(), pool_pre_ping=True)
        self.tickets = tickets or TicketStore()

    def _has_events(self) -> bool:
        return sa.inspect(self.engine).has_table("events")

    def purge(self, days: int, now: Optional[float] = None) -> Purged:
        """Deletes conversations whose last event is more than `days` days old, and closed
        tickets last changed more than `days` days ago. Open and claimed tickets stay."""
        if days < 1:
            raise ValueError("days must be 1 or more")
        now = time.time() if now is None else now
        cutoff = now - days * SECONDS_PER_DAY
        conversations = events = 0
        if self._has_events():
            stale = (
                sa.select(EVENTS.c.sender_id)
                .group_by(EVENTS.c.sender_id)
                .having(sa.func.max(EVENTS.c.timestamp) < cutoff)
            )
            with self.engine.begin() as connection:
                conversations = len(connection.execute(stale).all())
                events = connection.execute(
                    EVENTS.delete().where(EVENTS.c.sender_id.in_(stale))
                ).rowcount
        # Ticket times are naive UTC.
        tickets = self.tickets.purge_closed(dt.datetime.utcfromtimestamp(cutoff))
        return Purged(conversations, events, tickets)

    def forget(self, conversation_id: str) -> Forgotten:
        """Deletes every event of one conversation, and an SMS conversation's number. Its tickets
        are kept without their message."""
        events = 0
        if self._has_events():
            with self.engine.begin() as connection:
                events = connection.execute(
                    EVENTS.delete().where(EVENTS.c.sender_id == conversation_id)
                ).rowcount
        self.tickets.forget_sms_number(conversation_id)
        return Forgotten(events, self.tickets.forget_messages(conversation_id))
