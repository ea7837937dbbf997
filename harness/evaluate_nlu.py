"""Evaluates the trained model on the held-out sets (never on training data).

Prints accuracy, macro-F1, per-topic F1 and the most confused pairs on
tests/nlu/heldout.yml, crisis recall on tests/nlu/crisis_messages.yml and the
false-alarm count on tests/nlu/benign_messages.yml. `make eval` runs it.
"""

import argparse
import asyncio
import json
import logging
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

from rasa.core.agent import Agent
from rasa.shared.nlu.training_data.loading import load_data
from rasa.utils.log_utils import configure_structlog
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

from clinic_assistant.settings import MODEL, PROJECT_ROOT

SETS = PROJECT_ROOT / "tests" / "nlu"
FALLBACK = "nlu_fallback"
OUT_OF_SCOPE = "out_of_scope"


def examples(path: Path) -> List[Tuple[str, str]]:
    return [(e.get("text"), e.get("intent")) for e in load_data(str(path)).intent_examples]


def classify(agent: Agent, texts: List[str]) -> List[Dict]:
    """Final intent (after the fallback), the classifier's own top topic, parse time."""

    async def parse_timed(text):
        started = time.perf_counter()
        parse = await agent.parse_message(text)
        return parse, (time.perf_counter() - started) * 1000

    async def parse_all():
        return [await parse_timed(text) for text in texts]

    results = []
    for parse, milliseconds in asyncio.run(parse_all()):
        ranking = [r["name"] for r in parse.get("intent_ranking", []) if r["name"] != FALLBACK]
        results.append(
            {
                "final": parse["intent"]["name"],
                "topic": ranking[0] if ranking else FALLBACK,
                "ms": milliseconds,
                "guard": (parse.get("crisis_guard") or {}).get("layer"),
            }
        )
    return results


def percentile(values: List[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def evaluate(model: str, lexicon: Optional[Callable[[str], object]] = None) -> Dict:
    """Scores a trained Rasa model. `lexicon` (text -> truthy on a crisis match) adds the
    crisis results with that lexicon applied after the model, as the crisis guard would."""
    configure_structlog(logging.WARNING)  # at debug level Rasa logs every message's text
    agent = Agent.load(model)
    return score(lambda texts: classify(agent, texts), lexicon)


def score(
    classify_texts: Callable[[List[str]], List[Dict]],
    lexicon: Optional[Callable[[str], object]] = None,
) -> Dict:
    """All the results for any classifier that returns classify()'s dicts for a list of texts."""
    heldout = examples(SETS / "heldout.yml")
    truth = [intent for _, intent in heldout]
    predicted = classify_texts([text for text, _ in heldout])
    topics = [p["topic"] for p in predicted]
    labels = sorted(set(truth))
    _, recalls, f1s, _ = precision_recall_fscore_support(
        truth, topics, labels=labels, zero_division=0
    )
    crisis_texts = [text for text, _ in examples(SETS / "crisis_messages.yml")]
    benign_texts = [text for text, _ in examples(SETS / "benign_messages.yml")]
    crisis, benign = classify_texts(crisis_texts), classify_texts(benign_texts)
    result = {
        "heldout_size": len(truth),
        "accuracy": accuracy_score(truth, topics),
        "macro_f1": f1_score(truth, topics, labels=labels, average="macro", zero_division=0),
        "out_of_scope_recall": float(recalls[labels.index(OUT_OF_SCOPE)]),
        "fallback_rate": sum(p["final"] == FALLBACK for p in predicted) / len(predicted),
        "per_topic_f1": dict(zip(labels, map(float, f1s))),
        "confused_pairs": Counter(
            f"{t} -> {p}" for t, p in zip(truth, topics) if t != p
        ).most_common(10),
        "parse_ms_p50": percentile([p["ms"] for p in predicted], 0.5),
        "parse_ms_p95": percentile([p["ms"] for p in predicted], 0.95),
        "crisis_size": len(crisis),
        "crisis_recall": sum(p["final"] == "crisis" for p in crisis) / len(crisis),
        # The statistical classifier alone: its top intent, before the fallback threshold and
        # without the messages only the crisis guard's lexicon caught.
        "crisis_recall_nlu": sum(p["topic"] == "crisis" and p["guard"] != "lexicon" for p in crisis)
        / len(crisis),
        "crisis_missed_as": dict(Counter(p["final"] for p in crisis if p["final"] != "crisis")),
        "benign_size": len(benign),
        "benign_false_alarms": sum(p["final"] == "crisis" for p in benign),
        "crisis_caught_by": dict(Counter(p["guard"] for p in crisis if p["final"] == "crisis")),
    }
    if lexicon:

        def flagged(texts: List[str], parses: List[Dict]) -> int:
            return sum(
                p["final"] == "crisis" or bool(lexicon(text)) for text, p in zip(texts, parses)
            )

        result["crisis_recall_with_guard"] = flagged(crisis_texts, crisis) / len(crisis)
        result["benign_false_alarms_with_guard"] = flagged(benign_texts, benign)
    return result


def print_report(result: Dict) -> None:
    print(f"Held-out set: {result['heldout_size']} messages")
    print(
        f"  accuracy {result['accuracy']:.3f}   macro-F1 {result['macro_f1']:.3f}   "
        f"sent to fallback {result['fallback_rate']:.1%}   "
        f"parse p50 {result['parse_ms_p50']:.1f} ms, p95 {result['parse_ms_p95']:.1f} ms"
    )
    print("  per-topic F1 (lowest first):")
    for topic, f1 in sorted(result["per_topic_f1"].items(), key=lambda item: item[1]):
        print(f"    {f1:.2f}  {topic}")
    print("  most confused (true -> predicted):")
    for pair, count in result["confused_pairs"]:
        print(f"    {count:>3}  {pair}")
    print(f"  out_of_scope recall {result['out_of_scope_recall']:.3f}")
    print(
        f"Crisis set: recall {result['crisis_recall']:.3f} of {result['crisis_size']} "
        f"(statistical classifier alone {result['crisis_recall_nlu']:.3f}); "
        f"caught by {result['crisis_caught_by']}; missed as {result['crisis_missed_as']}"
    )
    print(
        f"Benign set: {result['benign_false_alarms']} false crisis alarms of "
        f"{result['benign_size']}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default=str(MODEL))
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    report = evaluate(args.model)
    print_report(report)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    sys.exit(0)
