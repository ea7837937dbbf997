"""Safety and topic results on independently written sets (never training or tuning data).

Each set is a YAML file of {text, label, kind}, written by someone who never saw data/ or the
lexicons (tests/nlu/independent/README.md). Every message is routed by one of:
- `rest`:   the real servers, started here (a fresh conversation per message; the actions Rasa
            ran are read back from the tracker, urgent tickets from the database) - the numbers
            the README quotes;
- `parse`:  the trained model in-process, routed as the rules would route its final intent;
- `tfidf`:  the baseline: scikit-learn TF-IDF + logistic regression trained on data/nlu.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sqlite3
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Dict, Iterator, List

import requests
import yaml

from clinic_assistant.settings import MODEL, PROJECT_ROOT

DANGER, POSSIBLE, NO_RISK = "danger_now", "possible_risk", "no_risk"
SETS = {
    "danger_now": "danger_now.yml",
    "possible_risk": "possible_risk.yml",
    "spanish": "spanish.yml",
    "near_misses": "near_misses.yml",
    "medical_decisions": "medical_decisions.yml",
    "educational": "educational.yml",
    "topics": "topics.yml",
}


def load_set(folder: Path, name: str) -> List[Dict]:
    path = folder / SETS[name]
    if not path.exists():
        return []
    return yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]


# --- routes: text -> outcome {"protocol", "ask", "escalate", "topic", "spanish", "numbers"} ---


def outcome_from_intent(intent: str) -> Dict:
    return {
        "protocol": intent in ("crisis", "crisis_es"),
        "ask": intent in ("risk_check", "risk_check_es"),
        "escalate": intent.startswith("medical_"),
        "topic": intent,
        "spanish": False,
        "numbers": intent == "crisis",
    }


def parse_router(model: str) -> Callable[[List[str]], List[Dict]]:
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    agent = Agent.load(model)

    def route(texts: List[str]) -> List[Dict]:
        async def parse_all():
            return [await agent.parse_message(text) for text in texts]

        results = []
        for parse in asyncio.run(parse_all()):
            outcome = outcome_from_intent(parse["intent"]["name"])
            safety = parse.get("safety") or {}
            outcome["spanish"] = safety.get("language") == "es"
            results.append(outcome)
        return results

    return route


def rest_router(url: str, token: str, database: Path) -> Callable[[List[str]], List[Dict]]:
    def urgent_tickets(sender: str) -> int:
        with sqlite3.connect(database) as connection:
            query = (
                "SELECT count(*) FROM handoff_tickets WHERE conversation_id = ? AND priority = ?"
            )
            return connection.execute(query, (sender, "urgent")).fetchone()[0]

    def route_one(text: str) -> Dict:
        sender = f"eval-{uuid.uuid4().hex[:12]}"
        replies = requests.post(
            f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60
        ).json()
        tracker = requests.get(
            f"{url}/conversations/{sender}/tracker", params={"token": token}, timeout=30
        ).json()
        events = tracker["events"]
        last_user = max(i for i, e in enumerate(events) if e["event"] == "user")
        actions = [e["name"] for e in events[last_user:] if e["event"] == "action"]
        reply = " ".join(r.get("text") or "" for r in replies)
        intent = (events[last_user].get("parse_data") or {}).get("intent", {}).get("name")
        crisis = any(a.startswith("utter_crisis") for a in actions)
        return {
            "protocol": crisis and urgent_tickets(sender) > 0,
            "ask": any(a.startswith("utter_risk_check") for a in actions),
            "escalate": "action_escalate_to_clinician" in actions,
            "topic": intent,
            "spanish": any(a.endswith("_es") for a in actions if a.startswith("utter_")),
            "numbers": "911" in reply and "988" in reply,
        }

    return lambda texts: [route_one(text) for text in texts]


@contextmanager
def running_servers() -> Iterator[Callable[[List[str]], List[Dict]]]:
    """The action server and Rasa server on free loopback ports with a fresh database."""
    from clinic_assistant import launcher

    with launcher.throwaway_servers() as (env, token, run_dir):
        yield rest_router(f"http://127.0.0.1:{env['RASA_PORT']}", token, run_dir / "rasa.db")


def tfidf_router(data_dir: Path) -> Callable[[List[str]], List[Dict]]:
    from rasa.shared.nlu.training_data.loading import load_data
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    examples = load_data(str(data_dir / "nlu")).intent_examples
    model = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, lowercase=True),
        LogisticRegression(C=10, max_iter=2000),
    )
    model.fit([e.get("text") for e in examples], [e.get("intent") for e in examples])
    return lambda texts: [outcome_from_intent(i) for i in model.predict(texts)]


# --- scores ---


def share(hits: int, total: int) -> Dict:
    return {"n": total, "hits": hits, "rate": round(hits / total, 4) if total else None}


def score(route: Callable[[List[str]], List[Dict]], folder: Path) -> Dict:
    sets = {name: load_set(folder, name) for name in SETS}
    out = {name: route([m["text"] for m in messages]) for name, messages in sets.items()}
    result: Dict = {}

    def pick(name, label=None):
        return [
            (m, o) for m, o in zip(sets[name], out[name]) if label is None or m["label"] == label
        ]

    danger = pick("danger_now")
    result["danger_now_protocol"] = share(sum(o["protocol"] for _, o in danger), len(danger))
    result["danger_now_numbers_shown"] = share(sum(o["numbers"] for _, o in danger), len(danger))
    possible = pick("possible_risk")
    result["possible_risk_ask_or_protocol"] = share(
        sum(o["ask"] or o["protocol"] for _, o in possible), len(possible)
    )
    es_danger = pick("spanish", DANGER)
    result["spanish_danger_protocol_in_spanish"] = share(
        sum(o["protocol"] and o["spanish"] for _, o in es_danger), len(es_danger)
    )
    es_possible = pick("spanish", POSSIBLE)
    result["spanish_possible_ask_or_protocol_in_spanish"] = share(
        sum((o["protocol"] or o["ask"]) and o["spanish"] for _, o in es_possible), len(es_possible)
    )
    near = pick("near_misses")
    result["near_miss_urgent"] = share(sum(o["protocol"] for _, o in near), len(near))
    result["near_miss_check_in"] = share(sum(o["ask"] for _, o in near), len(near))
    medical = pick("medical_decisions")
    result["escalation_recall"] = share(sum(o["escalate"] for _, o in medical), len(medical))
    edu = pick("educational")
    result["educational_escalated"] = share(sum(o["escalate"] for _, o in edu), len(edu))
    result["educational_answered"] = share(
        sum(not (o["escalate"] or o["protocol"] or o["ask"]) for _, o in edu), len(edu)
    )
    topical = pick("topics") + edu
    result["topic_accuracy"] = share(
        sum(o["topic"] == m["label"] for m, o in topical), len(topical)
    )
    result["misses"] = {
        "danger_now": Counter(m["kind"] for m, o in danger if not o["protocol"]).most_common(),
        "possible_risk": Counter(
            m["kind"] for m, o in possible if not (o["ask"] or o["protocol"])
        ).most_common(),
        "near_miss_urgent": Counter(m["kind"] for m, o in near if o["protocol"]).most_common(),
        "medical": Counter(m["kind"] for m, o in medical if not o["escalate"]).most_common(),
        "topics": Counter(
            f"{m['label']} -> {o['topic']}" for m, o in topical if o["topic"] != m["label"]
        ).most_common(15),
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sets", type=Path, nargs="+", help="folders of independent sets")
    parser.add_argument("--route", choices=["parse", "rest", "tfidf"], default="rest")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--misses", action="store_true", help="print the missed kinds")
    args = parser.parse_args()
    results = {}
    for folder in args.sets:
        started = time.time()
        if args.route == "rest":
            with running_servers() as route:
                result = score(route, folder)
        elif args.route == "parse":
            result = score(parse_router(str(MODEL)), folder)
        else:
            result = score(tfidf_router(PROJECT_ROOT / "data"), folder)
        print(f"{folder.name} ({args.route}, {time.time() - started:.0f} s)")
        for key, value in result.items():
            if key != "misses":
                print(f"  {key:45s} {value['hits']:>4}/{value['n']:<4} {value['rate']}")
        if args.misses:
            print(json.dumps(result["misses"], indent=1))
        results[folder.name] = result
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
