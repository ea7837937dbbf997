"""The staff console without Rasa: accounts, lock-out, sessions, CSRF, holds, audit rows, and
what its HTTP API answers (aiohttp's test server; Rasa's API replaced by a recording fake)."""

import asyncio
import datetime as dt
import re
import sqlite3

import pytest
from aiohttp.test_utils import TestClient, TestServer

from clinic_assistant.console.accounts import Accounts, LockedOut
from clinic_assistant.console.desk import Desk, HeldByOther
from clinic_assistant.console.rasa_api import RasaConversations, transcript
from clinic_assistant.console.server import Console
from clinic_assistant.tickets.store import TicketStore

PASSWORD = "correct horse battery"


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("CONSOLE_MAX_FAILED_LOGINS", "3")
    return TicketStore(f"sqlite:///{tmp_path / 'console.db'}")


@pytest.fixture
def accounts(db):
    accounts = Accounts(db)
    accounts.add("dana", "Dana", "clinician", PASSWORD)
    accounts.add("sam", "Sam", "clinician", PASSWORD)
    accounts.add("ada", "Ada", "admin", PASSWORD)
    return accounts


def audit_rows(db):
    with sqlite3.connect(db.url[len("sqlite:///") :]) as connection:
        return connection.execute(
            "SELECT username, action, ticket_id, outcome FROM staff_audit ORDER BY id"
        ).fetchall()


# ---------------------------------------------------------------- accounts


def test_passwords_are_stored_as_argon2id_hashes(db, accounts):
    with sqlite3.connect(db.url[len("sqlite:///") :]) as connection:
        (stored,) = connection.execute(
            "SELECT password_hash FROM staff_accounts WHERE username = 'dana'"
        ).fetchone()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert accounts.authenticate("dana", PASSWORD).display_name == "Dana"
    assert accounts.authenticate("dana", "wrong password!") is None
    assert accounts.authenticate("nobody", PASSWORD) is None


def test_short_passwords_and_unknown_roles_are_refused(accounts):
    with pytest.raises(ValueError):
        accounts.add("lee", "Lee", "clinician", "short")
    with pytest.raises(ValueError):
        accounts.add("lee", "Lee", "owner", PASSWORD)


def test_repeated_failures_lock_the_account_even_for_the_right_password(accounts):
    for _ in range(3):
        assert accounts.authenticate("dana", "not the password") is None
    with pytest.raises(LockedOut):
        accounts.authenticate("dana", PASSWORD)
    accounts.set_password("dana", PASSWORD + "!")  # an admin resets it: the lock is lifted
    assert accounts.authenticate("dana", PASSWORD + "!").username == "dana"


def test_a_session_opens_closes_and_expires_when_idle(accounts, monkeypatch):
    staff = accounts.authenticate("dana", PASSWORD)
    token = accounts.open_session(staff)
    signed_in = accounts.signed_in(token)
    assert signed_in.staff.username == "dana" and len(signed_in.csrf_token) >= 32
    assert accounts.signed_in(token + "x") is None
    accounts.close_session(token)
    assert accounts.signed_in(token) is None
    idle = accounts.open_session(staff)
    monkeypatch.setenv("CONSOLE_SESSION_MINUTES", "0")
    assert accounts.signed_in(idle) is None


# ---------------------------------------------------------------- holds


def test_the_database_lets_one_clinician_hold_a_conversation(db, accounts):
    desk = Desk(db)
    first = db.file("conv-1", "crisis", "urgent", "help")
    second = db.file("conv-1", "talk_to_human", "routine", "a person please")
    dana, sam = (accounts.authenticate(name, PASSWORD) for name in ("dana", "sam"))
    desk.claim(first, dana)
    desk.claim(first, dana)  # again: still hers
    with pytest.raises(HeldByOther):
        desk.claim(first, sam)
    with pytest.raises(HeldByOther):
        desk.claim(second, sam)  # the same conversation through its other ticket
    assert desk.hold(first.id).display_name == "Dana"
    assert db.get(first.id).status == "claimed"
    desk.release(first.id)
    desk.claim(second, sam)
    assert desk.hold_of_conversation("conv-1").display_name == "Sam"


# ---------------------------------------------------------------- the HTTP API


class FakeRasa:
    """Records what the console asks of Rasa's API; the conversation is paused by take_over."""

    def __init__(self):
        self.calls, self.paused = [], False

    async def tracker(self, conversation_id):
        crisis = {"intent": {"name": "crisis"}}
        return {
            "paused": self.paused,
            "events": [
                {"event": "user", "text": "I want to end it", "parse_data": crisis},
                {"event": "bot", "text": "If you are in danger, call 911."},
            ],
        }

    async def take_over(self, conversation_id, name, channel):
        self.calls.append(("take_over", conversation_id, name))
        self.paused = True

    async def say(self, conversation_id, name, text):
        self.calls.append(("say", conversation_id, name, text))

    async def hand_back(self, conversation_id, name, channel):
        self.calls.append(("hand_back", conversation_id, name))
        self.paused = False

    async def typing(self, conversation_id, name):
        self.calls.append(("typing", conversation_id, name))


def run_with_client(db, scenario, origin=""):
    rasa = FakeRasa()
    console = Console(db, rasa, secure_cookie=False, origin=origin)

    async def main():
        async with TestClient(TestServer(console.app())) as client:
            await scenario(client, rasa)

    asyncio.run(main())
    return rasa


async def sign_in(client, username="dana", password=PASSWORD):
    response = await client.post(
        "/login", data={"username": username, "password": password}, allow_redirects=False
    )
    return response


async def signed_in_client(client, username="dana"):
    """Signs `client` in; returns the CSRF header to send with POSTs."""
    response = await sign_in(client, username)
    assert response.status == 302 and response.headers["Location"] == "/"
    me = await (await client.get("/api/me")).json()
    return {"X-CSRF-Token": me["csrf_token"]}


def test_nothing_but_the_sign_in_page_answers_without_a_session(db, accounts):
    ticket = db.file("conv-1", "crisis", "urgent", "help")

    async def scenario(client, rasa):
        for path in ("/", f"/tickets/{ticket.id}", "/console.js"):
            response = await client.get(path, allow_redirects=False)
            assert response.status == 302 and response.headers["Location"] == "/login", path
        for path in (
            "/api/me",
            "/api/tickets",
            "/api/events",
            f"/api/tickets/{ticket.id}",
            "/api/audit",
        ):
            assert (await client.get(path)).status == 401, path
        response = await client.post(f"/api/tickets/{ticket.id}/claim")
        assert response.status == 401
        assert (await client.get("/login")).status == 200

    rasa = run_with_client(db, scenario)
    assert rasa.calls == [] and db.get(ticket.id).status == "open"


def test_sign_in_failures_are_audited_and_lock_the_account(db, accounts):
    async def scenario(client, rasa):
        for _ in range(3):
            response = await sign_in(client, password="not the password")
            assert response.headers["Location"] == "/login?error=wrong"
        response = await sign_in(client)
        assert response.headers["Location"] == "/login?error=locked"
        assert "console_session" not in response.cookies

    run_with_client(db, scenario)
    outcomes = [row[3] for row in audit_rows(db) if row[1] == "login"]
    assert outcomes == ["wrong name or password"] * 3 + ["locked out"]


def test_the_session_cookie_is_http_only_and_same_site_strict(db, accounts):
    async def scenario(client, rasa):
        cookie = (await sign_in(client)).cookies["console_session"]
        assert cookie["httponly"] and cookie["samesite"] == "Strict"

    run_with_client(db, scenario)


def test_a_post_needs_the_csrf_token_and_a_same_origin(db, accounts):
    ticket = db.file("conv-1", "crisis", "urgent", "help")

    async def scenario(client, rasa):
        csrf = await signed_in_client(client)
        url = f"/api/tickets/{ticket.id}/claim"
        assert (await client.post(url)).status == 403
        assert (await client.post(url, headers={"X-CSRF-Token": "guess"})).status == 403
        cross_site = {**csrf, "Origin": "https://evil.example"}
        assert (await client.post(url, headers=cross_site)).status == 403
        assert db.get(ticket.id).status == "open"
        assert (await client.post(url, headers=csrf)).status == 200

    run_with_client(db, scenario)
    assert db.get(ticket.id).status == "claimed"
    assert ("dana", "/api/tickets/1/claim", None, "csrf refused") in audit_rows(db)


def test_behind_the_tls_proxy_a_post_must_come_from_the_consoles_public_origin(db, accounts):
    ticket = db.file("conv-1", "crisis", "urgent", "help")
    public = "https://staff.example-clinic.org"

    async def scenario(client, rasa):
        csrf = await signed_in_client(client)
        url = f"/api/tickets/{ticket.id}/claim"
        own = f"http://{client.host}:{client.port}"  # what the console sees behind the proxy
        assert (await client.post(url, headers={**csrf, "Origin": own})).status == 403
        assert (await client.post(url, headers={**csrf, "Origin": public})).status == 200

    run_with_client(db, scenario, origin=public)
    assert db.get(ticket.id).status == "claimed"


def test_the_holder_typing_reaches_the_widget_and_is_not_audited(db, accounts):
    widget = db.file("sio-1", "crisis", "urgent", "help", channel="socketio")
    sms = db.file("twilio:abc", "crisis", "urgent", "help", channel="twilio")

    async def scenario(client, rasa):
        csrf = await signed_in_client(client)
        for ticket in (widget, sms):
            url = f"/api/tickets/{ticket.id}"
            assert (await client.post(f"{url}/typing", headers=csrf)).status == 409  # not held
            assert (await client.post(f"{url}/claim", headers=csrf)).status == 200
        answers = [
            await (await client.post(f"/api/tickets/{t.id}/typing", headers=csrf)).json()
            for t in (widget, sms)
        ]
        assert answers == [{"shown": True}, {"shown": False}]  # no typing signal by SMS

    rasa = run_with_client(db, scenario)
    assert rasa.calls == [("typing", "sio-1", "Dana")]
    assert "typing" not in {row[1] for row in audit_rows(db)}


def test_inbox_lists_open_tickets_urgent_first_with_the_clinics_promise(db, accounts):
    routine = db.file("conv-1", "talk_to_human", "routine", "call me")
    urgent = db.file("conv-2", "crisis", "urgent", "help")
    closed = db.file("conv-3", "crisis", "urgent", "help")
    db.set_status(closed.id, "closed")

    async def scenario(client, rasa):
        await signed_in_client(client)
        rows = await (await client.get("/api/tickets")).json()
        assert [row["id"] for row in rows] == [urgent.id, routine.id]
        # clinic.yml handoff: urgent within 15 minutes, the others within 24 hours.
        due = [row["due_at"] for row in rows]
        assert due == [
            (urgent.created_at + dt.timedelta(minutes=15)).isoformat() + "Z",
            (routine.created_at + dt.timedelta(hours=24)).isoformat() + "Z",
        ]
        assert "conversation_id" not in rows[0]

    run_with_client(db, scenario)


def test_claim_take_over_answer_and_hand_back(db, accounts):
    ticket = db.file("conv-1", "crisis", "urgent", "help")

    async def scenario(client, rasa):
        csrf = await signed_in_client(client)
        base = f"/api/tickets/{ticket.id}"
        assert (await client.post(f"{base}/take_over", headers=csrf)).status == 409  # not held
        assert (await client.post(f"{base}/claim", headers=csrf)).status == 200
        message = {"text": "Hi, I'm here with you."}
        response = await client.post(f"{base}/message", headers=csrf, json=message)
        assert response.status == 409  # not taken over yet
        assert (await client.post(f"{base}/take_over", headers=csrf)).status == 200
        assert (await client.post(f"{base}/message", headers=csrf, json=message)).status == 200
        view = await (await client.get(base)).json()
        assert view["held_by_me"] and view["taken_over"]
        assert view["conversation"][0] == {
            "from": "person", "text": "I want to end it", "at": None, "topic": "crisis"
        }  # fmt: skip
        assert (await client.post(f"{base}/hand_back", headers=csrf)).status == 200
        assert (await client.post(f"{base}/close", headers=csrf)).status == 200

    rasa = run_with_client(db, scenario)
    assert rasa.calls == [
        ("take_over", "conv-1", "Dana"),
        ("say", "conv-1", "Dana", "Hi, I'm here with you."),
        ("hand_back", "conv-1", "Dana"),
    ]
    assert db.get(ticket.id).status == "closed"
    actions = [(row[1], row[3]) for row in audit_rows(db) if row[2] == ticket.id]
    assert actions == [
        ("take_over", "Conflict"),
        ("claim", "ok"),
        ("message", "Conflict"),
        ("take_over", "ok"),
        ("message", "ok"),
        ("view", "ok"),
        ("hand_back", "ok"),
        ("close", "ok"),
    ]


def test_a_second_clinician_cannot_claim_or_speak(db, accounts):
    ticket = db.file("conv-1", "crisis", "urgent", "help")

    async def dana_claims(client, rasa):
        csrf = await signed_in_client(client, "dana")
        assert (await client.post(f"/api/tickets/{ticket.id}/claim", headers=csrf)).status == 200

    async def sam_tries(client, rasa):
        csrf = await signed_in_client(client, "sam")
        response = await client.post(f"/api/tickets/{ticket.id}/claim", headers=csrf)
        assert response.status == 409 and await response.text() == "held by Dana"
        response = await client.post(f"/api/tickets/{ticket.id}/take_over", headers=csrf)
        assert response.status == 409
        response = await client.post(f"/api/tickets/{ticket.id}/release", headers=csrf)
        assert response.status == 409

    run_with_client(db, dana_claims)
    rasa = run_with_client(db, sam_tries)
    assert rasa.calls == []
    assert Desk(db).hold(ticket.id).display_name == "Dana"


def test_contact_details_only_with_consent_and_notes_stay_private(db, accounts):
    ticket = db.file("conv-1", "talk_to_human", "routine", "call me")

    async def scenario(client, rasa):
        csrf = await signed_in_client(client)
        view = await (await client.get(f"/api/tickets/{ticket.id}")).json()
        assert view["contact"] is None
        db.record_consent(ticket.id)
        db.add_contact(
            ticket.id, contact_name="Alex", contact_method="phone", contact_value="+15550100199"
        )
        view = await (await client.get(f"/api/tickets/{ticket.id}")).json()
        assert view["contact"]["contact_value"] == "+15550100199"
        note = {"text": "Called back, left a voicemail."}
        assert (
            await client.post(f"/api/tickets/{ticket.id}/note", headers=csrf, json=note)
        ).status == 200
        view = await (await client.get(f"/api/tickets/{ticket.id}")).json()
        assert [(n["by"], n["text"]) for n in view["notes"]] == [("Dana", note["text"])]

    rasa = run_with_client(db, scenario)
    assert rasa.calls == []  # a note never reaches the person


def test_only_admins_read_the_audit_log(db, accounts):
    async def clinician(client, rasa):
        await signed_in_client(client, "dana")
        assert (await client.get("/api/audit")).status == 403

    async def admin(client, rasa):
        await signed_in_client(client, "ada")
        entries = await (await client.get("/api/audit")).json()
        refused = [e for e in entries if e["action"] == "audit" and e["username"] == "dana"]
        assert [e["outcome"] for e in refused] == ["not an admin"]

    run_with_client(db, clinician)
    run_with_client(db, admin)


def test_pages_forbid_framing_and_other_origins_scripts(db, accounts):
    async def scenario(client, rasa):
        response = await client.get("/login")
        assert re.search(r"default-src 'self'", response.headers["Content-Security-Policy"])
        assert response.headers["X-Frame-Options"] == "DENY"

    run_with_client(db, scenario)


# ---------------------------------------------------------------- Rasa's API


def test_the_transcript_tells_the_person_the_assistant_and_a_clinician_apart():
    tracker = {
        "events": [
            {"event": "user", "text": "help", "parse_data": {"intent": {"name": "crisis"}}},
            {"event": "bot", "text": "Call 988."},
            {"event": "bot", "text": "Dana (clinician): Hi.", "metadata": {"clinician": "Dana"}},
            {"event": "action", "name": "action_listen"},
        ]
    }
    assert [(line["from"], line["text"]) for line in transcript(tracker)] == [
        ("person", "help"),
        ("assistant", "Call 988."),
        ("clinician", "Dana (clinician): Hi."),
    ]


def test_a_platform_conversation_id_goes_to_rasa_as_it_is():
    rasa = RasaConversations("http://127.0.0.1:5005/", "token")
    assert rasa._url("twilio:+15550100199", "/events") == (
        "http://127.0.0.1:5005/conversations/twilio:+15550100199/tracker/events"
    )
