"""The numbers the chat widget makes tappable come from clinic.yml, with what a phone dials."""

from clinic_assistant import dialable, settings


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
