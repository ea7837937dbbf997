"""Redaction miss rate on an independently written PII set (tests/nlu/independent/pii.yml,
frozen: never edited, never used to tune the patterns' first version).

Each message lists the personal details (`pii`) that must be absent from what is stored; a
message of kind "none" must be stored unchanged (its numbers are doses, times, the clinic's or
crisis numbers). Two routes:
- `rest` (make eval): each message is sent to the real servers, started here, in a fresh
  conversation, and the stored user text is read back through the HTTP API;
- `direct`: `clinic_assistant.redact.redact` in-process, or with `--redact-file` another
  version of redact.py (e.g. the one before issue 17, from git) for a before/after comparison.

    python -m harness.evaluate_redaction [--route rest|direct] [--redact-file F] [--json OUT]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import uuid
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Dict, Iterator, List

import requests
import yaml

from clinic_assistant.settings import PROJECT_ROOT

DEFAULT_SET = PROJECT_ROOT / "tests" / "nlu" / "independent" / "pii.yml"


def load(path: Path) -> List[Dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]


def direct(redact_file: str = "") -> Callable[[str], str]:
    if not redact_file:
        from clinic_assistant.redact import redact

        return redact
    spec = importlib.util.spec_from_file_location("redact_under_test", redact_file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.redact


@contextmanager
def through_servers() -> Iterator[Callable[[str], str]]:
    """The action server and Rasa on free loopback ports with a fresh database; each message
    in its own conversation; returns the user text as stored."""
    from clinic_assistant import launcher

    with launcher.throwaway_servers() as (env, token, _):
        url = f"http://127.0.0.1:{env['RASA_PORT']}"

        def stored(text: str) -> str:
            sender = f"pii-{uuid.uuid4().hex[:12]}"
            requests.post(
                f"{url}/webhooks/rest/webhook",
                json={"sender": sender, "message": text},
                timeout=60,
            ).raise_for_status()
            events = requests.get(
                f"{url}/conversations/{sender}/tracker", params={"token": token}, timeout=30
            ).json()["events"]
            return [e for e in events if e["event"] == "user"][0]["text"]

        yield stored


def score(messages: List[Dict], redact: Callable[[str], str]) -> Dict:
    kinds: Dict[str, Dict] = defaultdict(lambda: {"messages": 0, "details": 0, "missed": 0})
    misses, changed = [], []
    for message in messages:
        kind = kinds[message["kind"]]
        kind["messages"] += 1
        result = redact(message["text"])
        if message["kind"] == "none":
            if result != message["text"]:
                changed.append({"text": message["text"], "stored": result})
            continue
        for detail in message["pii"]:
            kind["details"] += 1
            if detail in result:
                kind["missed"] += 1
                misses.append({"kind": message["kind"], "detail": detail, "stored": result})
    details = sum(k["details"] for k in kinds.values())
    missed = sum(k["missed"] for k in kinds.values())
    clean = kinds["none"]["messages"]
    return {
        "miss_rate": round(missed / details, 4) if details else None,
        "missed": missed,
        "details": details,
        "changed_clean_messages": len(changed),
        "clean_messages": clean,
        "by_kind": {
            name: {**k, "miss_rate": round(k["missed"] / k["details"], 4) if k["details"] else None}
            for name, k in sorted(kinds.items())
            if name != "none"
        },
        "misses": misses,
        "changed": changed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", type=Path, default=DEFAULT_SET)
    parser.add_argument("--route", choices=("rest", "direct"), default="direct")
    parser.add_argument("--redact-file", default="", help="another redact.py (direct route)")
    parser.add_argument("--json", type=Path, help="write the full result here")
    args = parser.parse_args()
    messages = load(args.set)
    if args.route == "rest":
        with through_servers() as stored:
            result = score(messages, stored)
    else:
        result = score(messages, direct(args.redact_file))
    result["route"] = args.route + (f" ({args.redact_file})" if args.redact_file else "")
    print(
        f"{args.set.name} [{result['route']}]: missed {result['missed']} of {result['details']} "
        f"details ({100 * result['miss_rate']:.1f}%); changed {result['changed_clean_messages']} "
        f"of {result['clean_messages']} messages without personal details"
    )
    for name, kind in result["by_kind"].items():
        print(f"  {name:18} missed {kind['missed']:3} of {kind['details']:3}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
