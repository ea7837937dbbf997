"""Who holds which ticket, private notes, and the audit log.

A hold is a row keyed by the ticket and unique per conversation: two clinicians claiming at the
same moment both try the INSERT and the database lets one through (also across several console
processes). Every view and action is written to the audit log."""

from dataclasses import dataclass
from typing import List, Optional

import sqlalchemy as sa

from clinic_assistant.console.accounts import Staff
from clinic_assistant.console.models import (
    AuditEntry,
    Base,
    StaffAccount,
    TicketHold,
    TicketNote,
)
from clinic_assistant.tickets.models import Ticket
from clinic_assistant.tickets.store import TicketStore


class HeldByOther(Exception):
    """The ticket (or another ticket of its conversation) is held by someone else."""


@dataclass(frozen=True)
class Hold:
    ticket_id: int
    staff_id: int
    display_name: str


class Desk:
    def __init__(self, db: TicketStore) -> None:
        self.tickets = db
        self._session = db._session
        Base.metadata.create_all(db.engine)

    # ------------------------------------------------------------ holds

    def claim(self, ticket: Ticket, staff: Staff) -> None:
        """`staff` holds the ticket from now on; HeldByOther if anyone else holds it or another
        ticket of the same conversation. Claiming one's own ticket again is a no-op."""
        current = self.hold_of_conversation(ticket.conversation_id)
        if current and current.staff_id == staff.id and current.ticket_id == ticket.id:
            return
        try:
            with self._session() as session:
                session.add(
                    TicketHold(
                        ticket_id=ticket.id,
                        conversation_id=ticket.conversation_id,
                        staff_id=staff.id,
                    )
                )
                session.flush()
                session.get(Ticket, ticket.id).status = "claimed"
        except sa.exc.IntegrityError as error:
            raise HeldByOther(ticket.id) from error

    def release(self, ticket_id: int) -> None:
        with self._session() as session:
            session.query(TicketHold).filter_by(ticket_id=ticket_id).delete()

    def hold(self, ticket_id: int) -> Optional[Hold]:
        return self._hold(TicketHold.ticket_id == ticket_id)

    def hold_of_conversation(self, conversation_id: str) -> Optional[Hold]:
        return self._hold(TicketHold.conversation_id == conversation_id)

    def _hold(self, condition: "sa.sql.ColumnElement") -> Optional[Hold]:
        with self._session() as session:
            row = (
                session.query(TicketHold.ticket_id, TicketHold.staff_id, StaffAccount.display_name)
                .join(StaffAccount, StaffAccount.id == TicketHold.staff_id)
                .filter(condition)
                .one_or_none()
            )
            return Hold(*row) if row else None

    def holders(self) -> dict:
        """Ticket id -> the display name of whoever holds it."""
        with self._session() as session:
            rows = (
                session.query(TicketHold.ticket_id, StaffAccount.display_name)
                .join(StaffAccount, StaffAccount.id == TicketHold.staff_id)
                .all()
            )
            return dict(rows)

    # ------------------------------------------------------------ notes

    def add_note(self, ticket_id: int, staff: Staff, text: str) -> None:
        with self._session() as session:
            session.add(TicketNote(ticket_id=ticket_id, staff_id=staff.id, text=text))

    def notes(self, ticket_id: int) -> List[dict]:
        with self._session() as session:
            rows = (
                session.query(TicketNote.created_at, StaffAccount.display_name, TicketNote.text)
                .join(StaffAccount, StaffAccount.id == TicketNote.staff_id)
                .filter(TicketNote.ticket_id == ticket_id)
                .order_by(TicketNote.id)
                .all()
            )
            return [
                {"at": at.isoformat() + "Z", "by": name, "text": text} for at, name, text in rows
            ]

    # ------------------------------------------------------------ audit

    def audit(
        self,
        username: str,
        action: str,
        ticket: Optional[Ticket] = None,
        outcome: str = "ok",
    ) -> None:
        with self._session() as session:
            if action == "view" and self._viewing(session, username, ticket):
                return
            session.add(
                AuditEntry(
                    username=username,
                    action=action,
                    ticket_id=ticket.id if ticket else None,
                    conversation_id=ticket.conversation_id if ticket else None,
                    outcome=outcome,
                )
            )

    @staticmethod
    def _viewing(session: "sa.orm.Session", username: str, ticket: Optional[Ticket]) -> bool:
        """The open ticket page refreshes itself: while this person's latest entry is a view of
        the same ticket, the refresh is the same view (any action in between ends it)."""
        latest = (
            session.query(AuditEntry)
            .filter(AuditEntry.username == username)
            .order_by(AuditEntry.id.desc())
            .first()
        )
        return bool(latest and ticket and latest.action == "view" and latest.ticket_id == ticket.id)

    def audit_log(self, limit: int = 200) -> List[dict]:
        with self._session() as session:
            rows = session.query(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit).all()
            return [
                {
                    "at": row.at.isoformat() + "Z",
                    "username": row.username,
                    "action": row.action,
                    "ticket_id": row.ticket_id,
                    "outcome": row.outcome,
                }
                for row in rows
            ]
