"""The handoff ticket table (SQLAlchemy 1.4, the version Rasa 3.6 ships)."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

Base = declarative_base()

# How soon staff must look, lowest first; a ticket's priority is only ever raised
# (store.raise_priority). review: a possible risk the bot asked about; seen by staff, never paged.
PRIORITY_RANK = {"routine": 0, "review": 1, "urgent": 2}
PRIORITIES = tuple(PRIORITY_RANK)
STATUSES = ("open", "claimed", "closed")
# pending: not yet delivered; sending: claimed by one sender (tickets/store.py claim_delivery);
# sent; failed: retries exhausted (retried on the next ticket or by `tickets retry`);
# not_configured: no webhook URL set.
NOTIFICATION_STATUSES = ("pending", "sending", "sent", "failed", "not_configured")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Ticket(Base):
    __tablename__ = "handoff_tickets"

    id = sa.Column(sa.Integer, primary_key=True)
    created_at = sa.Column(sa.DateTime, nullable=False, default=utcnow)
    updated_at = sa.Column(sa.DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    conversation_id = sa.Column(sa.String(255), nullable=False, index=True)
    channel = sa.Column(sa.String(64), nullable=False, default="unknown")
    reason = sa.Column(sa.String(64), nullable=False)
    priority = sa.Column(sa.String(16), nullable=False)
    message = sa.Column(sa.Text, nullable=False, default="")
    # Contact details are stored only with the person's explicit consent.
    consent = sa.Column(sa.Boolean, nullable=False, default=False)
    contact_name = sa.Column(sa.String(255))
    contact_method = sa.Column(sa.String(16))
    contact_value = sa.Column(sa.String(255))
    best_time = sa.Column(sa.String(255))
    status = sa.Column(sa.String(16), nullable=False, default="open", index=True)
    notification_status = sa.Column(sa.String(16), nullable=False, default="pending", index=True)
    notification_attempts = sa.Column(sa.Integer, nullable=False, default=0)

    def as_dict(self) -> dict:
        data = {column.name: getattr(self, column.name) for column in self.__table__.columns}
        for key in ("created_at", "updated_at"):
            data[key] = data[key].isoformat() + "Z"
        return data


class SmsNumber(Base):
    """The phone number behind an SMS conversation. The conversation id is a keyed hash of the
    number (channels/sms.py), so the conversation, its tickets and the logs never hold the
    number; staff read it here to call back (`tickets show`, the webhook's `sms_number`)."""

    __tablename__ = "sms_numbers"

    conversation_id = sa.Column(sa.String(255), primary_key=True)
    number = sa.Column(sa.String(64), nullable=False)
    last_seen = sa.Column(sa.DateTime, nullable=False, default=utcnow, onupdate=utcnow)
