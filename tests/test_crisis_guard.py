"""Unit tests for the crisis guard (clinic_assistant/nlu/crisis_guard.py), run on rasa Messages.

The messages are written for these tests; the held-out sets in tests/nlu are not used here.
"""

import socket
import uuid
from pathlib import Path

import pytest
import yaml
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.nlu.training_data.message import Message
from spacy.matcher import Matcher

from clinic_assistant.nlu.crisis_guard import CrisisGuard, PatternCompiler

LEXICON = Path(__file__).resolve().parent.parent / "clinic_assistant" / "nlu" / "crisis_lexicon.yml"


def create_guard(storage_path: Path) -> CrisisGuard:
    """As the graph does: `create` with a real model storage, a resource and a context."""
    return CrisisGuard.create(
        CrisisGuard.get_default_config(),
        LocalModelStorage.create(storage_path),
        Resource("crisis_guard"),
        ExecutionContext(GraphSchema({}), uuid.uuid4().hex),
    )


@pytest.fixture(scope="module")
def guard(tmp_path_factory) -> CrisisGuard:
    # Module scope: building the matcher takes a few seconds.
    return create_guard(tmp_path_factory.mktemp("model_storage"))


def message(text, intent="out_of_scope", confidence=0.9):
    """A message as the intent classifier leaves it."""
    ranking = [
        {"name": intent, "confidence": confidence},
        {"name": "chitchat", "confidence": round(1 - confidence, 3)},
    ]
    if intent != "crisis":
        ranking.append({"name": "crisis", "confidence": 0.0})
    prediction = {"name": intent, "confidence": confidence}
    return Message(data={"text": text, "intent": prediction, "intent_ranking": ranking})


def run(guard, text, **prediction):
    return guard.process([message(text, **prediction)])[0]


CRISIS_BY_CATEGORY = {
    "passive_ideation": [
        "Honestly I wish I could fall asleep and never wake up",
        "everyone would be better off w/o me",
        "i dont want to be alive anymore",
        "Nobody would even notice if I disappeared",
        "I'm so tired of living",
    ],
    "active_ideation": [
        "I want to kill myself",
        "IM GOING TO KMS",
        "Ive been seriously considering suicide",
        "i want to commit sucide",
        "im feeling really sucidal tonight",
        "thinking abt how to unalive myself",
    ],
    "plan_means_intent": [
        "Been hoarding my oxy for a month",
        "the rope is ready",
        "i know exactly how i'll do it",
        "I've got a noose in the closet",
        "what is the most painless way to die",
    ],
    "veiled": [
        "which bridge around here is the highest?",
        "How many of these sleeping pills would it take",
        "you won't have to worry about me much longer",
        "i'm giving away all my stuff this week",
        "Saying goodbye to everyone tonight",
    ],
    "self_harm": [
        "I burned myself on purpose again",
        "been cutting myself every night",
        "the urge to cut is so strong",
        "I self-harm when the flashbacks come",
        "i scratch my arms until they bleed",
    ],
    "harm_to_others": [
        "I want to strangle my boss",
        "gonna kill them all",
        "I'm afraid I'll hurt my kids",
        "im going to stab that guy",
    ],
    "overdose_emergency": [
        "I took the whole bottle of my sleeping pills",
        "cant breathe after the infusion",
        "My roommate did ketamine and won't wake up",
        "my husband is unresponsive",
        "i think i od'd",
        "she oded on fentanyl",
        "chest pain and now it's hard to breathe",
    ],
    "abuse": [
        "my boyfriend hits me",
        "I'm not safe at home",
        "she threatened to kill me",
        "i am scared to go home tonight",
    ],
    "sexual_assault": [
        "i was raped last night",
        "he forced himself on me",
        "my step dad touches me at night",
        "he made me have sex when i said no",
    ],
    "child_in_danger": [
        "Im 15 and my coach keeps touching me",
        "he told me never to tell my mom",
        "my kids are not safe",
        "my uncle comes into my room at night",
    ],
    "third_party": [
        "my brother says he wants to kill himself",
        "My daughter is suicidal",
        "my best friend keeps talking about killing herself",
        "I think my dad is going to end his life",
    ],
    "place_method": [
        "i am sitting on the edge of the roof right now",
        "walking to the train tracks now",
        "in the bathtub with a razor blade",
        "sitting in the car in the garage with the engine running",
    ],
    "cannot_stay_safe": [
        "i cant keep myself safe tonight",
        "scared of what i might do to myself",
        "i need someone to stop me",
        "i dont trust myself to be alone",
    ],
    "worry_about_someone": [
        "my wife keeps saying there is no point anymore",
        "my son told me everyone would be better off without him around",
        "my dad has given up on life",
        "my sister texted that she does not see a future",
    ],
    "joining_the_dead": [
        "i am ready to join my husband again",
        "it is time i went and joined my brother",
        "i want to be with her up there soon",
        "wish i could go and join my dad on the other side",
    ],
    "method_question": [
        "is a fall from 6 stories always fatal",
        "if you took too many sleeping pills could it actually kill you",
        "does god forgive people who kill themselves",
        "i googled how many sleeping pills is too much",
    ],
    "recent_attempt": [
        "i tried to end my life last week",
        "i was in the hospital after my attempt",
        "since my suicide attempt i feel numb",
        "attempted suicide a few days ago",
    ],
}
CRISIS_CASES = [
    (category, text) for category, texts in CRISIS_BY_CATEGORY.items() for text in texts
]

BENIGN = [
    "is esketamine approved for people with suicidal thoughts?",
    "does ketamine raise suicide risk",
    "can you overdose on ketamine at a clinic",
    "what happens in an emergency during an infusion",
    "is the 988 line only for veterans",
    "how do I help my husband with ptsd",
    "I killed it at work today",
    "this homework is killing me",
    "I took all my meds this morning, can I still come in?",
    "I'm dying to know if ketamine works for nightmares",
    "My son keeps me up at night",
    "I took the whole week off for my appointment",
    "is self harm a symptom of ptsd",
    "what should family do if someone is suicidal",
]

# One statement written with and without apostrophes, in any case, without punctuation.
SPELLINGS = {
    "passive_ideation": [
        "I don't want to live anymore",
        "i dont want to live anymore",
        "I do not want to live any more.",
        "I DON\u2019T WANT TO LIVE ANYMORE",
        "i dont want to live anymore!!!",
    ],
    "active_ideation": [
        "I'm going to kill myself",
        "im gonna kill myself",
        "Im going to kil myslef",
        "i'm thinking about suiside",
        "been thinking about suicde",
    ],
    "overdose_emergency": [
        "I can't breathe",
        "i cant breathe",
        "I cannot breathe",
        "i can not breath",
        "he won't wake up",
        "he wont wake up",
        "He will not wake up",
        "I think I overdosed",
        "my sister od'd",
    ],
    # A gun named by its caliber or model, as it is typed.
    "plan_means_intent": [
        "holding my 9mm",
        "holding my 9 mm",
        "holding my AR-15",
        "holding my ar",
        "holding my .30-06",
        "holding my .30-30",
    ],
}
SPELLING_CASES = [(category, text) for category, texts in SPELLINGS.items() for text in texts]


@pytest.mark.parametrize("category,text", CRISIS_CASES + SPELLING_CASES)
def test_crisis_language_becomes_crisis(guard, category, text):
    result = run(guard, text)

    assert result.get("intent") == {"name": "crisis", "confidence": 1.0}
    guard_output = result.get("crisis_guard")
    assert guard_output["layer"] == "lexicon"
    assert guard_output["category"] == category
    assert guard_output["matched"]


def test_every_category_of_the_lexicon_is_tested():
    lexicon = yaml.safe_load(LEXICON.read_text(encoding="utf-8"))
    assert set(lexicon["categories"]) == set(CRISIS_BY_CATEGORY)
    assert all(len(texts) >= 4 for texts in CRISIS_BY_CATEGORY.values())


@pytest.mark.parametrize("text", BENIGN)
def test_benign_message_keeps_its_intent(guard, text):
    before = message(text)
    result = guard.process([message(text)])[0]

    assert result.get("intent") == before.get("intent")
    assert result.get("intent_ranking") == before.get("intent_ranking")
    assert result.get("crisis_guard") == {"layer": None}


def test_crisis_comes_first_once_and_others_keep_their_order(guard):
    ranking = [
        {"name": "greet", "confidence": 0.9},
        {"name": "crisis", "confidence": 0.06},
        {"name": "ask_cost", "confidence": 0.04},
    ]
    prediction = Message(
        data={"text": "I want to kill myself", "intent": ranking[0], "intent_ranking": ranking}
    )

    result = guard.process([prediction])[0]

    names = [entry["name"] for entry in result.get("intent_ranking")]
    assert names == ["crisis", "greet", "ask_cost"]
    assert result.get("intent_ranking")[0] == {"name": "crisis", "confidence": 1.0}


def test_fallback_classifier_after_the_guard_keeps_crisis(guard):
    # Without the guard zeroing the others, crisis 1.0 vs greet 0.95 would look "ambiguous".
    fallback = FallbackClassifier({"threshold": 0.5, "ambiguity_threshold": 0.1})
    guarded = guard.process([message("i want to die", intent="greet", confidence=0.95)])
    result = fallback.process(guarded)[0]

    assert result.get("intent")["name"] == "crisis"


def test_classifier_crisis_without_lexicon_match_is_kept(guard):
    text = "everything is falling apart and I need someone now"
    result = run(guard, text, intent="crisis", confidence=0.62)

    assert result.get("intent") == {"name": "crisis", "confidence": 0.62}
    assert result.get("intent_ranking")[0]["name"] == "crisis"
    assert result.get("crisis_guard") == {"layer": "intent"}


def test_classifier_and_lexicon_agree(guard):
    result = run(guard, "i want to end my life", intent="crisis", confidence=0.8)

    assert result.get("intent") == {"name": "crisis", "confidence": 1.0}
    assert result.get("crisis_guard")["layer"] == "both"
    assert result.get("crisis_guard")["category"] == "active_ideation"


@pytest.mark.parametrize("text", BENIGN + [text for _, text in CRISIS_CASES[::3]] + [""])
@pytest.mark.parametrize("confidence", [0.3, 0.9])
def test_the_guard_never_removes_or_lowers_crisis(guard, text, confidence):
    result = run(guard, text, intent="crisis", confidence=confidence)

    assert result.get("intent")["name"] == "crisis"
    assert result.get("intent")["confidence"] >= confidence
    assert result.get("intent_ranking")[0]["name"] == "crisis"
    assert result.get("crisis_guard")["layer"] in ("intent", "both")


def test_output_carries_crisis_guard(guard):
    result = run(guard, "my friend overdosed")

    output = result.as_dict(only_output_properties=True)
    assert output["intent"]["name"] == "crisis"
    assert output["crisis_guard"]["category"] == "overdose_emergency"


def test_message_without_text_or_prediction(guard):
    result = guard.process([Message(data={})])[0]

    assert result.get("crisis_guard") == {"layer": None}
    assert result.get("intent") is None


def test_a_benign_idiom_does_not_hide_a_crisis_in_the_same_message(guard):
    result = run(guard, "I killed it at work today but tonight I want to kill myself")

    assert result.get("crisis_guard")["category"] == "active_ideation"


def long_gap_matches(guard, words_between):
    compiler = PatternCompiler(guard.nlp, guard.normaliser, {})
    matcher = Matcher(guard.nlp.vocab)
    matcher.add("gap", compiler.compile("kid ... ... ... ... silence"))
    doc = guard.nlp(" ".join(["kid", *["crying"] * words_between, "silence"]))
    return matcher(doc)


def test_a_run_of_gaps_matches_up_to_three_words_each(guard):
    # Four "..." in a row: up to twelve words, compiled as exact lengths (as optional tokens
    # they multiplied the matcher's work and held one message for seconds).
    assert long_gap_matches(guard, 0) and long_gap_matches(guard, 12)
    assert not long_gap_matches(guard, 13)


def group_matches(guard, text):
    compiler = PatternCompiler(guard.nlp, guard.normaliser, {})
    compiled = compiler.compile("i (am|feel+|was|really am) done")
    matcher = Matcher(guard.nlp.vocab)
    matcher.add("group", compiled)
    return len(compiled), bool(matcher(guard.nlp(text)))


@pytest.mark.parametrize(
    "text", ["i am done", "i was done", "i feel feel done", "i really am done"]
)
def test_a_group_of_words_and_phrases_matches_each_alternative(guard, text):
    # "am" and "was" share one token; "feel+" keeps its own quantifier; the phrase stands alone.
    assert group_matches(guard, text) == (3, True)


@pytest.mark.parametrize("text", ["i am am done", "i was feel done", "i really done", "i done"])
def test_a_group_of_words_and_phrases_matches_nothing_else(guard, text):
    assert not group_matches(guard, text)[1]


def test_a_danger_message_with_its_words_repeated_is_still_read(guard):
    text = (
        "the kid next door was screaming and the baby was crying and the boy was yelling, "
        "then a loud bang and then nothing"
    )
    assert guard.match(text)[0] == "child_in_danger"


@pytest.mark.parametrize(
    "text, words",
    [
        ("he told me 'won't be around for much longer'", "'will not be around"),
        ("'i'm done' was all she wrote", "'i am done'"),
        ("rock'n'roll, don't ask", "rock'n'roll, do not ask"),
    ],
)
def test_a_quotation_mark_does_not_stop_contractions_from_expanding(guard, text, words):
    # An apostrophe inside a word is part of it; one that only quotes it is not.
    assert words in guard.normaliser.words(text)


def test_registered_as_a_non_trainable_intent_classifier():
    registered = DefaultV1Recipe._from_registry("clinic_assistant.nlu.crisis_guard.CrisisGuard")

    assert registered.clazz is CrisisGuard
    assert registered.types == {DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER}
    assert registered.is_trainable is False


def test_builds_without_network(tmp_path, monkeypatch):
    def no_network(*args, **kwargs):
        raise OSError("network is not available in this test")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)

    offline_guard = create_guard(tmp_path)

    assert run(offline_guard, "took the whole bottle").get("intent")["name"] == "crisis"


# --- Properties over arbitrary text (hypothesis) --------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

ANY_TEXT = st.text(max_size=400) | st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400
)


@settings(max_examples=200, deadline=None)
@given(text=ANY_TEXT, intent=st.sampled_from(["out_of_scope", "greet", "crisis", "ptsd_what_is"]))
def test_the_guard_never_raises_and_never_removes_a_crisis(guard, text, intent):
    result = run(guard, text, intent=intent)
    assert result.get("crisis_guard")["layer"] in (None, "lexicon", "intent", "both")
    if intent == "crisis":
        assert result.get("intent")["name"] == "crisis"


@settings(max_examples=100, deadline=None)
@given(prefix=st.text(max_size=200), suffix=st.text(max_size=200))
def test_a_known_crisis_phrase_is_caught_whatever_surrounds_it(guard, prefix, suffix):
    result = run(guard, f"{prefix}\n I want to kill myself. \n{suffix}")
    assert result.get("intent")["name"] == "crisis"


@pytest.mark.parametrize(
    "text, category",
    [
        # A medicine the drug vocabulary names, in no hand list.
        ("swallowed the nortriptyline all at once", "overdose_emergency"),
        ("swallowed the Effexor all at once", "overdose_emergency"),
        # An ordinary word the vocabulary also names is no medicine.
        ("swallowed the oregano all at once", None),
    ],
)
def test_any_medicine_of_the_drug_vocabulary_counts_as_pills(guard, text, category):
    hit = guard.match(text)
    assert (hit[0] if hit else None) == category
