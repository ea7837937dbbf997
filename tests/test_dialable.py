"""The numbers that can be tapped: the chat widget's come from clinic.yml, with what a phone
dials; on Messenger the clinic's phone gets the platform's own call button."""

from clinic_assistant import dialable, settings
from clinic_assistant.channels.platforms import with_call_button


def test_every_crisis_line_and_clinic_phone_is_dialable_in_the_form_a_phone_dials():
    numbers = {n["text"]: n["dial"] for n in dialable.numbers(settings.load_clinic())}
    assert numbers == {
        "(555) 010-0142": "+15550100142",
        "(555) 010-0143": "+15550100143",
        "1-800-222-1222": "+18002221222",
        "1-800-799-7233": "+18007997233",
        "1-800-656-4673": "+18006564673",
        "838255": "838255",
        "741741": "741741",
        "88788": "88788",
        "911": "911",
        "988": "988",
    }, "'press 1' is not a number; short codes stay as they are"


def test_a_longer_number_is_matched_before_a_shorter_one():
    lengths = [len(n["text"]) for n in dialable.numbers(settings.load_clinic())]
    assert lengths == sorted(lengths, reverse=True)


def test_a_number_abroad_dials_in_e164_from_the_clinics_region():
    assert dialable.dial_address("+44 20 7946 0958", "US") == "+442079460958"
    assert dialable.dial_address("(555) 010-0142", "US") == "+15550100142"


# ---------------------------------------------------------------- Messenger's call button

PHONE, DIAL = "(555) 010-0142", "+15550100142"
CALL = {"type": "phone_number", "title": "Call the clinic", "payload": DIAL}


def template(payload):
    return payload["attachment"]["payload"]


def test_a_messenger_text_naming_the_clinic_phone_gets_a_call_button_and_keeps_its_text():
    text = f"You can reach the clinic at {PHONE}."
    sent = with_call_button({"text": text}, PHONE, DIAL)
    assert template(sent) == {"template_type": "button", "text": text, "buttons": [CALL]}


def test_a_call_button_joins_the_buttons_already_there_up_to_messengers_three():
    connect = {"type": "postback", "title": "Connect me", "payload": "/talk_to_human"}
    one = {
        "attachment": {
            "type": "template",
            "payload": {"template_type": "button", "text": f"Call {PHONE}.", "buttons": [connect]},
        }
    }
    assert template(with_call_button(one, PHONE, DIAL))["buttons"] == [connect, CALL]
    full = {
        "attachment": {
            "type": "template",
            "payload": {
                "template_type": "button",
                "text": f"Call {PHONE}.",
                "buttons": [connect] * 3,
            },
        }
    }
    assert with_call_button(full, PHONE, DIAL) == full


def test_other_messages_are_sent_as_they_are():
    for payload in (
        {"text": "Call or text 988 any time."},  # Messenger's call button takes no short code
        {"text": f"Call {PHONE}.", "quick_replies": [{"title": "Yes"}]},
        {"text": f"Call {PHONE}. " + "x" * 640},  # longer than a button template's text
    ):
        assert with_call_button(payload, PHONE, DIAL) == payload
