"""Crisis guard: a deterministic layer that makes sure crisis language reaches the crisis protocol.

The statistical intent classifier can miss a crisis message (new wording, slang, typos). This
component runs after it and before the FallbackClassifier. When a phrase of the clinician-reviewed
lexicon (crisis_lexicon.yml) matches, it predicts `crisis` with confidence 1.0. It never removes or
lowers a crisis prediction of the classifier.
"""

from __future__ import annotations

import itertools
import logging
import re
from pathlib import Path
from typing import Any, Dict, List, NamedTuple, Optional, Text, Tuple

import spacy
import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

logger = logging.getLogger(__name__)

CRISIS_INTENT = "crisis"
OUTPUT_KEY = "crisis_guard"
DEFAULT_LEXICON = Path(__file__).with_name("crisis_lexicon.yml")

# A word no user types, put at each sentence start so that "^" in a pattern can match
# subject-less chat ("want to die", "took the whole bottle").
SENTENCE_START = "xxsentstart"
SENTENCE_SPLIT = re.compile(r"([.!?;\n]+)")
GAP = [{"OP": "?"}] * 3  # "..." in a pattern: up to 3 words of anything
# Optional tokens in a row multiply the Matcher's partial matches (seven "..." in a row held one
# message for 13 s), so a run of LONG_GAP or more "..." becomes one pattern per exact gap length
# (shorter runs stay optional: expanding them too made five times the patterns and three times
# the start-up for little gain).
LONG_GAP = 4
ANY_WORD: Dict[Text, Any] = {}
GROUP = re.compile(r"\(([^()]*)\)([?*+]?)")  # an innermost "(a b|c)" group and its quantifier
# In a lexicon set: any word the maintained drug vocabulary names ("venlafaxine", "effexor").
MEDICINE = "@medicine"
Token.set_extension("is_medicine", default=False, force=True)
MAX_KNOWN_WORDS = 50_000  # words whose answer is kept; a bound on memory


class Reading(NamedTuple):
    """A message read against the lexicon: (category, start, end) of each match no idiom
    overlaps, and whether any idiom was found (a match read in context when none is left)."""

    hits: List[Tuple[Text, int, int]]
    idiomatic: bool


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisGuard(GraphComponent, IntentClassifier):
    """Predicts `crisis` when the crisis lexicon matches; tags every message with `crisis_guard`."""

    @staticmethod
    def supported_languages() -> Optional[List[Text]]:
        return ["en"]  # the lexicon is English

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # None: the lexicon shipped next to this file.
        return {"lexicon": None}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CrisisGuard:
        return cls(config)

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.component_config = config
        lexicon = _read_lexicon(Path(config.get("lexicon") or DEFAULT_LEXICON))
        self.nlp = _build_nlp(lexicon.get("lemmas") or {})
        self.normaliser = Normaliser(lexicon["normalise"])
        compiler = PatternCompiler(self.nlp, self.normaliser, lexicon["sets"])
        self.categories = list(lexicon["categories"])
        # validate=False: the compiler only emits well-formed token dicts (validation costs ~2 s).
        # One Matcher per category: Matcher.add slows down with every distinct token predicate
        # already in that Matcher, so nine small ones build about 3x faster than one (start-up).
        self.matchers = {}
        for category, patterns in lexicon["categories"].items():
            self.matchers[category] = Matcher(self.nlp.vocab, validate=False)
            self.matchers[category].add(category, compiler.compile_all(patterns))
        self.not_crisis = Matcher(self.nlp.vocab, validate=False)
        self.not_crisis.add("not_crisis", compiler.compile_all(lexicon["not_crisis"]))
        self.asked_in_general = Matcher(self.nlp.vocab, validate=False)
        self.asked_in_general.add("general", compiler.compile_all(lexicon["asked_in_general"]))
        self.medicines = Medicines(lexicon["not_medicines"])

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._guard(message)
        return messages

    def match(self, text: Text) -> Optional[Tuple[Text, Text]]:
        """(category, matched words) of the strongest lexicon match in `text`, or None.

        The matched words are reported as normalised ("can't" -> "can not").
        """
        doc = self.nlp(self.normaliser(text))
        hits = self.read(doc).hits
        if not hits:
            return None
        # The longest match tells the most ("wish i could sleep and never wake up" is passive
        # ideation, not the overdose phrase "never wake up"); ties go to the earlier category.
        category, start, end = max(
            hits, key=lambda hit: (hit[2] - hit[1], -self.categories.index(hit[0]))
        )
        return category, _words(doc[start:end])

    def idioms(self, doc: Doc, owned: bool = False) -> List[Tuple[int, int, int]]:
        """The idioms in `doc`; a question asked in general is none when the person `owned` it
        ("... for someone who has suicidal thoughts? asking for me")."""
        return self.not_crisis(doc) + ([] if owned else self.asked_in_general(doc))

    def read(self, doc: Doc, owned: bool = False) -> Reading:
        """Every lexicon match in `doc` that no idiom overlaps, and whether any idiom was found."""
        self.medicines.mark(doc)
        idioms = self.idioms(doc, owned)
        # The tokens idioms cover, marked once: checking each hit against every idiom was
        # quadratic, and a 20,000-character "1-1-1-..." held the server for seconds.
        covered = bytearray(len(doc))
        for _, start, end in idioms:
            covered[start:end] = b"\x01" * (end - start)
        hits = [
            (category, start, end)
            for category, matcher in self.matchers.items()
            for _, start, end in matcher(doc)
            if not any(covered[start:end])
        ]
        return Reading(hits, bool(idioms))

    def _guard(self, message: Message) -> None:
        hit = self.match(message.get(TEXT) or "")
        classifier_said_crisis = (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == CRISIS_INTENT
        if hit:
            category, matched = hit
            _predict_crisis(message)
            layer = "both" if classifier_said_crisis else "lexicon"
            result = {"layer": layer, "category": category, "matched": matched}
            # Category only: the message text stays out of the logs.
            logger.info(f"Crisis guard fired ({layer}, {category}).")
        else:
            result = {"layer": "intent" if classifier_said_crisis else None}
        message.set(OUTPUT_KEY, result, add_to_output=True)


def _predict_crisis(message: Message) -> None:
    predict(message, CRISIS_INTENT)


def predict(message: Message, intent: Text) -> None:
    """Make `intent` the certain prediction, other intents keep their order at confidence 0.

    Zero, because the FallbackClassifier that follows would otherwise call it at 1.0 against,
    say, another intent at 0.95 "ambiguous" and replace it with nlu_fallback.
    """
    chosen = {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: 1.0}
    others = [
        {**ranked, PREDICTED_CONFIDENCE_KEY: 0.0}
        for ranked in message.get(INTENT_RANKING_KEY) or []
        if ranked.get(INTENT_NAME_KEY) != intent
    ]
    message.set(INTENT, chosen, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [dict(chosen), *others], add_to_output=True)


def _read_lexicon(path: Path) -> Dict[Text, Any]:
    with path.open(encoding="utf-8") as file:
        return yaml.safe_load(file)


def _build_nlp(lemma_fixes: Dict[Text, Text]) -> Language:
    # Lookup lemmas come from spacy-lookups-data, installed in the venv: nothing is downloaded.
    nlp = spacy.blank("en")
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    table = lemmatizer.lookups.get_table("lemma_lookup")
    for word, lemma in lemma_fixes.items():
        table[word] = lemma
    return nlp


def _words(span: Span) -> Text:
    return " ".join(token.text for token in span if token.text != SENTENCE_START)


class Normaliser:
    """Reads abbreviations by their case, then lower-cases, expands contractions and fixes
    misspellings: alike for messages and patterns."""

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.questions = set(config.get("question_words") or [])
        abbreviations = config.get("abbreviations") or {}
        self.abbreviations = (_whole_words(abbreviations, case=True), abbreviations)
        tables = [config["contractions"], config["spellings"]]
        self.tables = [
            (_whole_words(table), {key.lower(): value for key, value in table.items()})
            for table in tables
        ]

    def __call__(self, text: Text) -> Text:
        """Text of a message, with SENTENCE_START before each sentence that is not a question.

        A question ("is self harm a symptom of ptsd?") has no dropped "i" to stand in for.
        """
        return self.sentences(self.words(text))

    def sentences(self, words: Text) -> Text:
        """Already normalised words (`words`), with SENTENCE_START marked as `__call__` does."""
        # Stripped, so that spaces never become tokens that use up a pattern's "...".
        parts = [part.strip() for part in SENTENCE_SPLIT.split(words)]
        return " ".join(
            part if SENTENCE_SPLIT.fullmatch(part) else self.mark(part) for part in parts if part
        )

    def mark(self, sentence: Text) -> Text:
        first_word = (sentence.split() or [""])[0]
        return sentence if first_word in self.questions else f"{SENTENCE_START} {sentence}"

    def words(self, text: Text) -> Text:
        regex, table = self.abbreviations
        text = regex.sub(lambda found: table[found.group(0)], text)
        text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
        text = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text)  # self-harm -> self harm
        text = re.sub(r"([a-z])\1{2,}", r"\1", text)  # kmsss -> kms, sooo -> so
        for regex, table in self.tables:
            text = regex.sub(lambda found: table[found.group(0)], text)
        return text


def _whole_words(table: Dict[Text, Text], case: bool = False) -> re.Pattern:
    # Longest first, so "my self" wins over "my"; an apostrophe inside a word counts as part of
    # it, one that only quotes it does not ("he said 'won't be around'"). An empty table
    # matches nothing.
    keys = sorted((re.escape(key if case else key.lower()) for key in table), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?<!\w')(?:" + "|".join(keys or [r"(?!)"]) + r")(?!\w)(?!'\w)")


class Medicines:
    """Marks the words of a message that name a medicine in the drug-named-entity-recognition
    vocabulary, but for the ordinary words it also lists ("sits", "caps")."""

    def __init__(self, not_medicines: List[Text]) -> None:
        from drug_named_entity_recognition import find_drugs  # 2 s to load its dictionary

        self.find_drugs = find_drugs
        self.not_medicines = set(not_medicines)
        # A word's answer, kept: a lookup that finds a drug costs about 2 ms.
        self.known: Dict[Text, bool] = {}

    def mark(self, doc: Doc) -> None:
        for token in doc:
            word = token.lower_
            if word.isalpha() and word not in self.not_medicines:
                token._.is_medicine = self.names_medicine(word)

    def names_medicine(self, word: Text) -> bool:
        if word not in self.known:
            if len(self.known) >= MAX_KNOWN_WORDS:
                self.known.clear()
            self.known[word] = bool(self.find_drugs([word], is_ignore_case=True))
        return self.known[word]


class PatternCompiler:
    """Turns the lexicon's readable patterns into spaCy Matcher token patterns."""

    def __init__(self, nlp: Language, normaliser: Normaliser, sets: Dict[Text, List[Text]]) -> None:
        self.nlp = nlp
        self.normaliser = normaliser
        self.sets = {name: [str(word) for word in words] for name, words in sets.items()}
        self.lemmas: Dict[Text, Text] = {}

    def compile_all(self, patterns: List[Text]) -> List[List[Dict[Text, Any]]]:
        return [compiled for text in patterns for compiled in self.compile(text)]

    def compile(self, text: Text) -> List[List[Dict[Text, Any]]]:
        # Normalised like user text, so "won't" in a pattern means what it means in a message.
        text = self.normaliser.words(text)
        compiled = []
        for variant in expand_groups(text):
            options = [self.token(word) for word in _gap_runs(variant.split())]
            for choice in itertools.product(*options):
                compiled.append([spec for specs in choice for spec in specs])
        return compiled

    def token(self, word: Text) -> List[List[Dict[Text, Any]]]:
        """The alternative token specs of one pattern word (a mixed exact/lemma set needs two)."""
        if word == "...":
            return [GAP]
        if word.startswith("..."):
            words = len(GAP) * word.count("...")
            return [[ANY_WORD] * length for length in range(words + 1)]
        quantifier = word[-1] if word[-1] in "?*+" and len(word) > 1 else None
        words = self.alternatives(word.rstrip("?*+") if quantifier else word)
        exact = {w[1:] for w in words if w.startswith("=")}
        exact |= {SENTENCE_START for w in words if w == "^"}
        loose = {self.lemma(w) for w in words if w[0] not in "=^@"}
        specs = [{"LOWER": {"IN": sorted(exact)}}] if exact else []
        specs += [{"LEMMA": {"IN": sorted(loose)}}] if loose else []
        specs += [{"_": {"is_medicine": True}}] if MEDICINE in words else []
        if quantifier:
            specs = [{**spec, "OP": quantifier} for spec in specs]
        return [[spec] for spec in specs]

    def alternatives(self, word: Text) -> List[Text]:
        words = []
        for alternative in re.split(r"[|¦]", word):
            if alternative.startswith("$"):
                words += self.sets[alternative[1:]]
            else:
                words.append(alternative)
        return words

    def lemma(self, word: Text) -> Text:
        if word not in self.lemmas:
            tokens = self.nlp(word)
            self.lemmas[word] = tokens[0].lemma_ if len(tokens) == 1 else word
        return self.lemmas[word]


def _gap_runs(words: List[Text]) -> List[Text]:
    """The pattern's words with each run of LONG_GAP or more "..." joined into one word."""
    joined: List[Text] = []
    for word, run in itertools.groupby(words):
        count = len(list(run))
        if word == "..." and count >= LONG_GAP:
            joined.append(word * count)
        else:
            joined += [word] * count
    return joined


def expand_groups(pattern: Text) -> List[Text]:
    """Expand "(a b|c d)" groups into separate patterns, innermost first.

    The single words of a group stay one token ("(hit|hits)" -> "hit¦hits"), in a group of
    phrases too ("(five|a dozen)" -> "five", "a dozen"), so the number of patterns stays small;
    "¦" keeps them apart from the "|" of an enclosing group.
    """
    group = GROUP.search(pattern)
    if not group:
        return [" ".join(pattern.split())]
    head, tail, quantifier = pattern[: group.start()], pattern[group.end() :], group.group(2)
    alternatives = [alternative.strip() for alternative in group.group(1).split("|")]
    if all(alternative and " " not in alternative for alternative in alternatives):
        return expand_groups(f"{head}{'¦'.join(alternatives)}{quantifier}{tail}")
    # Words with a quantifier of their own ("$pills+") stay apart.
    words = [a for a in alternatives if re.fullmatch(r"[^\s?*+]+", a)]
    alternatives = ["¦".join(words)] * bool(words) + [a for a in alternatives if a not in words]
    if quantifier == "?":
        alternatives.append("")
    elif quantifier:
        raise ValueError(f"Only '?' may follow a group of phrases: {pattern!r}")
    return [
        expanded
        for alternative in alternatives
        for expanded in expand_groups(f"{head} {alternative} {tail}")
    ]
