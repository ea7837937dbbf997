"""Safety router: risk tiers and the escalation guard, after the intent classifier.

Every message gets one of three risk tiers and, when no risk fires, an escalation check:
- danger now   -> `crisis` (or `crisis_es`): the static crisis reply and an urgent ticket;
- possible risk -> `risk_check` (or `risk_check_es`): the direct question, with the lines;
- no risk      -> the classifier's topic, unless the escalation guard finds a personal
                  medical decision, which becomes a `medical_*` intent (escalated).
Words decide first (the crisis lexicon, read with medspaCy's ConText for negation, the past
and hypotheticals, and softened by a joke or a celebration; Spanish patterns, with Spanish told
by common words and langid.py; a drug vocabulary), then probabilities with thresholds
chosen for recall: a missed crisis or escalation costs far more than a check-in. Danger now
from probabilities alone is a weighted vote of the intent classifier and a second model trained
here (danger_model.py), which errs on different messages.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Set, Text, Tuple

import yaml
from medspacy.context import ConText, ConTextRule
from py3langid.langid import MODEL_FILE, LanguageIdentifier
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from spacy.tokens import Span
from spacy.util import filter_spans

from clinic_assistant.nlu.crisis_guard import SENTENCE_START, CrisisGuard, Reading, predict
from clinic_assistant.nlu.danger_model import (
    DANGER_INTENTS,
    DANGER_LABELS,
    DangerModel,
    corpus_fingerprint,
    load_corpus,
)

logger = logging.getLogger(__name__)

DANGER, POSSIBLE = "danger", "possible"
OUTPUT_KEY = "safety"
CRISIS_KIND = "crisis_kind"  # entity and slot: which crisis reply variation goes out
CRISIS_GUARD_KEY = "crisis_guard"  # the record the crisis guard kept before the router
DEFAULT_RULES = Path(__file__).with_name("safety_rules.yml")
# The ConText categories of safety_rules.yml and the span attributes they set; each of them
# moves a lexicon match one tier down (a joke is read as not literal, like a hypothetical).
CONTEXT_ATTRIBUTES = {
    "NEGATED_EXISTENCE": {"is_negated": True},
    "HISTORICAL": {"is_historical": True},
    "PAST": {"is_historical": True},
    "HYPOTHETICAL": {"is_hypothetical": True},
}
NOT_NOW = ("HISTORICAL", "PAST", "HYPOTHETICAL")
TIER_INTENTS = {
    ("en", DANGER): "crisis",
    ("en", POSSIBLE): "risk_check",
    ("es", DANGER): "crisis_es",
    ("es", POSSIBLE): "risk_check_es",
}
RISK_INTENTS = set(TIER_INTENTS.values())
# A danger vote short of a tier becomes the direct question, except on these: replies that always
# show the crisis lines (tests/test_safety_router.py reads the domain), and answers to the bot's
# own question, which the dialogue reads in context.
SHOWS_CRISIS_LINES = (
    "greet",
    "ask_capabilities",
    "clinic_after_hours",
    "ptsd_help_loved_one",
    "distress",
    "share_feelings",
    "other_language",
)
ANSWERS = ("affirm", "deny")
MEDICAL_PREFIX = "medical_"
# Where a long message is cut into sentences for the danger model to read one by one.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
DANGER_MODEL_FILE = "danger_model.skops"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class SafetyRouter(GraphComponent, IntentClassifier):
    """Decides the risk tier and escalations; tags every message with `safety`."""

    @staticmethod
    def supported_languages() -> Optional[List[Text]]:
        return None  # reads English and, for safety only, Spanish

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "lexicon": None,  # None: crisis_lexicon.yml beside crisis_guard.py
            # A folder of the danger model's own training corpus (config.yml names it).
            "danger_corpus": None,
            "rules": None,  # None: safety_rules.yml beside this file
            # Classifier probabilities, summed over the intents of a tier (recall first).
            # Danger now: the vote classifier_weight * P(crisis) + (1 - classifier_weight) *
            # the danger model's P(danger) (chosen on the development batches, README).
            "danger_threshold": 0.6,
            # A vote this high is not softened by words elsewhere in the message (README).
            "certain_threshold": 0.95,
            # A message this long is also read one sentence at a time by the danger model, and
            # one sentence this likely to be danger now is danger now (README).
            "sentence_min_words": 40,
            "sentence_threshold": 0.9,
            "classifier_weight": 0.3,
            "ask_threshold": 0.25,
            # A possible risk this likely is asked about before a medical decision is escalated.
            "ask_first_threshold": 0.7,
            "medical_threshold": 0.25,
            # An escalation with a risk this likely (P risk >= ask_threshold, or this danger
            # vote, or many pills named) also shows the crisis lines and files a review ticket
            # (`risk_signal`); a topic answer with this danger vote becomes the direct question.
            "signal_threshold": 0.4,
            # langid.py's probability of Spanish (against English) that makes a message Spanish.
            "spanish_probability": 0.9,
            # The share of a message's words in Spanish that makes a tier's reply Spanish.
            "spanish_mixed_share": 0.12,
        }

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SafetyRouter:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> SafetyRouter:
        with model_storage.read_from(resource) as directory:
            danger_model = DangerModel.load(directory / DANGER_MODEL_FILE)
        return cls(config, model_storage, resource, danger_model)

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: Optional[ModelStorage] = None,
        resource: Optional[Resource] = None,
        danger_model: Optional[DangerModel] = None,
    ) -> None:
        self.component_config = config
        self._model_storage = model_storage
        self._resource = resource
        self.danger_model = danger_model
        self.guard = CrisisGuard({"lexicon": config.get("lexicon")})
        rules = yaml.safe_load(Path(config.get("rules") or DEFAULT_RULES).read_text("utf-8"))
        self.tiers: Dict[Text, Text] = rules["tiers"]
        self.sentencizer = self.guard.nlp.create_pipe("sentencizer")
        self.dating = _phrases(rules["dating"]["openers"])
        self.dating_words = rules["dating"]["words"]
        self.age_now = re.compile(rf"i am {rules['age_now'].strip('^$')} now\b")
        self.context = _context(self.guard.nlp, rules)
        self.negation_before = set(rules["negation_before"])
        self.joke = _phrases(rules["light"]["humor"])
        self.celebration = _phrases(rules["light"]["celebration"] + rules["light"]["over"])
        self.celebration_spoiled = _phrases(rules["light"]["celebration_spoiled_by"])
        self.over = _phrases(rules["light"]["over"])
        self.moving_on = _phrases(rules["light"]["moving_on"])
        self.everyday = _phrases(rules["light"]["everyday"])
        self.farewell_words = set(rules["farewell_words"])
        self.away = _phrases(rules["light"]["away"])
        self.absence_words = set(rules["absence_words"])
        pressure, heart = rules["blood_pressure"], rules["heart_rate"]
        self.reading = re.compile(pressure["reading"])
        self.pressure_limits = (pressure["systolic"], pressure["diastolic"])
        self.blood_sugar = re.compile(rules["blood_sugar"]["reading"])
        self.low_blood_sugar = rules["blood_sugar"]["below"]
        self.heart_rate = re.compile(heart["reading"])
        self.routine_heart_rate = tuple(heart["routine"])
        routine = rules["routine_medicine"]
        self.routine_unnamed = _regex([routine["dose"], routine["listed"]])
        self.routine_named = _regex(routine["named"])
        self.introduction = re.compile(rules["introduction"]["pattern"])
        self.not_names = set(rules["introduction"]["not_names"])
        self.joke_softens = set(rules["joke_softens"])
        self.at_hand = _phrases(rules["joke_at_hand"]["words"])
        self.at_hand_keeps = set(rules["joke_at_hand"]["keeps"])
        self.told_in_the_past = set(rules["told_in_the_past"])
        self.negation_clears = set(rules["negation_clears"])
        self.denial = _phrases(rules["denial"]["phrases"])
        self.pleas = set(rules["pleas"])
        self.owned = _phrases(rules["owned"])
        self.contrast = _phrases(rules["denial"]["contrast"])
        # The past and hypotheticals anywhere in a message, for the classifiers' danger vote. The
        # words carry no sentence marks, so a cue at a sentence's start ("^") is left to ConText.
        self.not_now = _phrases(
            literal
            for category in NOT_NOW
            for direction, literals in rules["context"][category].items()
            if direction != "PSEUDO"
            for literal in literals
            if not literal.startswith("^ ")
        )
        self.past_year = re.compile(rules["past_years"])
        self.age_then = re.compile(rf"\bi was {rules['age_then'].strip('^$')} when\b")
        self.now = _phrases(rules["context"]["NOW"]["TERMINATE"])
        self.urgent = _phrases(rules["urgent"])
        self.asking_for_oneself = _phrases(rules["asking_for_oneself"])
        self.condition_words = set(rules["condition_words"])
        self.serious = _phrases(rules["serious"])
        self.happened = set(rules["happened"])
        self.spanish = {tier: _regex(patterns) for tier, patterns in rules["spanish"].items()}
        self.spanish_words = set(rules["spanish_words"])
        self.confirms_spanish = self.spanish_words - set(rules["english_too"])
        self.language_id = LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True)
        self.language_id.set_languages(["en", "es"])
        self.escalation = EscalationGuard(rules["escalation"])
        self.crisis_kinds: Dict[Text, Text] = rules["crisis_kinds"]

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[Text]:
        return corpus_fingerprint(config.get("danger_corpus"))

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(TEXT) and e.get(INTENT)]
        corpus, labels = load_corpus(self.component_config.get("danger_corpus"))
        # An NLU example's intent or a corpus message's label.
        names = [e.get(INTENT) for e in examples] + labels
        self.danger_model = DangerModel.train(
            [e.get(TEXT) for e in examples] + corpus,
            [name in DANGER_INTENTS or name in DANGER_LABELS for name in names],
        )
        with self._model_storage.write_to(self._resource) as directory:
            self.danger_model.save(directory / DANGER_MODEL_FILE)
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._route(message)
        return messages

    def decide(self, text: Text, ranking: List[Dict[Text, Any]]) -> Dict[Text, Any]:
        """The routing decision for one message: intent, tier, and which layer decided.

        In order, the first that holds decides: danger words (Spanish, then English read in
        context); a blood pressure or a blood sugar in the crisis range; any other reading, or
        a change to or a missed dose of one's own medicine, when no risk words fired and no
        heart rate is outside the routine band (escalated); a high vote of the two models for
        danger; one sentence of a long message that the danger model reads as danger now, with
        nothing in its own words that reads it otherwise; a possible risk told with urgency;
        possible-risk words; a plea for help and nothing else; a
        softened danger vote or a likely risk; a personal medical decision in words; the summed
        probability of the risk intents (neither of these two when the message denies a risk in
        words and no risk words fired); the summed probability of the medical_* topics; past a
        risk intent the classifier ranked first, when the risk was denied; a danger vote short
        of a tier, when the answer would show no crisis lines; a language the assistant does not
        read.
        """
        probability = {r[INTENT_NAME_KEY]: r[PREDICTED_CONFIDENCE_KEY] for r in ranking}
        folded = fold(text)
        spanish = self.looks_spanish(text, folded)
        # A tier's reply is in Spanish for a message half in Spanish too ("i'm in the water y me
        # voy a seguir metiendo"); only a message mostly in Spanish gets the languages reply.
        language = "es" if spanish or self.mixes_spanish(folded) else "en"
        words = self.guard.normaliser.words(text)
        meant = bool(self.serious.search(words))
        joke = bool(self.joke.search(words)) and not meant
        # The categories a joke softens here: not a wish to die told with a time at hand.
        joke_softens = set()
        if joke:
            at_hand = bool(self.at_hand.search(words))
            joke_softens = self.joke_softens - (self.at_hand_keeps if at_hand else set())
        celebration = (
            bool(self.celebration.search(words))
            and not meant
            and not self.celebration_spoiled.search(words)
        )
        over = bool(self.over.search(words)) and not meant
        moving_on = bool(self.moving_on.search(words)) and not meant
        away = bool(self.away.search(words)) and not meant
        doc = self.guard.nlp(self.guard.normaliser.sentences(words))
        owned = bool(self.owned.search(words))
        reading = self.guard.read(doc, owned)
        lexicon_tier, category, in_context = self.lexicon_tier(
            doc, reading, joke_softens, celebration, moving_on, away, owned
        )
        everyday = bool(self.everyday.search(words)) and not meant
        # An everyday phrase, a farewell, the past or a celebration elsewhere in the message
        # softens only a danger vote short of near-certain ("staring at the knife block… tonight
        # i'm going to use one"; "my counselor is on vacation"); danger told as over, any vote.
        elsewhere = moving_on or everyday or self.past_unless_now(words)
        spanish_tier = next(
            (tier for tier in (DANGER, POSSIBLE) if self.spanish[tier].search(folded)), None
        )
        p_danger = sum(probability.get(intent, 0) for intent in DANGER_INTENTS)
        config = self.component_config
        weight = config["classifier_weight"]
        [p_model] = self.danger_model.probability([text])
        vote = 0.0 if self.introduces(folded) else weight * p_danger + (1 - weight) * p_model
        p_risk = p_danger + probability.get("risk_check", 0) + probability.get("risk_check_es", 0)
        p_medical = sum(p for name, p in probability.items() if name.startswith(MEDICAL_PREFIX))
        likely_risk = p_risk >= config["ask_first_threshold"]
        # bool(): the probabilities are numpy floats, and the output is stored as JSON.
        possible_risk = bool(p_risk >= config["ask_threshold"])
        in_words = lexicon_tier == POSSIBLE
        urgent = (bool(self.urgent.search(words)) and (in_words or possible_risk)) or (
            bool(self.asking_for_oneself.search(words))
            and (in_words or likely_risk)
            and not in_context
        )
        # "no, i am not suicidal, just the flashbacks": asked and answered, unless a lexicon phrase
        # matched (even one read in context).
        denied = not reading.hits and self.denies(words)
        scores = {
            "risk_signal": possible_risk
            or bool(vote >= config["signal_threshold"])
            or self.escalation.names_many_pills(text),
            "p_danger": round(p_danger, 3),
            "p_danger_model": round(p_model, 3),
            "p_risk": round(p_risk, 3),
            "p_medical": round(p_medical, 3),
        }
        checks = [
            (spanish_tier == DANGER, lambda: _tier("es", DANGER, "spanish")),
            (lexicon_tier == DANGER, lambda: _tier(language, DANGER, "lexicon", category)),
            (True, lambda: self._crisis_reading(folded, language)),
            # A reading or a medicine change is a report for a clinician unless words say danger
            # or a possible risk.
            (
                not (lexicon_tier or spanish_tier),
                lambda: self._routine_report(text, folded),
            ),
            # Words read in context (past, negated, hypothetical, joking) are not overruled by
            # the classifiers, which cannot read tense or negation.
            (
                vote >= config["danger_threshold"]
                and not (in_context or over)
                and (not (celebration or elsewhere) or vote >= config["certain_threshold"]),
                lambda: _tier(language, DANGER, "classifier"),
            ),
            (not spanish, lambda: self._danger_sentence(text, language)),
            (urgent, lambda: _tier(language, DANGER, "urgency", category)),
            (spanish_tier == POSSIBLE, lambda: _tier("es", POSSIBLE, "spanish")),
            (lexicon_tier == POSSIBLE, lambda: _tier(language, POSSIBLE, "lexicon", category)),
            (self.pleads(words), lambda: _tier(language, POSSIBLE, "plea")),
            # A danger vote the words soften (a celebration, an everyday plan, an idiom, the past,
            # a hypothetical, a softened match), or a likely risk next to a medical question: ask
            # directly first.
            (
                vote >= config["danger_threshold"] or (likely_risk and not denied),
                lambda: _tier(language, POSSIBLE, "classifier"),
            ),
            (True, lambda: _escalated(self.escalation.intent(text))),
            (possible_risk and not denied, lambda: _tier(language, POSSIBLE, "classifier")),
            (p_medical >= config["medical_threshold"], lambda: _top_medical(probability)),
            # After the classifiers' medical topic: a lab value beside an eligibility question
            # keeps that topic.
            (True, lambda: _escalated(self.escalation.lab_report(text))),
            (denied, lambda: _past_the_risk(ranking)),
            # Some likelihood of danger that no words read otherwise, and an answer that would
            # not show the crisis lines (a topic, the fallback): ask directly rather than answer
            # past it.
            (
                vote >= config["signal_threshold"]
                and not (denied or in_context or celebration or elsewhere)
                and _top(ranking) not in SHOWS_CRISIS_LINES + ANSWERS,
                lambda: _tier(language, POSSIBLE, "signal"),
            ),
            (spanish or _top(ranking) == "other_language", _other_language),
        ]
        for holds, decision in checks:
            result = decision() if holds else None
            if result:
                return {**result, **scores}
        return {"intent": None, "tier": None, "layer": None, **scores}

    def _crisis_reading(self, folded: Text, language: Text) -> Optional[Dict[Text, Any]]:
        """Danger now for a blood pressure in the hypertensive-crisis range or a blood sugar
        in level 2 hypoglycemia."""
        pressure = any(
            int(value) >= limit
            for found in self.reading.finditer(folded)
            for value, limit in zip(found.groups(), self.pressure_limits)
        )
        if pressure:
            return _tier(language, DANGER, "reading", "blood_pressure")
        sugars = (int(found.group(1)) for found in self.blood_sugar.finditer(folded))
        if any(sugar < self.low_blood_sugar for sugar in sugars):
            return _tier(language, DANGER, "reading", "blood_sugar")
        return None

    def _routine_report(self, text: Text, folded: Text) -> Optional[Dict[Text, Any]]:
        """A blood pressure or a blood sugar outside the crisis range, a heart rate in the
        routine band, or a change to one's own medicine; none of them beside a heart rate
        outside the band."""
        low, high = self.routine_heart_rate
        rates = [int(next(filter(None, f.groups()))) for f in self.heart_rate.finditer(folded)]
        if any(not low <= rate <= high for rate in rates):
            return None
        if self.reading.search(folded) or self.blood_sugar.search(folded) or rates:
            return {"intent": "medical_symptom_report", "tier": None, "layer": "reading"}
        return self._routine_medicine(text, folded)

    def _danger_sentence(self, text: Text, language: Text) -> Optional[Dict[Text, Any]]:
        """Danger now in one sentence of a long message ("...I'm in my car with a hose from the
        exhaust... What I wanted to ask was whether Medicaid covers it"), which the rest of the
        message dilutes for the whole-message vote."""
        config = self.component_config
        if len(text.split()) < config["sentence_min_words"]:
            return None
        sentences = [part for part in SENTENCE_END.split(text) if len(part.split()) >= 4]
        if len(sentences) < 2:
            return None
        probabilities = self.danger_model.probability(sentences)
        for sentence, probability in zip(sentences, probabilities):
            if probability >= config["sentence_threshold"] and self.plain(sentence):
                return _tier(language, DANGER, "sentence")
        return None

    def plain(self, sentence: Text) -> bool:
        """A sentence with nothing in its own words that reads its danger otherwise: no joke,
        celebration, danger told as over, everyday phrase, farewell of moving on, denial, the
        past or a hypothetical (unless now), idiom, or lexicon match read in context."""
        words = self.guard.normaliser.words(sentence)
        light = (self.joke, self.celebration, self.everyday, self.moving_on, self.denial)
        if any(phrases.search(words) for phrases in light):
            return False
        if self.past_unless_now(words):
            return False
        doc = self.guard.nlp(self.guard.normaliser.sentences(words))
        _, _, in_context = self.lexicon_tier(
            doc, self.guard.read(doc), set(), False, False, False, False
        )
        return not in_context

    def past_unless_now(self, words: Text) -> bool:
        """The past or a hypothetical anywhere in a message (a ConText cue, a year, a child's age
        then), and nothing that says now."""
        told_as_past = (
            self.not_now.search(words)
            or any(map(self.past_year.match, words.split()))
            or self.age_then.search(words)
        )
        return bool(told_as_past) and not self.now.search(words)

    def pleads(self, words: Text) -> bool:
        """A message that is only a plea for help ("help", "sos", "please help me")."""
        return " ".join(re.findall(r"[a-z]+", words)) in self.pleas

    def denies(self, words: Text) -> bool:
        """A risk denied in words, with no contrast after the denial ("... but some nights i
        don't trust my head")."""
        found = self.denial.search(words)
        return bool(found) and not self.contrast.search(words, found.end())

    def introduces(self, folded: Text) -> bool:
        """A message that only gives a name ("its mike", "hi, this is Rachel")."""
        found = self.introduction.match(folded.strip())
        return bool(found) and not set(found.group("name").split()) & self.not_names

    def _routine_medicine(self, text: Text, folded: Text) -> Optional[Dict[Text, Any]]:
        """A change to, a missed dose or a list of one's own medicines: named, or told by dose
        words or a list."""
        named = self.routine_named.search(folded) and self.escalation.drugs(folded)
        if named or self.routine_unnamed.search(folded):
            return _escalated(self.escalation.intent(text))
        return None

    def lexicon_tier(
        self,
        doc: Any,
        reading: Reading,
        joke_softens: Set[Text],
        celebration: bool,
        moving_on: bool,
        away: bool,
        owned: bool,
    ) -> Tuple[Optional[Text], Optional[Text], bool]:
        """For a message's `doc` and its lexicon `reading`: the highest tier among the matches, each
        read in its context (a celebration in its sentence softens a match unless its danger
        already happened, a joke only the categories in `joke_softens`, moving on only a
        farewell, a trip only an absence, a hypothetical unless the person `owned` it), the
        category that gave it, and whether the context moved any match down."""
        hits = reading.hits
        if not hits:
            # Danger words read as an idiom ("not going to hurt myself") are read in context.
            return None, None, reading.idiomatic
        self.sentencizer(doc)
        self.join_dating(doc, {start for _, start, _ in hits})
        doc.ents = filter_spans([Span(doc, start, end, label=cat) for cat, start, end in hits])
        self.context(doc)
        best: Tuple[int, Optional[Text], Optional[Text]] = (0, None, None)
        modified = False
        for span in doc.ents:
            tier = self.tiers[span.label_]
            softened = (
                (celebration and span.label_ not in self.happened and self.celebrates(span))
                or span.label_ in joke_softens
                or (moving_on and any(t.lower_ in self.farewell_words for t in span))
                or (away and any(t.lower_ in self.absence_words for t in span))
            )
            if softened or self.in_context(span, owned):
                modified = True
                cleared = span.label_ in self.negation_clears and self.negated(span)
                tier = POSSIBLE if tier == DANGER and not cleared else None
            rank = {DANGER: 2, POSSIBLE: 1, None: 0}[tier]
            if rank > best[0]:
                best = (rank, tier, span.label_)
        return best[1], best[2], modified

    def celebrates(self, span: Span) -> bool:
        """A celebration in the match's own sentence, or anywhere when the sentence is the match
        alone ("tonight's the night. asking her to marry me"): a plan told in full ("the plan is
        to roll it over the edge. i keep thinking about her recital") is read on its own."""
        sentence = span.sent
        matched = range(span.start, span.end)
        rest = [t for t in sentence if not (t.is_punct or t.i in matched)]
        alone = all(token.text == SENTENCE_START for token in rest)
        return alone or bool(self.celebration.search(sentence.text))

    def join_dating(self, doc: Any, match_starts: Set[int]) -> None:
        """A sentence that dates the one before it joins it: a short one ("that was 2011."), or
        one that opens with one's age now ("i attempted at 17. i am 41 now and ..."). When that
        sentence has no match, it dates the one before too ("i was assaulted in the military.
        reported it, nothing happened. that was 2009")."""
        sentences = list(doc.sents)
        for index, sentence in enumerate(sentences[1:], start=1):
            text = sentence.text.removeprefix(SENTENCE_START).lstrip()
            short_date = len(sentence) <= self.dating_words and self.dating.match(text)
            if not (short_date or self.age_now.match(text)):
                continue
            doc[sentence.start].is_sent_start = False
            before = sentences[index - 1]
            if index > 1 and not any(before.start <= start < before.end for start in match_starts):
                doc[before.start].is_sent_start = False

    def in_context(self, span: Span, owned: bool) -> bool:
        """Negated, in the past (unless the category is told in the past) or hypothetical
        (unless the person said it was their own: "hypothetically... it was me")."""
        past = span._.is_historical and span.label_ not in self.told_in_the_past
        hypothetical = span._.is_hypothetical and not owned
        return past or hypothetical or self.negated(span)

    def negated(self, span: Span) -> bool:
        return span._.is_negated or self.negated_before(span)

    def negated_before(self, span: Span) -> bool:
        before = span.start - 1
        if before < 0 or span.doc[before].lower_ not in self.negation_before:
            return False
        # "if not, i am going to end it": the negation belongs to the condition.
        condition = span.doc[max(0, before - 3) : before]
        return not any(token.lower_ in self.condition_words for token in condition)

    def looks_spanish(self, text: Text, folded: Text) -> bool:
        """Mostly common Spanish words, or Spanish to langid.py with one common Spanish word
        (alone, langid.py calls some English chat Spanish: "do benzos help ptsd")."""
        words = re.findall(r"[a-zñ]+", folded)
        spanish = [word for word in words if word in self.spanish_words]
        if len(spanish) >= 2 and len(spanish) >= 0.25 * len(words):
            return True
        language, probability = self.language_id.classify(text)
        threshold = self.component_config["spanish_probability"]
        confirmed = any(word in self.confirms_spanish for word in spanish)
        return language == "es" and probability >= threshold and confirmed

    def mixes_spanish(self, folded: Text) -> bool:
        """Spanish words beside English: at least two that English chat does not use, and a
        share of the message (no English message of the frozen batches has two)."""
        words = re.findall(r"[a-zñ]+", folded)
        spanish = [word for word in words if word in self.confirms_spanish]
        share = self.component_config["spanish_mixed_share"]
        return len(spanish) >= 2 and len(spanish) >= share * len(words)

    def _route(self, message: Message) -> None:
        ranking = message.get(INTENT_RANKING_KEY) or []
        text = message.get(TEXT) or ""
        decision = self.decide(text, ranking)
        message.set(CRISIS_GUARD_KEY, self._guard_output(text, ranking, decision), True)
        if decision["intent"]:
            predict(message, decision["intent"])
        if decision["intent"] == "crisis":
            kind = self.crisis_kinds.get(decision.get("category"), "general")
            entity = {ENTITY_ATTRIBUTE_TYPE: CRISIS_KIND, ENTITY_ATTRIBUTE_VALUE: kind}
            entities = [*(message.get(ENTITIES) or []), {**entity, "extractor": "SafetyRouter"}]
            message.set(ENTITIES, entities, add_to_output=True)
        message.set(
            OUTPUT_KEY, {k: v for k, v in decision.items() if k != "intent"}, add_to_output=True
        )
        if decision["tier"]:
            # Tier and layer only: the message text stays out of the logs.
            logger.info(f"Safety tier {decision['tier']} ({decision['layer']}).")

    def _guard_output(
        self, text: Text, ranking: List[Dict[Text, Any]], decision: Dict[Text, Any]
    ) -> Dict[Text, Any]:
        """The crisis guard's record (staff shell, evaluation): which layer made it a crisis."""
        if decision["intent"] not in DANGER_INTENTS:
            return {"layer": None}
        classifier = _top(ranking) in DANGER_INTENTS
        if decision["layer"] not in ("lexicon", "spanish", "reading", "urgency"):
            return {"layer": "intent"}
        hit = self.guard.match(text)
        category, matched = hit if hit else (decision.get("category") or decision["layer"], None)
        return {
            "layer": "both" if classifier else "lexicon",
            "category": category,
            "matched": matched,
        }


def _context(nlp: Any, rules: Dict[Text, Any]) -> ConText:
    """medspaCy ConText with the rules' phrases, and the past told by a year, one's age now or
    one's age then."""
    context = ConText(
        nlp, rules=None, span_attrs=CONTEXT_ATTRIBUTES, terminating_types=rules["terminated_by"]
    )
    phrases = [
        ConTextRule(_cue(literal), category, direction=direction)
        for category, directions in rules["context"].items()
        for direction, literals in directions.items()
        for literal in literals
    ]
    year = [{"TEXT": {"REGEX": rules["past_years"]}}]
    short_year = [{"ORTH": "'"}, {"TEXT": {"REGEX": rules["short_year"]}}]
    age_now = [
        {"LOWER": "i"},
        {"LOWER": "am"},
        {"TEXT": {"REGEX": rules["age_now"]}},
        {"LOWER": "now"},
    ]
    age_then = [
        {"LOWER": "i"},
        {"LOWER": "was"},
        {"TEXT": {"REGEX": rules["age_then"]}},
        {"LOWER": "when"},
    ]
    age_at = [{"LOWER": "at"}, {"TEXT": {"REGEX": rules["age_at"]}}, {"IS_PUNCT": True}]
    age_at_first = [
        {"LOWER": "at"},
        {"TEXT": {"REGEX": rules["age_at"], "NOT_IN": ["12"]}},
        {"LOWER": "i"},
    ]
    adult_age_then = [
        {"LOWER": "i"},
        {"LOWER": "was"},
        {"TEXT": {"REGEX": rules["age_now"]}},
        {"LOWER": "and"},
    ]
    context.add(
        phrases
        + [
            ConTextRule("a year", "PAST", pattern=year, direction="BIDIRECTIONAL"),
            ConTextRule("a short year", "PAST", pattern=short_year, direction="BIDIRECTIONAL"),
            # One's age now dates what came before it ("overdosed at 17, i am 30 now"); what
            # follows it is now ("i am 22 now and i am finishing it today").
            ConTextRule("one's age now", "PAST", pattern=age_now, direction="BACKWARD"),
            ConTextRule("a child's age then", "PAST", pattern=age_then, direction="FORWARD"),
            ConTextRule("a teenager's age then", "PAST", pattern=age_at, direction="BACKWARD"),
            # "at 16 i wrote a goodbye letter": the same age opening a clause dates what follows.
            ConTextRule("a teen's age first", "PAST", pattern=age_at_first, direction="FORWARD"),
            # "i was 22 and overdosed on purpose": an age told in the past tense.
            ConTextRule("an adult's age then", "PAST", pattern=adult_age_then, direction="FORWARD"),
        ]
    )
    return context


def _cue(literal: Text) -> Text:
    """A ConText phrase, with a leading "^" meaning a sentence's start as in the lexicon."""
    return SENTENCE_START + literal[1:] if literal.startswith("^ ") else literal


def _top(ranking: List[Dict[Text, Any]]) -> Optional[Text]:
    return ranking[0][INTENT_NAME_KEY] if ranking else None


def _past_the_risk(ranking: List[Dict[Text, Any]]) -> Optional[Dict[Text, Any]]:
    """When a risk intent tops the ranking of a message that denies a risk: the likeliest
    other intent ("not in crisis, i just want to know the cost" asks about the cost)."""
    if _top(ranking) not in RISK_INTENTS:
        return None
    others = [r[INTENT_NAME_KEY] for r in ranking if r[INTENT_NAME_KEY] not in RISK_INTENTS]
    return {"intent": others[0], "tier": None, "layer": "denial"} if others else None


def _escalated(medical: Optional[Text]) -> Optional[Dict[Text, Any]]:
    return {"intent": medical, "tier": None, "layer": "escalation_guard"} if medical else None


def _top_medical(probability: Dict[Text, float]) -> Dict[Text, Any]:
    medical = [name for name in probability if name.startswith(MEDICAL_PREFIX)]
    return {"intent": max(medical, key=probability.get), "tier": None, "layer": "classifier"}


def _other_language() -> Dict[Text, Any]:
    return {"intent": "other_language", "tier": None, "layer": "language"}


def _tier(language: Text, tier: Text, layer: Text, category: Optional[Text] = None) -> Dict:
    return {
        "intent": TIER_INTENTS[(language, tier)],
        "tier": tier,
        "layer": layer,
        "category": category,
        "language": language,
    }


def fold(text: Text) -> Text:
    """Lower case without accents: "Quiero MORIRME" and "quiero morirme" read alike."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("\u2019", "'")


def _phrases(literals: Iterable[Text]) -> re.Pattern:
    # Not after "not": "not asking for me" is no urgency, "not excited" no celebration.
    return re.compile(r"(?<!\w)(?<!\bnot )(?:" + "|".join(map(re.escape, literals)) + r")(?!\w)")


def _regex(patterns: List[Text]) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in patterns) + r")\b")


class EscalationGuard:
    """Personal medical decisions that words decide: a medicine, a dose, a reading, a
    condition or a diagnosis, asked about oneself (or someone in one's care)."""

    def __init__(self, rules: Dict[Text, Any]) -> None:
        from drug_named_entity_recognition import find_drugs  # 2 s to load its dictionary

        self.find_drugs = find_drugs
        self.personal = _regex(rules["personal"])
        self.cues = {intent: _regex(patterns) for intent, patterns in rules["cues"].items()}
        self.general = _regex(rules["general"])
        self.ignored_drugs = set(rules["ignored_drugs"])
        self.lab_value = _regex(rules["lab_value"])
        self.many_pills = _regex(rules["many_pills"])

    def asked(self, text: Text) -> Text:
        """The folded text without the phrases that make a question general."""
        return self.general.sub(" ", fold(text))

    def intent(self, text: Text) -> Optional[Text]:
        folded = self.asked(text)
        if not (self.personal.search(folded) or self.lab_value.search(folded)):
            return None
        for intent, cue in self.cues.items():
            if cue.search(folded):
                return intent
        if self.drugs(folded):
            return "medical_medication"
        return None

    def names_many_pills(self, text: Text) -> bool:
        return bool(self.many_pills.search(fold(text)))

    def lab_report(self, text: Text) -> Optional[Text]:
        """One's own lab value ("labs back, ALT 92, is that why"): a symptom report."""
        found = self.lab_value.search(self.asked(text))
        return "medical_symptom_report" if found else None

    def drugs(self, folded: Text) -> List[Text]:
        tokens = re.findall(r"[a-z0-9][a-z0-9\-]*", folded)
        found = self.find_drugs(tokens, is_ignore_case=True)
        names = {drug["name"].lower() for drug, *_ in found}
        return sorted(names - self.ignored_drugs)
