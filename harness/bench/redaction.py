"""Adversarial messages against the running servers: how long a message built to make
redaction backtrack (or the NLU's lexicon matching crawl) takes, and how long an ordinary
question sent meanwhile by someone else waits (issue 17: before, 54 s and 53 s). Each message
is sent at the issue's 20,000 characters (now refused with the kind "too long" reply) and at
the channels' limit (MAX_MESSAGE_CHARS, processed in full).

    .venv/bin/python -m harness.bench.redaction [--rounds 3] [--json OUT]

The action server and Rasa start on free loopback ports with a throw-away database (as the
tests start them). For each adversarial message and size: it is sent in one thread, and 0.2 s later
"what is ptsd" from another conversation; both times are the REST round trips, the median of
--rounds. Also: redact() alone on each message, in-process.
OUT: harness/bench/results/redaction.json by default.
"""

import argparse
import concurrent.futures
import json
import statistics
import time
import uuid
from pathlib import Path
from typing import Dict

import requests

from clinic_assistant import launcher
from clinic_assistant.channels.safety_net import MAX_MESSAGE_CHARS
from clinic_assistant.redact import redact

# Each kind of message, built to a given length.
KINDS = {
    "born + spaces": lambda n: "born" + " " * (n - 4),
    "e-mail-like run": lambda n: "a." * (n // 2),
    "digits and spaces": lambda n: "5 " * (n // 2),
    "digits and dashes": lambda n: "1-" * (n // 2),
    # A lexicon pattern's words over and over: each start opens the matcher's partial matches.
    "danger words repeated": lambda n: ("the kid is screaming and crying, " * (n // 33 + 1))[:n],
    "ordinary text": lambda n: ("what is ptsd and how does ketamine help? " * (n // 40 + 1))[:n],
}
SIZES = (20_000, MAX_MESSAGE_CHARS)
MESSAGES = {f"{kind}, {n:,}": build(n) for n in SIZES for kind, build in KINDS.items()}
ORDINARY = "what is ptsd"


def post(url: str, message: str) -> float:
    started = time.perf_counter()
    response = requests.post(
        url, json={"sender": f"bench-{uuid.uuid4().hex[:10]}", "message": message}, timeout=300
    )
    # 413: over the limit, answered with the kind "too long" reply.
    if response.status_code != 413:
        response.raise_for_status()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path, default=Path("harness/bench/results/redaction.json"))
    args = parser.parse_args()

    results: Dict[str, Dict] = {}
    for name, message in MESSAGES.items():
        started = time.perf_counter()
        redact(message)
        results[name] = {"redact_ms": round(1000 * (time.perf_counter() - started), 1)}

    with launcher.throwaway_servers() as (env, _, _):
        url = f"http://127.0.0.1:{env['RASA_PORT']}/webhooks/rest/webhook"
        post(url, ORDINARY)  # warm
        quiet = statistics.median(post(url, ORDINARY) for _ in range(5))
        for name, message in MESSAGES.items():
            attack, bystander = [], []
            for _ in range(args.rounds):
                with concurrent.futures.ThreadPoolExecutor(2) as pool:
                    attacked = pool.submit(post, url, message)
                    time.sleep(0.2)
                    bystander.append(post(url, ORDINARY))
                    attack.append(attacked.result())
            results[name].update(
                adversarial_s=round(statistics.median(attack), 3),
                concurrent_ordinary_s=round(statistics.median(bystander), 3),
            )

    print(f"ordinary question alone: {quiet:.3f} s (median of 5)")
    print(f"{'message':28} {'redact()':>10} {'its REST turn':>14} {'ordinary, meanwhile':>20}")
    for name, row in results.items():
        print(
            f"{name:28} {row['redact_ms']:>8.1f}ms {row['adversarial_s']:>13.3f}s "
            f"{row['concurrent_ordinary_s']:>19.3f}s"
        )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps({"ordinary_alone_s": round(quiet, 3), "messages": results}, indent=2)
    )


if __name__ == "__main__":
    main()
