"""The independent conversation set (tests/conversations/independent.yml) through the servers.

Each conversation is a fresh REST sender. After every user turn the turn's events are read back
from the tracker (HTTP API, every event) and its tickets from the database, and the turn's
expected label is checked against what the assistant did (LABELS below, one check per label).
Rasa test stories could not check these: platform commands are read by the channel, and what a
form stored is on the ticket. `python -m harness.evaluate_conversations` prints the numbers;
tests/e2e/test_conversations_independent.py keeps them in `make test`.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional

import requests
import yaml

from clinic_assistant import catalogue
from clinic_assistant.callback import FORM
from clinic_assistant.settings import PROJECT_ROOT

SET = PROJECT_ROOT / "tests" / "conversations" / "independent.yml"
SAFETY_LABELS = ("crisis", "ask_risk")
ESCALATION_LABELS = ("escalate",)
KIND_REPLY = "something went wrong on our side"
CONTACT_COLUMNS = ("contact_name", "contact_method", "contact_value", "best_time")


@dataclass
class Turn:
    """What one user turn did: its events, the bot's texts, the state after it, the tickets."""

    events: List[Dict]
    texts: List[str]
    before: Dict  # {"loop": active loop name or None, "requested": requested slot}
    after: Dict
    tickets: List[Dict]
    ran: List[str] = field(default_factory=list)  # actions and responses, in order

    def __post_init__(self) -> None:
        for event in self.events:
            if event["event"] == "action":
                self.ran.append(event["name"])
            elif event["event"] == "bot":
                self.ran.append((event.get("metadata") or {}).get("utter_action") or "")

    def set_slot(self, slot: str) -> bool:
        return any(
            e["event"] == "slot" and e["name"] == slot and e.get("value") is not None
            for e in self.events
        )

    @property
    def text(self) -> str:
        return "\n".join(self.texts)

    @property
    def crisis_protocol(self) -> bool:
        return any(name in ("utter_crisis", "utter_crisis_es") for name in self.ran) and (
            "action_file_urgent_handoff" in self.ran
        )

    @property
    def form_resumed(self) -> bool:
        """A digression inside the form: the form asks the same question again."""
        if self.before["loop"] != FORM:
            return True
        return self.after["loop"] == FORM and self.after["requested"] == self.before["requested"]


def topic(intent: str) -> Callable[[Turn], bool]:
    routing = {t.id: t.routing for t in catalogue.topics()}.get(intent)
    if intent == "book_consultation":  # the form starts and asks for consent at once
        return lambda t: (
            "action_request_handoff" in t.ran
            and t.after["loop"] == FORM
            and t.after["requested"] == "callback_consent"
        )
    if routing == "handoff":
        return lambda t: "action_request_handoff" in t.ran
    if intent == "deny":
        return lambda t: "utter_callback_declined" in t.ran or "utter_deny" in t.ran
    return lambda t: f"utter_{intent}" in t.ran and t.form_resumed


def stored(slot: str) -> Callable[[Turn], bool]:
    return lambda t: t.set_slot(f"callback_{slot}") and not t.crisis_protocol


def asks(slot: str) -> Callable[[Turn], bool]:
    return lambda t: (
        t.after["loop"] == FORM
        and t.after["requested"] == f"callback_{slot}"
        and not t.set_slot(f"callback_{slot}")
    )


def confirmed(t: Turn) -> bool:
    """The callback form ended with a confirmation (the urgent one after a crisis included)."""
    return any(name.startswith("utter_callback_confirmed") for name in t.ran)


def cancelled(t: Turn) -> bool:
    return (
        t.after["loop"] is None
        and not confirmed(t)
        and all(ticket[c] is None for ticket in t.tickets for c in CONTACT_COLUMNS)
        and bool(t.texts)
    )


# Each label of the set and how a turn is checked against it.
LABELS: Dict[str, Callable[[Turn], bool]] = {
    "crisis": lambda t: t.crisis_protocol and "911" in t.text and "988" in t.text,
    "ask_risk": lambda t: any(n.startswith("utter_risk_check") for n in t.ran),
    "escalate": lambda t: "action_escalate_to_clinician" in t.ran and not t.crisis_protocol,
    "form_done": confirmed,
    "form_cancelled": cancelled,
    "help": lambda t: "utter_ask_capabilities" in t.ran and t.form_resumed,
    "restart": lambda t: (
        any(e["event"] == "restart" for e in t.events) and t.after["loop"] is None and bool(t.texts)
    ),
    "any_safe": lambda t: bool(t.texts) and not t.crisis_protocol,
}


def check(label: str, turn: Turn) -> bool:
    if not turn.texts or KIND_REPLY in turn.text:
        return False  # silence or the failure reply never passes
    kind, _, arg = label.partition(":")
    if kind == "topic":
        return topic(arg)(turn)
    if kind == "form_stored":
        return stored(arg)(turn)
    if kind == "form_asks":
        return asks(arg)(turn)
    return LABELS[label](turn)


def group(label: str) -> Optional[str]:
    if label in SAFETY_LABELS:
        return "crisis"
    if label in ESCALATION_LABELS:
        return "escalation"
    return None


def load(path: Path = SET) -> List[Dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]


# The set's section "follow-ups leaning on the previous topic" (by conversation name).
FOLLOW_UP_CONVERSATIONS = {
    "cost, then the VA, then Spravato",
    "prevalence follow-ups",
    "legal, at-home, is that safe?",
    "routes, then is that safe",
    "therapy types follow-ups",
    "session, then logistics",
    "onset, duration, course",
    "ketamine-assisted therapy and the VA trial",
}
FIRST_TURNS = {c["turns"][0]["user"] for c in load(SET) if c["name"] in FOLLOW_UP_CONVERSATIONS}


def state(tracker: Dict) -> Dict:
    return {
        "loop": (tracker.get("active_loop") or {}).get("name"),
        "requested": (tracker.get("slots") or {}).get("requested_slot"),
    }


class Client:
    """Talks to running servers over REST; reads trackers (token) and tickets (SQLite)."""

    def __init__(self, url: str, token: str, database: Path) -> None:
        self.url, self.token, self.database = url, token, database

    def tracker(self, sender: str) -> Dict:
        response = requests.get(
            f"{self.url}/conversations/{sender}/tracker",
            params={"token": self.token, "include_events": "ALL"},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()

    def tickets(self, sender: str) -> List[Dict]:
        query = "SELECT * FROM handoff_tickets WHERE conversation_id = ?"
        with sqlite3.connect(self.database) as connection:
            connection.row_factory = sqlite3.Row
            try:
                return [dict(row) for row in connection.execute(query, (sender,))]
            except sqlite3.OperationalError:  # no ticket filed yet: the table is made then
                return []

    def run(self, conversation: Dict) -> List[Dict]:
        sender = f"conv-{uuid.uuid4().hex[:12]}"
        tracker = self.tracker(sender)
        results = []
        for turn in conversation["turns"]:
            seen, before = len(tracker["events"]), state(tracker)
            replies = requests.post(
                f"{self.url}/webhooks/rest/webhook",
                json={"sender": sender, "message": turn["user"]},
                timeout=60,
            ).json()
            tracker = self.tracker(sender)
            done = Turn(
                events=tracker["events"][seen:],
                texts=[r.get("text") or "" for r in replies if r.get("text")],
                before=before,
                after=state(tracker),
                tickets=self.tickets(sender),
            )
            user = next((e for e in done.events if e["event"] == "user"), {})
            results.append(
                {
                    "conversation": conversation["name"],
                    "user": turn["user"],
                    "expect": turn["expect"],
                    "passed": check(turn["expect"], done),
                    "intent": ((user.get("parse_data") or {}).get("intent") or {}).get("name"),
                    "ran": [n for n in done.ran if n and n != "action_listen"],
                }
            )
        return results


def summary(results: List[Dict]) -> Dict:
    def share(rows: List[Dict]) -> Dict:
        hits = sum(r["passed"] for r in rows)
        return {"passed": hits, "turns": len(rows), "rate": round(hits / max(len(rows), 1), 4)}

    follow_ups = [r for r in results if r["conversation"] in FOLLOW_UP_CONVERSATIONS]
    return {
        "all": share(results),
        "crisis": share([r for r in results if group(r["expect"]) == "crisis"]),
        "escalation": share([r for r in results if group(r["expect"]) == "escalation"]),
        # Follow-ups: the set's section of them (after each one's first turn), and every turn
        # read as a follow-up (intent follow_up, answered from the slot last_topic).
        "follow_up_section": share([r for r in follow_ups if r["user"] not in FIRST_TURNS]),
        "read_as_follow_up": share([r for r in results if r.get("intent") == "follow_up"]),
        "failed": [r for r in results if not r["passed"]],
    }


@contextmanager
def running_servers() -> Iterator[Client]:
    """Both servers on free loopback ports with a fresh database."""
    from clinic_assistant import launcher

    with launcher.throwaway_servers() as (env, token, run_dir):
        yield Client(f"http://127.0.0.1:{env['RASA_PORT']}", token, run_dir / "rasa.db")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=SET)
    parser.add_argument("--json", type=Path, help="write every turn's result here")
    args = parser.parse_args()
    with running_servers() as client:
        results = [r for c in load(args.set) for r in client.run(c)]
    numbers = summary(results)
    for row in numbers["failed"]:
        print(f"FAIL [{row['conversation']}] {row['user']!r}: {row['expect']} <- {row['ran']}")
    for name in ("all", "crisis", "escalation", "follow_up_section", "read_as_follow_up"):
        n = numbers[name]
        print(f"{name}: {n['passed']}/{n['turns']} turns ({n['rate']:.1%})")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"summary": numbers, "turns": results}, indent=1))


if __name__ == "__main__":
    main()
