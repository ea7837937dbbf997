"""The website chat widget in a real browser (Debian's chromium), against the real servers.

Screenshots go to tests/artifacts/ (git-ignored)."""

import time

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from clinic_assistant import chromium, settings
from clinic_assistant import launcher as serve
from tests.conftest import ROOT

ARTIFACTS = ROOT / "tests" / "artifacts"
REPLY_TIMEOUT = 60_000  # ms: two shared cores, and the first reply warms the model up
CLINIC = settings.load_clinic()

WHAT_IS_PTSD = "PTSD (post-traumatic stress disorder) is a condition"  # domain/responses/ptsd.yml
SYMPTOMS = "PTSD symptoms fall into four groups"
TREATMENTS = "PTSD can be treated."

expect.set_options(timeout=REPLY_TIMEOUT)


@pytest.fixture(scope="module")
def browser():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, servers):
    """Opens the demo page in a fresh browser context (empty sessionStorage); records every
    request."""
    url = servers.start_widget()
    contexts = []

    def opener(width: int = 1280, height: int = 800) -> Page:
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        page.requested = []
        page.on("request", lambda request: page.requested.append(request.url))
        page.goto(url)
        return page

    yield opener
    for context in contexts:
        context.close()


def ask(page: Page, text: str) -> None:
    page.get_by_label("Type your question").fill(text)
    page.get_by_label("Type your question").press("Enter")
    expect(page.locator(".cc-user .cc-bubble").last).to_have_text(f"You: {text}")


def log(page: Page):
    return page.get_by_role("log")


def test_the_notice_and_crisis_lines_show_before_anything_is_sent(open_page):
    page = open_page()
    crisis = CLINIC["crisis_resources"][CLINIC["locale"]]
    assert (crisis["emergency"], crisis["lifeline"]) == ("911", "988")
    expect(page.locator(".cc-crisis")).to_contain_text("Call 911. Call or text 988")
    expect(page.locator(".cc-crisis a[href='tel:988']")).to_be_visible()
    notice = page.locator(".cc-notice")
    expect(notice).to_be_visible()
    for phrase in ("automated assistant", "education only", "not for emergencies", "911", "988"):
        expect(notice).to_contain_text(phrase)
    expect(page.get_by_role("heading", name=CLINIC["clinic"]["name"])).to_be_visible()
    expect(log(page)).to_have_attribute("aria-live", "polite")
    expect(page.locator(".cc-bubble")).to_have_count(0)
    page.screenshot(path=ARTIFACTS / "widget-start.png")
    # Everything comes from the local servers: no CDN, no third party.
    assert page.requested and all(
        url.startswith(("http://127.0.0.1:", "ws://127.0.0.1:")) for url in page.requested
    ), page.requested


def test_a_question_gets_its_curated_answer_and_a_quick_reply_its_own(open_page, servers):
    page = open_page()
    ask(page, "What is PTSD?")
    expect(log(page)).to_contain_text(WHAT_IS_PTSD)
    expect(log(page)).to_contain_text("Source: Institute of Medicine")
    page.get_by_role("button", name="PTSD symptoms").click()
    expect(page.locator(".cc-user .cc-bubble").last).to_have_text("You: PTSD symptoms")
    expect(log(page)).to_contain_text(SYMPTOMS)
    expect(page.get_by_role("button", name="PTSD symptoms")).to_have_count(
        0
    )  # used replies go away
    expect(page.get_by_role("button", name="How PTSD is diagnosed")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "widget-answer.png")


def test_quick_replies_work_from_the_keyboard(open_page):
    page = open_page()
    ask(page, "What is PTSD?")
    reply = page.get_by_role("button", name="Treatments that help")
    expect(reply).to_be_visible()
    page.get_by_label("Type your question").focus()
    for _ in range(10):  # Shift+Tab back from the text box to the reply
        page.keyboard.press("Shift+Tab")
        if reply.evaluate("button => button === document.activeElement"):
            break
    expect(reply).to_be_focused()
    outline = reply.evaluate("button => getComputedStyle(button).outlineStyle")
    assert outline != "none", "keyboard focus is visible"
    page.keyboard.press("Enter")
    expect(log(page)).to_contain_text(TREATMENTS)
    expect(page.get_by_label("Type your question")).to_be_focused()
    page.keyboard.press("Escape")  # closes the chat, back to the "Chat with us" button
    launcher = page.get_by_role("button", name="Chat with us")
    expect(launcher).to_be_focused()
    expect(page.locator(".cc-panel")).to_be_hidden()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Type your question")).to_be_focused()
    expect(log(page)).to_contain_text(TREATMENTS)


def test_a_crisis_message_gets_988_in_the_reply(open_page):
    page = open_page()
    ask(page, "I want to kill myself")
    bot = page.locator(".cc-bot .cc-bubble")
    expect(bot.filter(has_text="988").first).to_be_visible()
    expect(bot.filter(has_text="911").first).to_be_visible()
    page.screenshot(path=ARTIFACTS / "widget-crisis.png")


def stored_events(servers, session_id: str, user_turns: int, seconds: float = 10) -> list:
    """The tracker's events once it holds `user_turns` user messages: Rasa sends the reply
    before it saves the turn, so the page can show an answer a moment before it is stored."""
    deadline = time.monotonic() + seconds
    while True:
        events = servers.tracker(session_id)["events"]
        if sum(e["event"] == "user" for e in events) >= user_turns or time.monotonic() > deadline:
            return events
        time.sleep(0.2)


def test_a_reload_keeps_the_conversation(open_page, servers):
    page = open_page()
    ask(page, "What is PTSD?")
    expect(page.get_by_role("button", name="Treatments that help")).to_be_visible()
    session_id = page.evaluate("JSON.parse(sessionStorage.getItem('clinicChat.session'))")
    page.reload()
    expect(page.locator(".cc-user .cc-bubble")).to_have_text(["You: What is PTSD?"])
    expect(log(page)).to_contain_text(WHAT_IS_PTSD)
    expect(page.locator(".cc-notice")).to_be_visible()
    assert page.evaluate("JSON.parse(sessionStorage.getItem('clinicChat.session'))") == session_id
    page.get_by_role(
        "button", name="Treatments that help"
    ).click()  # the reply offered before the reload
    expect(log(page)).to_contain_text(TREATMENTS)
    events = stored_events(servers, session_id, user_turns=2)
    assert [e["text"] for e in events if e["event"] == "user"] == [
        "What is PTSD?",
        "/ptsd_treatments",
    ]
    assert sum(e["event"] == "bot" and e["text"].startswith(TREATMENTS) for e in events) == 1


def test_long_polling_works_from_the_widget_origin_through_rasa_cors(open_page):
    """Websockets need no CORS; the polling fallback needs the page's origin in
    RASA_CORS_ORIGINS."""
    page = open_page()
    page.route(
        "**/widget-config.js",
        lambda route: route.fulfill(
            content_type="text/javascript",
            body=route.fetch().text() + 'window.ClinicChatConfig.transports = ["polling"];\n',
        ),
    )
    page.reload()
    ask(page, "What is PTSD?")
    expect(log(page)).to_contain_text(WHAT_IS_PTSD)
    assert any("transport=polling" in url for url in page.requested)
    assert not any(url.startswith("ws:") for url in page.requested)


def test_at_phone_width_nothing_scrolls_sideways(open_page):
    page = open_page(375, 740)
    ask(page, "What is PTSD?")
    expect(log(page)).to_contain_text("Source: Institute of Medicine")
    sizes = page.evaluate(
        "({page: document.documentElement.scrollWidth, view: window.innerWidth,"
        " log: document.querySelector('.cc-log').scrollWidth,"
        " logView: document.querySelector('.cc-log').clientWidth})"
    )
    assert sizes["page"] <= sizes["view"] == 375, sizes
    assert sizes["log"] <= sizes["logView"], sizes
    box = page.locator(".cc-panel").bounding_box()
    assert box["x"] == 0 and box["width"] == 375, box
    for part in (".cc-crisis", ".cc-input", ".cc-send"):
        part_box = page.locator(part).bounding_box()
        assert (
            0 <= part_box["x"]
            and part_box["x"] + part_box["width"] <= 375
            and part_box["y"] + part_box["height"] <= 740
        ), (part, part_box)
    page.screenshot(path=ARTIFACTS / "widget-phone.png")


def test_when_the_assistant_cannot_be_reached_the_page_says_so_kindly(open_page, servers):
    page = open_page()
    dead = f"http://127.0.0.1:{serve.free_port()}"
    page.route(
        "**/widget-config.js",
        lambda route: route.fulfill(
            content_type="text/javascript",
            body=route.fetch().text().replace(f"http://127.0.0.1:{servers.env['RASA_PORT']}", dead),
        ),
    )
    page.reload()
    status = page.get_by_role("alert")
    expect(status).to_contain_text("We can't reach the assistant right now", timeout=15_000)
    expect(status).to_contain_text("call 911, or call or text 988")
    page.get_by_label("Type your question").fill("What is PTSD?")
    page.get_by_label("Type your question").press("Enter")
    expect(page.get_by_label("Type your question")).to_have_value(
        "What is PTSD?"
    )  # nothing typed is lost
    expect(page.locator(".cc-bubble")).to_have_count(0)
    page.screenshot(path=ARTIFACTS / "widget-offline.png")


def test_a_question_inside_the_callback_form_is_answered_then_the_form_goes_on(open_page):
    page = open_page()
    ask(page, "I'd like to book an evaluation")
    expect(log(page)).to_contain_text("may we keep your name")
    page.get_by_role("button", name="Yes, that's fine").click()
    name_question = page.locator(".cc-bot .cc-bubble", has_text="What name should we use")
    expect(name_question).to_have_count(1)
    ask(page, "wait, how much does a session cost?")
    expect(log(page)).to_contain_text("I can't give prices")
    expect(name_question).to_have_count(2)  # asked again, not stored as a name
    ask(page, "Sam")
    expect(log(page)).to_contain_text("How should we contact you?")
    page.screenshot(path=ARTIFACTS / "widget-digression.png")


def test_numbers_in_the_answers_can_be_tapped_to_call_or_to_text(open_page):
    """tel: to call, sms: where the answer says to text; the number stays the link's name."""
    page = open_page()
    ask(page, "I want to kill myself")
    reply = page.locator(".cc-bot")  # the reply arrives one paragraph per message
    crisis = CLINIC["crisis_resources"][CLINIC["locale"]]
    assert crisis["text_line"] == "text HOME to 741741" and "or text 838255" in crisis["veterans"]
    expect(reply.get_by_role("link", name="911", exact=True).first).to_have_attribute(
        "href", "tel:911"
    )
    expect(reply.get_by_role("link", name="988", exact=True).first).to_have_attribute(
        "href", "tel:988"
    )
    expect(reply.get_by_role("link", name="741741")).to_have_attribute(
        "href", "sms:741741?body=HOME"
    )
    expect(reply.get_by_role("link", name="838255")).to_have_attribute("href", "sms:838255")
    clinic_phone = CLINIC["clinic"]["phone"]
    expect(reply.get_by_role("link", name=clinic_phone).first).to_have_attribute(
        "href", "tel:+15550100142"
    )
    expect(page.locator(".cc-user a")).to_have_count(0)  # the person's own words stay text
    page.screenshot(path=ARTIFACTS / "widget-tappable-numbers.png")
