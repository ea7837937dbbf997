"""Staff accounts and their sessions.

Passwords are hashed with argon2id (argon2-cffi's PasswordHasher and its default parameters).
After CONSOLE_MAX_FAILED_LOGINS wrong passwords in a row an account is locked for
CONSOLE_LOCKOUT_MINUTES. A session is a random token in a cookie; the database keeps only its
SHA-256, with the session's CSRF token, and forgets it after CONSOLE_SESSION_MINUTES idle.
"""

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from clinic_assistant import settings
from clinic_assistant.console.models import ROLES, Base, StaffAccount, StaffSession
from clinic_assistant.tickets.models import utcnow
from clinic_assistant.tickets.store import TicketStore

_hasher = PasswordHasher()
# Checked when the username is unknown, so a wrong name takes as long as a wrong password.
_UNKNOWN_USER_HASH = _hasher.hash(secrets.token_hex(16))
MIN_PASSWORD_CHARS = 12


class LockedOut(Exception):
    pass


@dataclass(frozen=True)
class Staff:
    id: int
    username: str
    display_name: str
    role: str


@dataclass(frozen=True)
class SignedIn:
    staff: Staff
    csrf_token: str


def _staff(account: StaffAccount) -> Staff:
    return Staff(account.id, account.username, account.display_name, account.role)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Accounts:
    def __init__(self, db: TicketStore) -> None:
        self._session = db._session
        Base.metadata.create_all(db.engine)

    def add(self, username: str, display_name: str, role: str, password: str) -> Staff:
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}")
        if len(password) < MIN_PASSWORD_CHARS:
            raise ValueError(f"a password needs at least {MIN_PASSWORD_CHARS} characters")
        with self._session() as session:
            account = StaffAccount(
                username=username,
                display_name=display_name,
                role=role,
                password_hash=_hasher.hash(password),
            )
            session.add(account)
            session.flush()
            return _staff(account)

    def set_password(self, username: str, password: str) -> None:
        if len(password) < MIN_PASSWORD_CHARS:
            raise ValueError(f"a password needs at least {MIN_PASSWORD_CHARS} characters")
        with self._session() as session:
            account = session.query(StaffAccount).filter_by(username=username).one()
            account.password_hash = _hasher.hash(password)
            account.failed_logins, account.locked_until = 0, None

    def authenticate(self, username: str, password: str) -> Optional[Staff]:
        """The account if the password is right; None if not. Raises LockedOut while locked
        (the password is not even checked then)."""
        with self._session() as session:
            account = session.query(StaffAccount).filter_by(username=username).one_or_none()
            if account is None:
                _verify(_UNKNOWN_USER_HASH, password)
                return None
            if account.locked_until and account.locked_until > utcnow():
                raise LockedOut(username)
            if not _verify(account.password_hash, password):
                account.failed_logins += 1
                if account.failed_logins >= int(settings.get("CONSOLE_MAX_FAILED_LOGINS")):
                    minutes = float(settings.get("CONSOLE_LOCKOUT_MINUTES"))
                    account.locked_until = utcnow() + dt.timedelta(minutes=minutes)
                    account.failed_logins = 0
                return None
            account.failed_logins, account.locked_until = 0, None
            if _hasher.check_needs_rehash(account.password_hash):
                account.password_hash = _hasher.hash(password)
            return _staff(account)

    def open_session(self, staff: Staff) -> str:
        """A new session for `staff`; returns the cookie's token (shown only here)."""
        token = secrets.token_urlsafe(32)
        with self._session() as session:
            session.add(
                StaffSession(
                    token_hash=_token_hash(token),
                    staff_id=staff.id,
                    csrf_token=secrets.token_urlsafe(32),
                )
            )
        return token

    def signed_in(self, token: Optional[str]) -> Optional[SignedIn]:
        """Who holds this session cookie, if the session is still open (touching it)."""
        if not token:
            return None
        idle = dt.timedelta(minutes=float(settings.get("CONSOLE_SESSION_MINUTES")))
        with self._session() as session:
            row = session.get(StaffSession, _token_hash(token))
            if row is None:
                return None
            if row.last_seen < utcnow() - idle:
                session.delete(row)
                return None
            row.last_seen = utcnow()
            return SignedIn(_staff(session.get(StaffAccount, row.staff_id)), row.csrf_token)

    def close_session(self, token: Optional[str]) -> None:
        if token:
            with self._session() as session:
                session.query(StaffSession).filter_by(token_hash=_token_hash(token)).delete()


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def same_token(sent: Optional[str], expected: str) -> bool:
    """Constant-time comparison of a CSRF token (non-ASCII is a mismatch, not an error)."""
    return sent is not None and hmac.compare_digest(
        sent.encode("utf-8", "surrogateescape"), expected.encode()
    )
