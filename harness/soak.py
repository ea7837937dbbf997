"""Load check (`make soak`): many concurrent conversations over REST, nothing lost or crossed.

    python -m harness.soak --conversations 200 --turns 10

Starts the real servers on free loopback ports with a throw-away database, takes
each question's reference answer from one quiet conversation, then runs every
conversation at once, each sending its turns one after another. It checks that
every message got its own reply (the reference answer, addressed to its own
conversation, in order) and that the database holds exactly the turns sent, in
order, for every conversation. Prints a summary, writes it as JSON, exits 1 on
any failure.
"""

import argparse
import asyncio
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from clinic_assistant import launcher
from clinic_assistant.settings import PROJECT_ROOT

# Educational questions with one fixed curated answer each (no custom action, no variants).
QUESTIONS = [
    "what is ptsd",
    "what are the symptoms of ptsd",
    "what causes ptsd",
    "how is ptsd diagnosed",
    "how common is ptsd",
    "what is ketamine",
    "how does ketamine work",
    "what happens during a ketamine session",
    "what are the side effects of ketamine",
    "how should I prepare for a ketamine session",
]


async def send(session: aiohttp.ClientSession, url: str, sender: str, text: str) -> list:
    async with session.post(url, json={"sender": sender, "message": text}) as response:
        response.raise_for_status()
        return await response.json()


def answer(messages: list) -> str:
    return "\n".join(m.get("text", "") for m in messages)


async def conversation(session, url, sender, turns, reference, failures, latencies) -> None:
    for turn in range(turns):
        question = QUESTIONS[turn % len(QUESTIONS)]
        started = time.monotonic()
        try:
            messages = await send(session, url, sender, question)
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            failures.append(f"{sender} turn {turn}: {type(error).__name__} {error}")
            continue
        latencies.append(time.monotonic() - started)
        if any(m.get("recipient_id") != sender for m in messages):
            failures.append(f"{sender} turn {turn}: a reply addressed to another conversation")
        if answer(messages) != reference[question]:
            failures.append(
                f"{sender} turn {turn}: not the answer to {question!r}: {answer(messages)[:80]!r}"
            )


def stored_turns(database: Path, senders: list) -> dict:
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT sender_id, json_extract(data, '$.text') FROM events WHERE type_name = 'user' "
            "ORDER BY id"
        ).fetchall()
    wanted = set(senders)
    turns: dict = {sender: [] for sender in senders}
    for sender, text in rows:
        if sender in wanted:
            turns[sender].append(text)
    return turns


async def soak(env: dict, conversations: int, turns: int) -> dict:
    url = f"http://127.0.0.1:{env['RASA_PORT']}/webhooks/rest/webhook"
    timeout = aiohttp.ClientTimeout(total=300)
    async with aiohttp.ClientSession(
        timeout=timeout, connector=aiohttp.TCPConnector(limit=conversations)
    ) as session:
        reference = {
            q: answer(await send(session, url, f"soak-reference-{i}", q))
            for i, q in enumerate(QUESTIONS)
        }
        senders = [f"soak-{i:04d}" for i in range(conversations)]
        failures: list = []
        latencies: list = []
        started = time.monotonic()
        await asyncio.gather(
            *(conversation(session, url, s, turns, reference, failures, latencies) for s in senders)
        )
        elapsed = time.monotonic() - started
    expected = [QUESTIONS[t % len(QUESTIONS)] for t in range(turns)]
    stored = stored_turns(Path(env["TRACKER_DB_URL"].removeprefix("sqlite:///")), senders)
    failures += [
        f"{s}: database holds {len(t)} turns, not the {turns} sent in order"
        for s, t in stored.items()
        if t != expected
    ]
    latencies.sort()
    return {
        "conversations": conversations,
        "turns": turns,
        "messages": conversations * turns,
        "answered": len(latencies),
        "failures": len(failures),
        "first_failures": failures[:10],
        "seconds": round(elapsed, 1),
        "messages_per_second": round(len(latencies) / elapsed, 1),
        "latency_p50_s": round(statistics.median(latencies), 2) if latencies else None,
        "latency_p95_s": round(latencies[int(0.95 * (len(latencies) - 1))], 2)
        if latencies
        else None,
        "stored_user_events": sum(len(t) for t in stored.values()),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--out", default=str(PROJECT_ROOT / "results" / "soak.json"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="soak-") as scratch:
        run_dir = Path(scratch)
        env = launcher.isolated_environment(run_dir, "soak-token")
        log = run_dir / "servers.log"
        processes = [launcher.start_action_server(env, log)]
        try:
            processes.append(launcher.start_rasa_server(env, env["RASA_AUTH_TOKEN"], log))
            result = asyncio.run(soak(env, args.conversations, args.turns))
        finally:
            launcher.stop(processes)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 1 if result["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
