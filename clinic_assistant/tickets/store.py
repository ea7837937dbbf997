"""Reads and writes handoff tickets in the SQL database (SQLite or PostgreSQL)."""

import datetime as dt
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, List, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from clinic_assistant import settings
from clinic_assistant.redact import redact
from clinic_assistant.tickets.models import (
    PRIORITIES,
    PRIORITY_RANK,
    STATUSES,
    Base,
    SmsNumber,
    Ticket,
    utcnow,
)

CONTACT_FIELDS = ("contact_name", "contact_method", "contact_value", "best_time")
# A delivery claim older than this is taken to be a crashed sender's, and may be taken over.
CLAIM_SECONDS = 120


def database_url() -> str:
    """Tickets live beside the conversations unless HANDOFF_DB_URL says otherwise."""
    return settings.get("HANDOFF_DB_URL")


class TicketStore:
    def __init__(self, url: Optional[str] = None) -> None:
        self.url = url or database_url()
        if self.url.startswith("sqlite:///"):
            Path(self.url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
        self.engine = sa.create_engine(self.url, pool_pre_ping=True)
        Base.metadata.create_all(self.engine)
        self._sessions = sessionmaker(bind=self.engine, expire_on_commit=False)

    @contextmanager
    def _session(self) -> Iterator[Session]:
        session = self._sessions()
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise
        finally:
            session.close()

    def file(
        self,
        conversation_id: str,
        reason: str,
        priority: str,
        message: str = "",
        channel: str = "unknown",
    ) -> Ticket:
        """A new ticket. The triggering message is stored redacted, as in the conversation.

        An urgent ticket is filed once per conversation per URGENT_TICKET_WINDOW_MINUTES: a
        later crisis turn in that window updates the open one (its latest message) instead of
        paging staff again, so a flood of crisis messages gives one ticket, not hundreds."""
        if priority not in PRIORITIES:
            raise ValueError(f"priority must be one of {PRIORITIES}")
        with self._session() as session:
            if priority == "urgent":
                window = dt.timedelta(minutes=float(settings.get("URGENT_TICKET_WINDOW_MINUTES")))
                recent = (
                    session.query(Ticket)
                    .filter(
                        Ticket.conversation_id == conversation_id,
                        Ticket.priority == "urgent",
                        Ticket.status != "closed",
                        Ticket.created_at >= utcnow() - window,
                    )
                    .order_by(Ticket.id.desc())
                    .first()
                )
                if recent is not None:
                    recent.message = redact(message or "")
                    recent.updated_at = utcnow()
                    return recent
            ticket = Ticket(
                conversation_id=conversation_id,
                reason=reason,
                priority=priority,
                message=redact(message or ""),
                channel=channel or "unknown",
            )
            session.add(ticket)
        return ticket

    def record_consent(self, ticket_id: int) -> Ticket:
        """The person agreed that their contact details be kept on this ticket."""
        with self._session() as session:
            ticket = session.get(Ticket, ticket_id)
            ticket.consent = True
        return ticket

    def add_contact(self, ticket_id: int, **details: str) -> Ticket:
        """Stores contact details (CONTACT_FIELDS) given after consent; refused without it."""
        unknown = set(details) - set(CONTACT_FIELDS)
        if unknown:
            raise ValueError(f"not contact fields: {sorted(unknown)}")
        with self._session() as session:
            ticket = session.get(Ticket, ticket_id)
            if not ticket.consent:
                raise PermissionError(f"ticket #{ticket_id}: no consent to store contact details")
            for field, value in details.items():
                setattr(ticket, field, value)
        return ticket

    def clear_contact(self, ticket_id: int) -> Ticket:
        """Consent withdrawn: no contact detail stays on the ticket."""
        with self._session() as session:
            ticket = session.get(Ticket, ticket_id)
            ticket.consent = False
            for field in CONTACT_FIELDS:
                setattr(ticket, field, None)
        return ticket

    def renotify(self, ticket_id: int) -> None:
        """The ticket changed (contact details complete): deliver it to the webhook again."""
        with self._session() as session:
            session.get(Ticket, ticket_id).notification_status = "pending"

    def raise_priority(self, ticket_id: int, priority: str) -> Optional[Ticket]:
        """A ticket's priority goes up, never down (routine < review < urgent); a raised
        ticket is delivered to the webhook again."""
        with self._session() as session:
            ticket = session.get(Ticket, ticket_id)
            if ticket is not None and PRIORITY_RANK[priority] > PRIORITY_RANK[ticket.priority]:
                ticket.priority = priority
                ticket.notification_status = "pending"
        return ticket

    def get(self, ticket_id: int) -> Optional[Ticket]:
        with self._session() as session:
            return session.get(Ticket, ticket_id)

    def details(self, ticket_id: int) -> Optional[dict]:
        """A ticket as staff and the clinic's webhook see it: an SMS conversation's ticket also
        carries the number to call back (`sms_number`)."""
        ticket = self.get(ticket_id)
        if ticket is None:
            return None
        number = self.sms_number(ticket.conversation_id)
        return {**ticket.as_dict(), **({"sms_number": number} if number else {})}

    def remember_sms_number(self, conversation_id: str, number: str) -> None:
        with self._session() as session:
            session.merge(SmsNumber(conversation_id=conversation_id, number=number))

    def sms_number(self, conversation_id: str) -> Optional[str]:
        with self._session() as session:
            row = session.get(SmsNumber, conversation_id)
            return row.number if row else None

    def forget_sms_number(self, conversation_id: str) -> None:
        with self._session() as session:
            session.query(SmsNumber).filter(SmsNumber.conversation_id == conversation_id).delete()

    def list(self, status: Optional[str] = None, limit: int = 100) -> List[Ticket]:
        with self._session() as session:
            query = session.query(Ticket).order_by(Ticket.priority.desc(), Ticket.created_at.desc())
            if status:
                query = query.filter(Ticket.status == status)
            return query.limit(limit).all()

    def set_status(self, ticket_id: int, status: str) -> Optional[Ticket]:
        if status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}")
        with self._session() as session:
            ticket = session.get(Ticket, ticket_id)
            if ticket:
                ticket.status = status
            return ticket

    def purge_closed(self, before: dt.datetime) -> int:
        """Deletes closed tickets last changed before `before` (naive UTC), and the numbers of
        SMS conversations last seen before then; returns how many tickets."""
        with self._session() as session:
            session.query(SmsNumber).filter(SmsNumber.last_seen < before).delete()
            return (
                session.query(Ticket)
                .filter(Ticket.status == "closed", Ticket.updated_at < before)
                .delete(synchronize_session=False)
            )

    def forget_messages(self, conversation_id: str) -> List[int]:
        """A conversation was deleted: its tickets stay (staff may still need to act) but lose
        the message text that triggered them. Returns those tickets' ids."""
        with self._session() as session:
            tickets = (
                session.query(Ticket)
                .filter(Ticket.conversation_id == conversation_id)
                .order_by(Ticket.id)
                .all()
            )
            for ticket in tickets:
                ticket.message = ""
            return [ticket.id for ticket in tickets]

    def _deliverable(self) -> "sa.sql.ColumnElement":
        """Pending or failed, or claimed by a sender that has not finished in CLAIM_SECONDS
        (it crashed): a stale claim may be taken over."""
        stale = utcnow() - dt.timedelta(seconds=CLAIM_SECONDS)
        return sa.or_(
            Ticket.notification_status.in_(("pending", "failed")),
            sa.and_(Ticket.notification_status == "sending", Ticket.updated_at < stale),
        )

    def undelivered(self) -> List[Ticket]:
        """Tickets to deliver, urgent first (then review, then routine), oldest first."""
        rank = sa.case({"urgent": 0, "review": 1}, value=Ticket.priority, else_=2)
        with self._session() as session:
            return session.query(Ticket).filter(self._deliverable()).order_by(rank, Ticket.id).all()

    def claim_delivery(self, ticket_id: int) -> bool:
        """Marks the ticket `sending` if it is still deliverable, in one UPDATE: of two action
        servers (or `tickets retry`) passing over the same ticket, only one sends it."""
        with self._session() as session:
            claimed = session.execute(
                sa.update(Ticket)
                .where(Ticket.id == ticket_id, self._deliverable())
                .values(notification_status="sending", updated_at=utcnow())
                .execution_options(synchronize_session=False)
            )
            return claimed.rowcount == 1

    def record_delivery(self, ticket_id: int, delivered: bool, attempts: int) -> None:
        with self._session() as session:
            ticket = session.get(Ticket, ticket_id)
            ticket.notification_status = "sent" if delivered else "failed"
            ticket.notification_attempts += attempts

    def mark_not_configured(self, ticket_id: int) -> None:
        with self._session() as session:
            session.get(Ticket, ticket_id).notification_status = "not_configured"
