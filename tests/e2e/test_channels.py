"""Telegram, Slack, Facebook Messenger and Twilio SMS against the running Rasa server.

Each test posts the platform's own inbound webhook format, signed as the platform
signs it, and checks the outbound API call that Rasa's connector makes to the
platform (faked on loopback). Unsigned and wrongly signed requests are refused
and reach no conversation.
"""

import asyncio
import hashlib
import hmac
import json
import time
import uuid
from typing import Callable, NamedTuple

import pytest
import requests
from twilio.request_validator import RequestValidator

from clinic_assistant import launcher as serve
from clinic_assistant import settings
from clinic_assistant.channels.safety_net import conversation_tag
from clinic_assistant.channels.sms import sms_conversation_id
from clinic_assistant.console.rasa_api import RasaConversations
from clinic_assistant.tickets.store import TicketStore
from tests.e2e.conftest import TOKEN, Servers, started
from tests.e2e.fake_platforms import BOT_USERNAME, Call, FakePlatforms

ANSWER = "post-traumatic stress disorder"  # from utter_ptsd_what_is
SECRETS = {
    "TELEGRAM_ACCESS_TOKEN": "123456:telegram-test-token",
    "TELEGRAM_BOT_NAME": BOT_USERNAME,
    "TELEGRAM_SECRET_TOKEN": "telegram-secret",
    "SLACK_BOT_TOKEN": "xoxb-slack-test-token",
    "SLACK_SIGNING_SECRET": "slack-signing-secret",
    "FACEBOOK_VERIFY_TOKEN": "facebook-verify",
    "FACEBOOK_APP_SECRET": "facebook-app-secret",
    "FACEBOOK_PAGE_ACCESS_TOKEN": "facebook-page-token",
    "TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
    "TWILIO_AUTH_TOKEN": "twilio-auth-token",
    "TWILIO_NUMBER": "+15550100100",
}


@pytest.fixture(scope="module")
def platforms():
    fake = FakePlatforms()
    yield fake
    fake.close()


@pytest.fixture(scope="module")
def rasa(tmp_path_factory, platforms):
    run_dir = tmp_path_factory.mktemp("channels")
    port = serve.free_port()
    webhooks = f"http://127.0.0.1:{port}/webhooks"
    with started(
        run_dir,
        RASA_PORT=str(port),
        **SECRETS,
        TELEGRAM_WEBHOOK_URL=f"{webhooks}/telegram/webhook",
        TELEGRAM_API_URL=platforms.url,
        SLACK_API_URL=f"{platforms.url}/slack/api",
        FACEBOOK_API_URL=f"{platforms.url}/graph",
        TWILIO_WEBHOOK_URL=f"{webhooks}/twilio/webhook",
        TWILIO_API_URL=f"{platforms.url}/twilio",
    ) as running:
        yield running


def new_id() -> str:
    return uuid.uuid4().hex[:10]


def conv(channel: str, platform_id) -> str:
    """A platform's conversation id as stored: namespaced by its channel."""
    return f"{channel}:{platform_id}"


def events_of(rasa: Servers, sender: str) -> list:
    return [e for e in rasa.tracker(sender)["events"] if e["event"] == "user"]


# --- Telegram ---------------------------------------------------------------------------


def telegram_update(chat_id: int, text: str) -> dict:
    user = {"id": chat_id, "is_bot": False, "first_name": "Pat"}
    return {
        "update_id": chat_id,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "from": user,
            "chat": {**user, "type": "private"},
            "text": text,
        },
    }


def post_telegram(rasa: Servers, update: dict, secret: str) -> requests.Response:
    return requests.post(
        f"{rasa.base_url}/webhooks/telegram/webhook",
        json=update,
        headers={"X-Telegram-Bot-Api-Secret-Token": secret},
        timeout=60,
    )


def test_telegram_registers_its_webhook_with_the_secret_token(rasa, platforms):
    call = platforms.wait_for(lambda c: c.path.endswith("/setWebhook"))
    assert call.contains("telegram-secret") and call.contains("/webhooks/telegram/webhook")


def test_telegram_message_gets_the_curated_answer(rasa, platforms):
    chat_id = int(time.time() * 1000) % 10**9
    assert (
        post_telegram(
            rasa, telegram_update(chat_id, "What is PTSD?"), "telegram-secret"
        ).status_code
        == 200
    )
    platforms.wait_for(
        lambda c: (
            c.path.endswith("/sendMessage") and c.contains(ANSWER) and c.contains(str(chat_id))
        )
    )


def test_telegram_start_greets_and_restart_starts_over(rasa, platforms):
    chat_id = int(time.time() * 1000) % 10**9 + 3

    def sent(text):
        return lambda c: (
            c.path.endswith("/sendMessage") and c.contains(text) and c.contains(str(chat_id))
        )

    post_telegram(rasa, telegram_update(chat_id, "/start"), "telegram-secret")
    platforms.wait_for(sent("automated assistant"))
    post_telegram(rasa, telegram_update(chat_id, "/restart"), "telegram-secret")
    platforms.wait_for(sent("start over"))
    assert not any(sent("something went wrong")(c) for c in list(platforms.calls))


@pytest.mark.parametrize("secret", ["", "not-the-secret"])
def test_telegram_update_without_the_secret_is_refused(rasa, platforms, secret):
    chat_id = int(time.time() * 1000) % 10**9 + 7
    assert post_telegram(rasa, telegram_update(chat_id, "What is PTSD?"), secret).status_code == 403
    assert events_of(rasa, conv("telegram", chat_id)) == []


# --- Slack ----------------------------------------------------------------------------------


def slack_event(user: str, text: str) -> bytes:
    event = {
        "type": "message",
        "channel_type": "im",
        "user": user,
        "text": text,
        "channel": f"D{user}",
        "ts": f"{time.time():.6f}",
    }
    return json.dumps(
        {
            "type": "event_callback",
            "team_id": "T1",
            "api_app_id": "A1",
            "event": event,
            "event_id": f"Ev{new_id()}",
            "event_time": int(time.time()),
        }
    ).encode()


def post_slack(rasa: Servers, body: bytes, secret: str, timestamp: int) -> requests.Response:
    digest = hmac.new(
        secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256
    ).hexdigest()
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": f"v0={digest}",
    }
    return requests.post(
        f"{rasa.base_url}/webhooks/slack/webhook", data=body, headers=headers, timeout=60
    )


def test_slack_direct_message_gets_the_curated_answer(rasa, platforms):
    user = f"U{new_id()}"
    assert post_slack(
        rasa, slack_event(user, "What is PTSD?"), "slack-signing-secret", int(time.time())
    ).ok
    platforms.wait_for(
        lambda c: (
            c.path.endswith("/chat.postMessage") and c.contains(ANSWER) and c.contains(f"D{user}")
        )
    )


@pytest.mark.parametrize("secret,age", [("wrong-secret", 0), ("slack-signing-secret", 600)])
def test_slack_request_wrongly_signed_or_replayed_is_refused(rasa, secret, age):
    user = f"U{new_id()}"
    assert (
        post_slack(
            rasa, slack_event(user, "What is PTSD?"), secret, int(time.time()) - age
        ).status_code
        == 400
    )
    assert events_of(rasa, conv("slack", user)) == []


# --- Facebook Messenger -----------------------------------------------------------------------


def messenger_event(psid: str, text: str) -> bytes:
    entry = {
        "id": "PAGE1",
        "time": int(time.time() * 1000),
        "messaging": [
            {
                "sender": {"id": psid},
                "recipient": {"id": "PAGE1"},
                "timestamp": int(time.time() * 1000),
                "message": {"mid": f"m_{new_id()}", "text": text},
            }
        ],
    }
    return json.dumps({"object": "page", "entry": [entry]}).encode()


def post_messenger(rasa: Servers, body: bytes, headers: dict) -> requests.Response:
    return requests.post(
        f"{rasa.base_url}/webhooks/facebook/webhook",
        data=body,
        headers={"Content-Type": "application/json", **headers},
        timeout=60,
    )


def hub_signature(body: bytes, secret: str = "facebook-app-secret") -> dict:
    return {
        "X-Hub-Signature-256": "sha256="
        + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    }


def test_messenger_verification_handshake_needs_the_verify_token(rasa):
    url = f"{rasa.base_url}/webhooks/facebook/webhook"
    params = {"hub.mode": "subscribe", "hub.challenge": "challenge-42"}
    assert (
        requests.get(url, params={**params, "hub.verify_token": "facebook-verify"}, timeout=10).text
        == "challenge-42"
    )
    assert (
        requests.get(url, params={**params, "hub.verify_token": "guess"}, timeout=10).status_code
        == 403
    )


def test_messenger_message_gets_the_curated_answer(rasa, platforms):
    psid = new_id()
    body = messenger_event(psid, "What is PTSD?")
    assert post_messenger(rasa, body, hub_signature(body)).ok
    platforms.wait_for(
        lambda c: c.path.endswith("/me/messages") and c.contains(ANSWER) and c.contains(psid)
    )


def test_on_messenger_the_clinics_phone_in_the_crisis_reply_has_a_call_button(rasa, platforms):
    psid = new_id()
    body = messenger_event(psid, "I want to kill myself")
    assert post_messenger(rasa, body, hub_signature(body)).ok
    call = platforms.wait_for(
        lambda c: (
            c.path.endswith("/me/messages") and c.contains(psid) and c.contains("phone_number")
        )
    )
    button = {"type": "phone_number", "title": "Call the clinic", "payload": "+15550100142"}
    assert json.dumps(button) in call.body
    assert settings.load_clinic()["clinic"]["phone"] in call.body


@pytest.mark.parametrize("signed", ["unsigned", "wrong secret"])
def test_messenger_request_unsigned_or_wrongly_signed_is_refused(rasa, signed):
    psid = new_id()
    body = messenger_event(psid, "What is PTSD?")
    headers = {} if signed == "unsigned" else hub_signature(body, "not-the-secret")
    assert post_messenger(rasa, body, headers).status_code == 403
    assert events_of(rasa, conv("facebook", psid)) == []


# --- Twilio SMS --------------------------------------------------------------------------------


def sms(phone: str, text: str) -> dict:
    return {
        "From": phone,
        "To": SECRETS["TWILIO_NUMBER"],
        "Body": text,
        "MessageSid": "SM" + new_id(),
        "AccountSid": SECRETS["TWILIO_ACCOUNT_SID"],
        "NumMedia": "0",
    }


def post_sms(rasa: Servers, form: dict, auth_token: str = "twilio-auth-token") -> requests.Response:
    url = f"{rasa.base_url}/webhooks/twilio/webhook"
    signature = RequestValidator(auth_token).compute_signature(url, form)
    return requests.post(url, data=form, headers={"X-Twilio-Signature": signature}, timeout=60)


def random_phone() -> str:
    return "+1555" + str(uuid.uuid4().int)[:7]


def sms_conv(rasa: Servers, phone: str) -> str:
    """An SMS conversation's id as stored: a keyed hash of the number, never the number."""
    return sms_conversation_id(phone, rasa.env["ALERT_HASH_KEY"])


def test_sms_question_gets_the_curated_answer(rasa, platforms):
    phone = random_phone()
    assert post_sms(rasa, sms(phone, "What is PTSD?")).status_code == 204
    platforms.wait_for(
        lambda c: c.path.endswith("/Messages.json") and c.contains(ANSWER) and c.contains(phone)
    )


def test_sms_crisis_message_gets_911_and_988(rasa, platforms):
    phone = random_phone()
    assert post_sms(rasa, sms(phone, "i want to end my life tonight")).status_code == 204
    platforms.wait_for(
        lambda c: c.path.endswith("/Messages.json") and c.contains(phone) and c.contains("988")
    )
    platforms.wait_for(
        lambda c: c.path.endswith("/Messages.json") and c.contains(phone) and c.contains("911")
    )


def test_an_sms_conversation_is_stored_under_a_keyed_hash_and_replies_reach_the_number(
    rasa, platforms
):
    phone = random_phone()
    digits = phone.lstrip("+")
    log_start = rasa.log.stat().st_size
    assert post_sms(rasa, sms(phone, "i want to end my life tonight")).status_code == 204
    platforms.wait_for(
        lambda c: c.path.endswith("/Messages.json") and c.contains(phone) and c.contains("988")
    )
    stored = sms_conv(rasa, phone)
    assert stored.startswith("twilio:") and digits not in stored
    assert [e["text"] for e in events_of(rasa, stored)] == ["i want to end my life tonight"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not urgent_tickets(rasa, stored):
        time.sleep(0.25)
    [(ticket_id,)] = rasa.db_rows(
        "SELECT id FROM handoff_tickets WHERE conversation_id = ?", stored
    )
    # The number is in neither the conversations, the tickets nor the log...
    like = f"%{digits}%"
    assert rasa.db_rows(
        "SELECT count(*) FROM events WHERE sender_id LIKE ? OR data LIKE ?", like, like
    ) == [(0,)]
    assert rasa.db_rows(
        "SELECT count(*) FROM handoff_tickets WHERE conversation_id LIKE ? OR message LIKE ?",
        like,
        like,
    ) == [(0,)]
    assert digits not in rasa.log.read_bytes()[log_start:].decode(errors="replace")
    # ...but staff can read it to call back, on the ticket they see and the webhook gets.
    assert TicketStore(rasa.env["HANDOFF_DB_URL"]).details(ticket_id)["sms_number"] == phone


def test_sms_crisis_whose_reply_cannot_be_sent_is_stored_ticketed_and_alerted_by_hash(
    rasa, platforms
):
    phone = random_phone()
    platforms.failing.add(phone.lstrip("+"))  # every send to this number fails
    assert post_sms(rasa, sms(phone, "i want to end my life tonight")).status_code == 204
    tag = conversation_tag(sms_conv(rasa, phone), rasa.env["ALERT_HASH_KEY"])

    def alerts() -> list:
        log = rasa.log.read_text(errors="replace")
        return [line for line in log.splitlines() if "ALERT" in line and tag in line]

    deadline = time.monotonic() + 60
    while not alerts() and time.monotonic() < deadline:
        time.sleep(0.25)
    assert any("could not be sent" in line for line in alerts())
    assert not any(phone.lstrip("+") in line for line in alerts())
    # The turn went on: stored, and its urgent ticket filed.
    assert [e["text"] for e in events_of(rasa, sms_conv(rasa, phone))] == [
        "i want to end my life tonight"
    ]
    while time.monotonic() < deadline and not urgent_tickets(rasa, sms_conv(rasa, phone)):
        time.sleep(0.25)
    assert urgent_tickets(rasa, sms_conv(rasa, phone)) == 1


class Person(NamedTuple):
    """Someone writing on one platform: how they write, where they are stored, and whether a
    platform API call is a message to them."""

    channel: str  # the input channel's name, as a ticket records it
    conversation: str
    write: Callable[[str], requests.Response]
    is_to_them: Callable[[Call], bool]


def person_on(platform: str, rasa: Servers) -> Person:
    if platform == "telegram":
        chat_id = int(time.time() * 1000) % 10**9 + 11
        return Person(
            "telegram",
            conv("telegram", chat_id),
            lambda text: post_telegram(rasa, telegram_update(chat_id, text), "telegram-secret"),
            lambda c: c.path.endswith("/sendMessage") and c.contains(str(chat_id)),
        )
    if platform == "slack":
        user = f"U{new_id()}"
        return Person(
            "slack",
            conv("slack", user),
            lambda text: post_slack(
                rasa, slack_event(user, text), "slack-signing-secret", int(time.time())
            ),
            lambda c: c.path.endswith("/chat.postMessage") and c.contains(user),
        )
    if platform == "facebook":
        psid = new_id()

        def write(text: str) -> requests.Response:
            body = messenger_event(psid, text)
            return post_messenger(rasa, body, hub_signature(body))

        return Person(
            "facebook",
            conv("facebook", psid),
            write,
            lambda c: c.path.endswith("/me/messages") and c.contains(psid),
        )
    phone = random_phone()
    return Person(
        "twilio",
        sms_conv(rasa, phone),
        lambda text: post_sms(rasa, sms(phone, text)),
        lambda c: c.path.endswith("/Messages.json") and c.contains(phone),
    )


@pytest.mark.parametrize("platform", ["telegram", "slack", "facebook", "twilio"])
def test_a_clinician_takes_over_a_platform_conversation_and_hands_it_back(
    rasa, platforms, platform
):
    """The staff console's take-over (Rasa's events endpoint) reaches the person on the platform
    they wrote from, marked as a person; the bot is silent while held but for the crisis reply;
    after hand-back it answers again."""
    person = person_on(platform, rasa)
    conversations = RasaConversations(rasa.base_url, TOKEN)

    def sent(text: str, after: int = 0) -> Call:
        return platforms.wait_for(lambda c: person.is_to_them(c) and c.contains(text), after=after)

    def handled(count: int) -> None:
        """Waits until the person's `count`th message is stored: its turn, replies included,
        is over (Rasa stores a turn after sending its replies)."""
        deadline = time.monotonic() + 60
        while len(events_of(rasa, person.conversation)) < count:
            assert time.monotonic() < deadline, "the message was not handled"
            time.sleep(0.2)

    assert person.write("What is PTSD?").ok
    sent(ANSWER)
    asyncio.run(conversations.take_over(person.conversation, "Dana", person.channel))
    sent("Dana, a clinician at")
    asyncio.run(conversations.say(person.conversation, "Dana", "I'm here. How are you feeling?"))
    sent("Dana (clinician): I'm here. How are you feeling?")

    # Held: a question gets no answer; crisis words still get the crisis reply.
    held_from = len(platforms.calls)
    assert person.write("What is PTSD?").ok
    handled(2)
    assert person.write("i want to end my life tonight").ok
    sent("988", after=held_from)
    assert not [
        c for c in platforms.calls[held_from:] if person.is_to_them(c) and c.contains(ANSWER)
    ]

    asyncio.run(conversations.hand_back(person.conversation, "Dana", person.channel))
    sent("Dana has left the chat")
    assert not rasa.tracker(person.conversation)["paused"]
    returned_from = len(platforms.calls)
    assert person.write("What is PTSD?").ok
    sent(ANSWER, after=returned_from)


def test_an_sms_conversation_cannot_be_reached_over_rest(rasa, platforms):
    phone = random_phone()
    assert post_sms(rasa, sms(phone, "What is PTSD?")).status_code == 204
    platforms.wait_for(lambda c: c.path.endswith("/Messages.json") and c.contains(phone))
    url = f"{rasa.base_url}/webhooks/rest/webhook"
    for sender in (sms_conv(rasa, phone), f"TWILIO:{phone}"):
        refused = requests.post(url, json={"sender": sender, "message": "/deny"}, timeout=60)
        assert refused.status_code == 400 and refused.json()["error"] == "invalid_sender"
    # The bare number over REST is a REST conversation of its own, not the person's SMS one.
    assert requests.post(url, json={"sender": phone, "message": "hi"}, timeout=60).ok
    assert [e["text"] for e in events_of(rasa, sms_conv(rasa, phone))] == ["What is PTSD?"]


def test_a_replayed_sms_is_acknowledged_and_not_handled_again(rasa, platforms):
    phone = random_phone()
    form = sms(phone, "What is PTSD?")
    assert post_sms(rasa, form).status_code == 204
    platforms.wait_for(lambda c: c.path.endswith("/Messages.json") and c.contains(phone))
    assert post_sms(rasa, form).status_code == 204  # the same signed request again
    time.sleep(2)
    assert [e["text"] for e in events_of(rasa, sms_conv(rasa, phone))] == ["What is PTSD?"]


def test_odd_signature_headers_are_refused_with_403_not_500(rasa):
    update = telegram_update(int(time.time() * 1000) % 10**9, "What is PTSD?")
    assert post_telegram(rasa, update, "t\u00e9l\u00e9gram").status_code == 403
    body = json.dumps({"object": "page", "entry": []}).encode()
    for header in ("sha256=\u00e9\u00e9", "sha1=\u00e9", "\u00ff"):
        key = "X-Hub-Signature" if header.startswith("sha1") else "X-Hub-Signature-256"
        assert post_messenger(rasa, body, {key: header}).status_code == 403, header
    url = f"{rasa.base_url}/webhooks/twilio/webhook"
    form = sms(random_phone(), "hi")
    odd = requests.post(url, data=form, headers={"X-Twilio-Signature": "\u00e9"}, timeout=60)
    assert odd.status_code == 403


def urgent_tickets(rasa: Servers, conversation_id: str) -> int:
    return rasa.db_rows(
        "SELECT count(*) FROM handoff_tickets WHERE conversation_id = ? AND priority = 'urgent'",
        conversation_id,
    )[0][0]


@pytest.mark.parametrize("signed", ["unsigned", "wrong auth token", "tampered body"])
def test_sms_unsigned_wrongly_signed_or_tampered_is_refused(rasa, signed):
    phone = random_phone()
    form = sms(phone, "What is PTSD?")
    url = f"{rasa.base_url}/webhooks/twilio/webhook"
    if signed == "unsigned":
        response = requests.post(url, data=form, timeout=60)
    elif signed == "wrong auth token":
        response = post_sms(rasa, form, auth_token="not-the-token")
    else:
        signature = RequestValidator("twilio-auth-token").compute_signature(url, form)
        response = requests.post(
            url,
            data={**form, "Body": "something else"},
            headers={"X-Twilio-Signature": signature},
            timeout=60,
        )
    assert response.status_code == 403
    assert events_of(rasa, sms_conv(rasa, phone)) == []


def sent_to(platforms, phone: str) -> list:
    return [
        c for c in list(platforms.calls) if c.path.endswith("/Messages.json") and c.contains(phone)
    ]


def test_sms_stop_is_an_opt_out_until_start(rasa, platforms):
    phone = random_phone()
    assert post_sms(rasa, sms(phone, "STOP")).status_code == 204
    [confirmation] = sent_to(platforms, phone)
    assert confirmation.contains("START") and confirmation.contains("988")
    assert (sms_conv(rasa, phone),) in rasa.db_rows("SELECT conversation_id FROM sms_opt_outs")
    # Still read (the safety layers run, the conversation is kept), never answered.
    assert post_sms(rasa, sms(phone, "What is PTSD?")).status_code == 204
    assert len(sent_to(platforms, phone)) == 1
    assert [e["text"] for e in events_of(rasa, sms_conv(rasa, phone))][-1] == "What is PTSD?"
    assert post_sms(rasa, sms(phone, "Start")).status_code == 204
    assert any(c.contains("text us again") for c in sent_to(platforms, phone))
    assert any(c.contains("automated") for c in sent_to(platforms, phone)), "then the greeting"
    assert post_sms(rasa, sms(phone, "What is PTSD?")).status_code == 204
    assert any(c.contains(ANSWER) for c in sent_to(platforms, phone))


def test_sms_crisis_after_stop_still_files_an_urgent_ticket(rasa, platforms):
    phone = random_phone()
    post_sms(rasa, sms(phone, "stop"))
    assert post_sms(rasa, sms(phone, "i want to end my life tonight")).status_code == 204
    rows = rasa.db_rows(
        "SELECT priority FROM handoff_tickets WHERE conversation_id = ?", sms_conv(rasa, phone)
    )
    assert ("urgent",) in rows
    assert len(sent_to(platforms, phone)) == 1, "only the opt-out confirmation"


def test_sms_help_says_who_we_are_how_to_stop_and_the_crisis_lines(rasa, platforms):
    phone = random_phone()
    assert post_sms(rasa, sms(phone, "HELP")).status_code == 204
    texts = sent_to(platforms, phone)
    assert any(c.contains("Reply STOP") and c.contains("988") and c.contains("911") for c in texts)
    assert any(c.contains("I can share general facts") for c in texts), "then what it can do"


def test_a_keyword_inside_a_sentence_is_read_as_text(rasa, platforms):
    phone = random_phone()
    post_sms(rasa, sms(phone, "help me understand what PTSD is"))
    assert not any(c.contains("Reply STOP") for c in sent_to(platforms, phone))
