"""Content checks: every topic is routed and answered; answers are safe and readable."""

import re

import pytest
import textstat
import yaml
from rasa.shared.nlu.training_data.loading import load_data

from clinic_assistant import catalogue, settings
from tests.conftest import ROOT

# The catalogue as data, read here directly: (topic id, routing).
CATALOGUE = yaml.safe_load((ROOT / "content" / "topics.yml").read_text())
TOPICS = [(topic["id"], topic["routing"]) for topic in CATALOGUE["topics"]]
# The domain as Rasa reads it: every file under domain/, the generated ones included.
DOMAIN = {}
for path in sorted((ROOT / "domain").rglob("*.yml")):
    for key, value in yaml.safe_load(path.read_text()).items():
        if isinstance(value, list):
            DOMAIN.setdefault(key, []).extend(value)
        elif isinstance(value, dict):
            DOMAIN.setdefault(key, {}).update(value)
RESPONSES = {}
for path in sorted((ROOT / "domain" / "responses").glob("*.yml")):
    RESPONSES.update(yaml.safe_load(path.read_text())["responses"])
# The one-step rules first: forms.yml also has affirm and deny, as the step after an offer.
RULE_FILES = [
    *(ROOT / "data" / "generated").glob("*.yml"),
    *sorted((ROOT / "data" / "rules").glob("*.yml")),
]
RULE_STEPS = [
    step
    for path in RULE_FILES
    for rule in yaml.safe_load(path.read_text())["rules"]
    for step in rule["steps"]
]
TRAINING = load_data(str(ROOT / "data" / "nlu"))
MEDICAL_GROUPS = ("ptsd_", "ketamine_", "coping_skills", "distress")
DOSE = re.compile(
    r"\b\d+(\.\d+)?\s*(mg|mcg|ml|mg/kg|milligrams?)\b|\btake "
    r"\d+\b|\b(start|stop|change|increase|decrease) (taking )?your (medicine|medication|dose)",
    re.I,
)
CLINIC = settings.load_clinic()


def texts(response_name):
    return [variation["text"] for variation in RESPONSES[response_name]]


def default_text(response_name):
    """The variation sent when no condition (such as crisis_active) applies."""
    return next(v["text"] for v in RESPONSES[response_name] if not v.get("condition"))


def rendered(text):
    return text.format(**settings.slot_values(CLINIC))


def test_catalogue_is_read():
    # The 48 topics of the first catalogue, the safety tiers' five (README "Safety routing"),
    # cancel and follow_up (README "Conversations"), and the five of issue 16.
    assert len(TOPICS) == 60, "content/topics.yml lists the 60 topics of the catalogue"


def test_every_topic_id_is_an_intent_with_training_examples():
    counts = {}
    for example in TRAINING.intent_examples:
        counts[example.get("intent")] = counts.get(example.get("intent"), 0) + 1
    assert sorted(DOMAIN["intents"]) == sorted(topic for topic, _ in TOPICS)
    assert {topic: counts.get(topic, 0) for topic, _ in TOPICS if counts.get(topic, 0) < 25} == {}


def routed_action(intent):
    for index, step in enumerate(RULE_STEPS[:-1]):
        if step.get("intent") == intent and "action" in RULE_STEPS[index + 1]:
            return RULE_STEPS[index + 1]["action"]
    return None


@pytest.mark.parametrize("topic, routing", TOPICS)
def test_every_topic_is_routed_by_its_catalogue_routing(topic, routing):
    expected = {
        "educate": f"utter_{topic}",
        "escalate": "action_escalate_to_clinician",
        "crisis": f"utter_{topic}",
        "ask": f"utter_{topic}",
        "handoff": "action_request_handoff",
    }[routing]
    assert routed_action(topic) == expected
    if routing == "educate":
        assert expected in RESPONSES


@pytest.mark.parametrize(
    "name", sorted(n for n in RESPONSES if n.removeprefix("utter_").startswith(MEDICAL_GROUPS))
)
def test_medical_answers_name_their_sources(name):
    for variation in RESPONSES[name]:
        assert "Source:" in variation["text"]
        assert variation["metadata"]["sources"]


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_no_answer_gives_a_dose_or_tells_to_change_a_medicine(name):
    for text in texts(name):
        assert not DOSE.search(text), DOSE.search(text).group(0)


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_answers_are_readable_at_grade_nine_or_below(name):
    for text in texts(name):
        assert textstat.flesch_kincaid_grade(rendered(text)) <= 9


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_clinic_and_crisis_values_are_never_typed_into_responses(name):
    literal_values = [v for v in settings.slot_values(CLINIC).values() if len(v) > 2]
    for text in texts(name):
        assert not any(value in text for value in literal_values)
        assert not re.search(r"\b(911|988|741741|838255)\b", text)


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_every_placeholder_has_a_configured_value(name):
    for text in texts(name):
        assert "None" not in rendered(text)


def test_crisis_reply_carries_911_988_and_the_other_lines():
    text = rendered(default_text("utter_crisis"))
    for number in ("911", "988", "838255", "741741"):
        assert number in text
    assert "?" in text, "the crisis reply asks directly about safety"


# The line each kind of danger puts first (issue 16): before 988, which every kind also carries.
FIRST_LINE_BY_KIND = {
    "overdose": "{crisis_poison}",
    "abuse": "{crisis_domestic_violence}",
    "sexual_assault": "{crisis_sexual_assault}",
    "child_in_danger": "{crisis_emergency}",
    "harm_to_others": "{crisis_emergency}",
}


def test_every_crisis_kind_puts_its_own_line_first_with_911_988_and_the_clinic():
    by_kind = {
        v["condition"][0]["value"]: v["text"]
        for v in RESPONSES["utter_crisis"]
        if v.get("condition")
    }
    assert {*by_kind, "general"} == set(DOMAIN["slots"]["crisis_kind"]["values"])
    for kind, text in by_kind.items():
        assert text.index(FIRST_LINE_BY_KIND[kind]) < text.index("{crisis_lifeline}"), kind
        for slot in ("{crisis_emergency}", "{crisis_veterans}", "{clinic_phone}"):
            assert slot in text, (kind, slot)
        assert "Are you safe right now?" in text, "each kind asks directly, as the router does"


# Clinic-specific facts come from clinic.yml (issue 16), never typed into the answer.
CLINIC_FACTS = {
    "utter_clinic_services": ("{clinic_services}", "{clinic_referral}", "{clinic_not_offered}"),
    "utter_clinic_after_hours": ("{clinic_hours}", "{clinic_after_hours}", "{crisis_emergency}"),
    "utter_ketamine_session": ("{clinic_support_person}",),
    "utter_ketamine_age": ("{clinic_minimum_age}",),
    "utter_ketamine_cost": ("{clinic_veteran_coverage}",),
    "utter_ptsd_psychedelics": ("{clinic_not_offered}",),
    "utter_privacy": ("{clinic_chat_retention}",),
}


@pytest.mark.parametrize("name,placeholders", sorted(CLINIC_FACTS.items()))
def test_clinic_specific_answers_read_the_clinic_facts(name, placeholders):
    for placeholder in placeholders:
        assert placeholder in default_text(name)


@pytest.mark.parametrize(
    "name", ["utter_escalate_medical_dosage", "utter_escalate_medical_medication"]
)
def test_medicine_escalations_name_911_and_poison_help(name):
    # An overdose told inside a question about a dose or a medicine is escalated, not paged
    # (batch 101): its reply still says whom to call.
    text = rendered(default_text(name))
    assert "911" in text and "1-800-222-1222" in text


def test_greeting_says_automated_education_only_not_for_emergencies():
    text = rendered(default_text("utter_greet")).lower()
    assert "automated" in text and "911" in text and "988" in text
    assert "emergenc" in text


@pytest.mark.parametrize("name", ["utter_share_feelings", "utter_distress"])
def test_replies_to_feelings_keep_911_and_988_in_reach(name):
    # A danger message the tiers miss most often lands here: the lines still show.
    text = rendered(default_text(name))
    assert "911" in text and "988" in text


def test_follow_up_buttons_point_at_known_topics():
    intents = set(DOMAIN["intents"])
    for name, variations in RESPONSES.items():
        for variation in variations:
            for button in variation.get("buttons", []):
                if button["payload"].startswith("/"):
                    assert button["payload"][1:] in intents, (name, button)


CRISIS_AWARE = sorted(
    n
    for n, v in RESPONSES.items()
    if any(x.get("condition", [{}])[0].get("name") == "crisis_active" for x in v)
)


@pytest.mark.parametrize("name", CRISIS_AWARE)
def test_after_a_crisis_small_talk_keeps_the_crisis_lines_one_tap_away(name):
    [variation] = [v for v in RESPONSES[name] if v.get("condition")]
    assert variation["condition"] == [{"type": "slot", "name": "crisis_active", "value": True}]
    text = rendered(variation["text"])
    assert "988" in text and "911" in text
    assert {"/crisis", "/talk_to_human"} <= {b["payload"] for b in variation["buttons"]}


def test_small_talk_has_a_crisis_aware_variation():
    small_talk = [
        "utter_greet",
        "utter_goodbye",
        "utter_thank",
        "utter_affirm",
        "utter_deny",
        "utter_bot_challenge",
        "utter_ask_capabilities",
        "utter_out_of_scope",
        "utter_ask_rephrase",
    ]
    assert sorted(small_talk) == CRISIS_AWARE


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_every_response_belongs_to_a_catalogue_topic_or_names_its_flow(name):
    """utter_<topic id> belongs to its topic (metadata.topic would only repeat it); any other
    response names a flow of the catalogue in metadata.topic."""
    for variation in RESPONSES[name]:
        stated = (variation.get("metadata") or {}).get("topic")
        assert stated != name.removeprefix("utter_"), (
            "metadata.topic repeats the topic of utter_<id>"
        )
        assert stated is None or stated in CATALOGUE["flows"]
        topic = catalogue.response_topic(name, variation.get("metadata"))
        assert topic in {topic_id for topic_id, _ in TOPICS} | set(CATALOGUE["flows"])


def test_the_generated_files_are_built_from_the_current_catalogue():
    generated = yaml.safe_load((ROOT / "data" / "generated" / "faq.yml").read_text())
    assert generated == catalogue.faq_rules(), "run `make` (python -m clinic_assistant.build)"
    assert (
        yaml.safe_load((ROOT / "domain" / "generated" / "topics.yml").read_text())
        == catalogue.domain()
    )
