"""The two-stage fallback: topic choices, then rephrase, then a person; crisis first."""

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionClarifyTopic
from clinic_assistant.catalogue import labels as topic_labels
from tests.conftest import ROOT


def user_event(intent, ranking=()):
    parse = {
        "intent": {"name": intent, "confidence": 0.5},
        "intent_ranking": list(ranking),
        "text": "...",
    }
    return {"event": "user", "text": "...", "parse_data": parse}


def tracker_after(*events):
    latest = events[-1]["parse_data"]
    return Tracker("patient", {}, latest, list(events), False, None, {}, "action_listen")


UNSURE = [
    {"name": "nlu_fallback", "confidence": 0.5},
    {"name": "ketamine_side_effects", "confidence": 0.41},
    {"name": "greet", "confidence": 0.2},
    {"name": "ketamine_risks", "confidence": 0.18},
    {"name": "medical_symptom_report", "confidence": 0.1},
    {"name": "ketamine_cost", "confidence": 0.05},
]


def run(tracker):
    dispatcher = CollectingDispatcher()
    ActionClarifyTopic().run(dispatcher, tracker, {})
    return dispatcher.messages


def test_first_unclear_message_offers_the_likeliest_topics_in_plain_words():
    [message] = run(tracker_after(user_event("greet"), user_event("nlu_fallback", UNSURE)))
    assert message["response"] == "utter_clarify_topic"
    assert [b["payload"] for b in message["buttons"]] == [
        "/ketamine_side_effects",
        "/ketamine_risks",
        "/medical_symptom_report",
        "/out_of_scope",
    ]
    assert message["buttons"][0]["title"] == "Side effects"


def test_second_unclear_message_in_a_row_asks_to_rephrase():
    messages = run(
        tracker_after(user_event("nlu_fallback", UNSURE), user_event("nlu_fallback", UNSURE))
    )
    assert [m["response"] for m in messages] == ["utter_ask_rephrase"]


def test_third_unclear_message_offers_a_person():
    events = [user_event("nlu_fallback", UNSURE)] * 3
    assert [m["response"] for m in run(tracker_after(*events))] == ["utter_offer_human"]


def test_a_clear_message_in_between_starts_the_stages_again():
    events = [
        user_event("nlu_fallback", UNSURE),
        user_event("ptsd_what_is"),
        user_event("nlu_fallback", UNSURE),
    ]
    assert [m["response"] for m in run(tracker_after(*events))] == ["utter_clarify_topic"]


def test_possible_crisis_in_the_ranking_brings_the_crisis_lines_first():
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.5},
        {"name": "distress", "confidence": 0.3},
        {"name": "crisis", "confidence": 0.25},
    ]
    messages = run(tracker_after(user_event("nlu_fallback", ranking)))
    assert messages[0]["response"] == "utter_check_safety"
    assert all(b["payload"] != "/crisis" for b in messages[1]["buttons"]), (
        "crisis is answered, not offered as a guess"
    )


def test_every_topic_has_a_plain_language_label():
    intents = yaml.safe_load((ROOT / "domain" / "generated" / "topics.yml").read_text())["intents"]
    labels = topic_labels()
    assert sorted(labels) == sorted(intents)
    assert all(0 < len(label) <= 30 for label in labels.values())


def test_an_unclear_follow_up_is_read_as_one_on_the_last_topic():
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.5},
        {"name": "follow_up", "confidence": 0.45},
        {"name": "ketamine_onset_duration", "confidence": 0.35},
    ]
    tracker = tracker_after(user_event("nlu_fallback", ranking))
    tracker.slots["last_topic"] = "ketamine_onset_duration"
    assert [m["response"] for m in run(tracker)] == ["utter_ketamine_onset_duration"]
    tracker.slots["last_topic"] = None  # with no topic before, the usual choices
    assert [m["response"] for m in run(tracker)] == ["utter_clarify_topic"]


def test_after_a_crisis_an_unclear_message_that_could_be_one_gets_the_protocol():
    ranking = [{"name": "nlu_fallback", "confidence": 0.5}, {"name": "crisis", "confidence": 0.3}]
    tracker = tracker_after(user_event("nlu_fallback", ranking))
    tracker.slots["crisis_active"] = True
    dispatcher = CollectingDispatcher()
    events = ActionClarifyTopic().run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_crisis"]
    assert [e["name"] for e in events] == ["action_file_urgent_handoff"]
