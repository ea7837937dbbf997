"""The console's tables, beside the handoff tickets in HANDOFF_DB_URL."""

import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

from clinic_assistant.tickets.models import utcnow

Base = declarative_base()

ROLES = ("clinician", "admin")


class StaffAccount(Base):
    __tablename__ = "staff_accounts"

    id = sa.Column(sa.Integer, primary_key=True)
    username = sa.Column(sa.String(64), nullable=False, unique=True)
    # How patients see this person: "Dana, a clinician at <clinic>".
    display_name = sa.Column(sa.String(64), nullable=False)
    role = sa.Column(sa.String(16), nullable=False)
    password_hash = sa.Column(sa.String(255), nullable=False)
    failed_logins = sa.Column(sa.Integer, nullable=False, default=0)
    locked_until = sa.Column(sa.DateTime)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)


class StaffSession(Base):
    __tablename__ = "staff_sessions"

    # SHA-256 of the cookie's random token: a copy of the database opens no session.
    token_hash = sa.Column(sa.String(64), primary_key=True)
    staff_id = sa.Column(sa.Integer, sa.ForeignKey("staff_accounts.id"), nullable=False)
    csrf_token = sa.Column(sa.String(64), nullable=False)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    last_seen = sa.Column(sa.DateTime, nullable=False, default=utcnow)


class TicketHold(Base):
    """A clinician holds a ticket: one row per ticket and per conversation, so the database
    itself refuses a second clinician (a unique key, not a check in the code)."""

    __tablename__ = "ticket_holds"

    ticket_id = sa.Column(sa.Integer, primary_key=True)
    conversation_id = sa.Column(sa.String(255), nullable=False, unique=True)
    staff_id = sa.Column(sa.Integer, sa.ForeignKey("staff_accounts.id"), nullable=False)
    held_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)


class TicketNote(Base):
    """Private to staff: never sent to the person."""

    __tablename__ = "ticket_notes"

    id = sa.Column(sa.Integer, primary_key=True)
    ticket_id = sa.Column(sa.Integer, nullable=False, index=True)
    staff_id = sa.Column(sa.Integer, sa.ForeignKey("staff_accounts.id"), nullable=False)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    text = sa.Column(sa.Text, nullable=False)


class AuditEntry(Base):
    """Every view and action of a signed-in person, and every sign-in attempt."""

    __tablename__ = "staff_audit"

    id = sa.Column(sa.Integer, primary_key=True)
    at = sa.Column(sa.DateTime, nullable=False, default=utcnow, index=True)
    username = sa.Column(sa.String(64), nullable=False)
    action = sa.Column(sa.String(32), nullable=False)
    ticket_id = sa.Column(sa.Integer, index=True)
    conversation_id = sa.Column(sa.String(255))
    outcome = sa.Column(sa.String(64), nullable=False, default="ok")
