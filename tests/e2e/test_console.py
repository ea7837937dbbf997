"""The staff console against the real servers, in Chromium: a patient in the widget and
clinicians in the console, each in their own browser context.

Screenshots of the inbox and of a take-over go to tests/artifacts/ (README "For clinic staff")."""

import subprocess
import sys
import time

import pytest
import requests
from playwright.sync_api import Page, expect

from clinic_assistant import launcher as serve
from tests.e2e.test_widget import ARTIFACTS, CLINIC, WHAT_IS_PTSD, ask, browser, log  # noqa: F401

PASSWORD = "a long staff password"


@pytest.fixture(scope="module")
def console(servers):
    """The console of this test session's servers, with two clinicians made by `make staff`."""
    for username, name in (("dana", "Dana"), ("sam", "Sam")):
        subprocess.run(
            [sys.executable, "-m", "clinic_assistant.console", "staff", "add", username,
             "--name", name],
            env={**servers.env, "STAFF_PASSWORD": PASSWORD},
            check=True,
            capture_output=True,
        )  # fmt: skip
    process = serve.start_console(servers.env, servers.log)
    yield f"http://127.0.0.1:{servers.env['CONSOLE_PORT']}"
    serve.stop([process])


@pytest.fixture
def contexts(browser):  # noqa: F811
    opened = []

    def new() -> Page:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        opened.append(context)
        return context.new_page()

    yield new
    for context in opened:
        context.close()


def sign_in(page: Page, console: str, username: str) -> None:
    page.goto(console + "/")
    expect(page).to_have_url(console + "/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(console + "/")


def ticket_of(servers, conversation_id: str, seconds: float = 30) -> int:
    """The conversation's ticket, once the action server has filed it."""
    deadline = time.monotonic() + seconds
    while True:
        rows = servers.db_rows(
            "SELECT id FROM handoff_tickets WHERE conversation_id = ?", conversation_id
        )
        if rows or time.monotonic() > deadline:
            # On a miss: whether it was filed under another conversation, and what the servers said.
            latest = "SELECT conversation_id, reason FROM handoff_tickets ORDER BY id DESC LIMIT 5"
            said = servers.log.read_text(errors="replace")[-3000:]
            assert len(rows) == 1, (rows, servers.db_rows(latest), said)
            return rows[0][0]
        time.sleep(0.2)


def test_nothing_is_reachable_without_signing_in(console, contexts):
    for path in ("/", "/tickets/1"):
        page = contexts()
        page.goto(console + path)
        expect(page).to_have_url(console + "/login")
    for path in ("/api/tickets", "/api/events", "/api/tickets/1", "/api/me", "/console.js"):
        response = requests.get(console + path, allow_redirects=False, timeout=10)
        assert response.status_code in (302, 401), path
        assert "handoff" not in response.text and "crisis" not in response.text
    response = requests.post(console + "/api/tickets/1/claim", timeout=10)
    assert response.status_code == 401


def test_a_clinician_takes_over_a_crisis_conversation_and_hands_it_back(console, contexts, servers):
    dana = contexts()
    sign_in(dana, console, "dana")
    patient = contexts()
    patient.goto(servers.start_widget())

    # A crisis message: the patient gets the crisis reply, the console an urgent ticket live.
    ask(patient, "I want to kill myself")
    expect(log(patient)).to_contain_text("988")
    session_id = patient.evaluate("JSON.parse(sessionStorage.getItem('clinicChat.session'))")
    ticket = ticket_of(servers, session_id)
    row = dana.locator(f"#inbox tr[data-ticket='{ticket}']")
    expect(row).to_have_class("urgent")
    expect(row.locator(".promise")).to_contain_text("due in")
    expect(dana.locator("#alert")).to_contain_text(f"#{ticket}")
    # Urgent first: every urgent row comes before the first other one.
    priorities = dana.locator("#inbox tbody .priority").all_text_contents()
    assert priorities == sorted(priorities, key=lambda p: p != "urgent"), priorities
    dana.screenshot(path=ARTIFACTS / "console-inbox.png")

    # Dana opens it, claims it and takes over.
    row.get_by_role("link").click()
    expect(dana.locator("#conversation")).to_contain_text("I want to kill myself")
    expect(dana.locator("#facts")).to_contain_text("urgent")
    dana.get_by_role("button", name="Claim").click()
    expect(dana.locator("#facts")).to_contain_text("Dana")
    dana.get_by_role("button", name="Take over the chat").click()
    expect(log(patient)).to_contain_text("Dana, a clinician at")
    expect(patient.get_by_role("status")).to_have_text("Dana, a clinician, is here with you.")
    # While Dana types, the patient is told, politely to a screen reader; the words go when she
    # stops, and when her message arrives.
    typing = patient.locator(".cc-clinician-typing")
    expect(typing).to_have_attribute("aria-live", "polite")
    dana.get_by_label("Message to the person").fill("Hi, I'm Dana.")
    expect(typing).to_have_text("Dana is typing\u2026")
    expect(typing).to_have_text("")
    dana.get_by_label("Message to the person").fill("Hi, I'm Dana. I'm here with you now.")
    expect(typing).to_have_text("Dana is typing\u2026")
    dana.get_by_role("button", name="Send").click()
    expect(log(patient)).to_contain_text("Dana (clinician): Hi, I'm Dana. I'm here with you now.")
    expect(typing).to_have_text("")
    expect(patient.locator(".cc-clinician .cc-bubble")).to_have_text(
        "Dana (clinician): Hi, I'm Dana. I'm here with you now."
    )  # styled as a person's, not labelled "Assistant" for screen readers
    log(patient).evaluate("log => { log.scrollTop = log.scrollHeight; }")
    patient.screenshot(path=ARTIFACTS / "console-take-over-patient.png")

    # While Dana holds it the bot says nothing, except the crisis reply to crisis words.
    ask(patient, "What is PTSD?")
    expect(dana.locator("#conversation")).to_contain_text("What is PTSD?")
    crisis_replies = log(patient).locator(".cc-bot", has_text="988")
    expect(crisis_replies).not_to_have_count(0)
    before = crisis_replies.count()
    ask(patient, "I want to kill myself")
    # The same static reply again; replies arrive in order, so nothing came between.
    expect(crisis_replies).to_have_count(2 * before)
    expect(log(patient)).not_to_contain_text(WHAT_IS_PTSD)
    expect(log(patient)).not_to_contain_text("something went wrong")
    dana.screenshot(path=ARTIFACTS / "console-take-over.png")
    # Still one urgent ticket for the conversation: the crisis while held updated it.
    assert len(servers.db_rows(
        "SELECT id FROM handoff_tickets WHERE conversation_id = ? AND priority = 'urgent'",
        session_id,
    )) == 1  # fmt: skip

    # A second clinician cannot claim it.
    sam = contexts()
    sign_in(sam, console, "sam")
    sam.goto(f"{console}/tickets/{ticket}")
    expect(sam.locator("#facts")).to_contain_text("Dana")
    expect(sam.get_by_role("button", name="Claim")).to_be_hidden()
    csrf = sam.evaluate("fetch('/api/me').then(r => r.json()).then(me => me.csrf_token)")
    status = sam.evaluate(
        "([url, csrf]) => fetch(url, {method: 'POST', headers: {'X-CSRF-Token': csrf}})"
        ".then(r => r.status)",
        [f"/api/tickets/{ticket}/claim", csrf],
    )
    assert status == 409

    # Hand-back: the patient is told, and the assistant answers again.
    dana.get_by_role("button", name="Return to the assistant").click()
    expect(log(patient)).to_contain_text("Dana has left the chat")
    expect(patient.get_by_role("status")).to_be_hidden()
    ask(patient, "What is PTSD?")
    expect(log(patient)).to_contain_text(WHAT_IS_PTSD)

    audit = servers.db_rows(
        "SELECT username, action, outcome FROM staff_audit WHERE ticket_id = ? ORDER BY id", ticket
    )
    for entry in (
        ("dana", "view", "ok"),
        ("dana", "claim", "ok"),
        ("dana", "take_over", "ok"),
        ("dana", "message", "ok"),
        ("dana", "hand_back", "ok"),
        ("sam", "view", "ok"),
        ("sam", "claim", "Conflict"),
    ):
        assert entry in audit, (entry, audit)
    logins = servers.db_rows("SELECT username FROM staff_audit WHERE action = 'login'")
    assert {("dana",), ("sam",)} <= set(logins)


def test_a_person_who_asks_for_a_person_is_told_who_will_answer_and_when(contexts, servers):
    patient = contexts()
    patient.goto(servers.start_widget())
    clinic = CLINIC["clinic"]
    ask(patient, "can I talk to a real person")
    expect(log(patient)).to_contain_text(f"I've let the team at {clinic['name']} know")
    expect(log(patient)).to_contain_text(f"You can also call {clinic['phone']}, {clinic['hours']}")
    patient.get_by_role("button", name="Yes, please contact me").click()
    patient.get_by_role("button", name="Yes, that's fine").click()
    expect(log(patient).locator(".cc-bot").last).to_contain_text("What name should we use")
    for answer, then in (
        ("Sam", "How should we contact you?"),
        ("phone", "What phone number should we call?"),
        ("555 222 3333", "When is a good time to reach you?"),
    ):
        ask(patient, answer)
        expect(log(patient).locator(".cc-bot").last).to_contain_text(then)
    ask(patient, "weekday mornings")
    expect(log(patient)).to_contain_text(
        f"A member of our team will contact you within {clinic['callback_within']}"
    )
