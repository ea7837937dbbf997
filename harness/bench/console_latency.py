"""The staff console's two latencies against running servers:

- ticket-to-console: from a ticket's creation (its created_at) to its arrival in the console's
  server-sent event stream (a crisis message sent over REST files each ticket);
- clinician-to-patient: from a clinician's "Send" (POST /api/tickets/{id}/message) to the
  person's socket.io client receiving it as bot_uttered (the take-over path);
- the same through Redis: SOCKETIO_MANAGER=redis with a throw-away redis-server, so the message
  is published to Redis and delivered by the subscriber, the path a reply takes from one Rasa
  instance to a widget held by another (README "Scaling out").

    .venv/bin/python -m harness.bench.console_latency [--rounds 10] [--json OUT]

The servers and the console start on free loopback ports with a throw-away database (as the
tests start them). OUT: harness/bench/results/console.json by default.
"""

import argparse
import datetime as dt
import json
import queue
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Dict, List

import requests
import socketio

from clinic_assistant import launcher
from clinic_assistant.console.accounts import Accounts
from clinic_assistant.tickets.store import TicketStore
from harness.bench.serving import start_redis

PASSWORD = "bench staff password"


def summary(seconds: List[float]) -> Dict[str, float]:
    ordered = sorted(seconds)
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000, 1),
    }


def signed_in(console: str) -> requests.Session:
    session = requests.Session()
    session.post(f"{console}/login", data={"username": "bench", "password": PASSWORD}, timeout=30)
    session.headers["X-CSRF-Token"] = session.get(f"{console}/api/me", timeout=30).json()[
        "csrf_token"
    ]
    return session


def watch_inbox(session: requests.Session, console: str, arrivals: "queue.Queue") -> None:
    """Puts (ticket id, arrival time) for each ticket the first time the stream shows it."""
    seen = set()
    try:
        with session.get(f"{console}/api/events", stream=True, timeout=None) as stream:
            for line in stream.iter_lines(decode_unicode=True):
                if line and line.startswith("data: "):
                    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
                    for row in json.loads(line[len("data: ") :]):
                        if row["id"] not in seen:
                            seen.add(row["id"])
                            arrivals.put((row["id"], now))
    except requests.RequestException:
        return  # the console stopped at the end of the run


def ticket_to_console(env: Dict[str, str], console: str, rounds: int) -> List[float]:
    session = signed_in(console)
    arrivals: "queue.Queue" = queue.Queue()
    threading.Thread(target=watch_inbox, args=(session, console, arrivals), daemon=True).start()
    time.sleep(2)  # the stream's first snapshot (empty)
    store = TicketStore(env["HANDOFF_DB_URL"])
    seconds = []
    for _ in range(rounds):
        requests.post(
            f"http://127.0.0.1:{env['RASA_PORT']}/webhooks/rest/webhook",
            json={"sender": f"bench-{uuid.uuid4().hex[:12]}", "message": "I want to kill myself"},
            timeout=120,
        )
        ticket_id, arrived = arrivals.get(timeout=60)
        seconds.append((arrived - store.get(ticket_id).created_at).total_seconds())
    return seconds


def clinician_to_patient(env: Dict[str, str], console: str, rounds: int) -> List[float]:
    confirmed, replies = queue.Queue(), queue.Queue()
    client = socketio.Client(reconnection=False)
    client.on("session_confirm", confirmed.put)
    client.on("bot_uttered", lambda message: replies.put((message, time.perf_counter())))
    client.connect(f"http://127.0.0.1:{env['RASA_PORT']}", transports=["polling"])
    try:
        client.emit("session_request", {})
        session_id = confirmed.get(timeout=30)
        client.emit("user_uttered", {"message": "I want to kill myself", "session_id": session_id})
        replies.get(timeout=120)
        store = TicketStore(env["HANDOFF_DB_URL"])
        deadline = time.monotonic() + 60
        while not [t for t in store.list() if t.conversation_id == session_id]:
            assert time.monotonic() < deadline, "no ticket filed"
            time.sleep(0.2)
        ticket = next(t for t in store.list() if t.conversation_id == session_id)
        session = signed_in(console)
        for action in ("claim", "take_over"):
            session.post(f"{console}/api/tickets/{ticket.id}/{action}", timeout=60)
        seconds = []
        for number in range(rounds):
            while not replies.empty():
                replies.get()
            marker = f"bench message {number}"
            sent = time.perf_counter()
            session.post(
                f"{console}/api/tickets/{ticket.id}/message", json={"text": marker}, timeout=60
            ).raise_for_status()
            while True:
                message, received = replies.get(timeout=60)
                if marker in message.get("text", ""):
                    seconds.append(received - sent)
                    break
        return seconds
    finally:
        client.disconnect()


def measure(rounds: int, with_ticket: bool = False, **settings: str) -> Dict[str, Dict]:
    """Servers and a console of their own with `settings`: clinician-to-patient, and
    ticket-to-console when `with_ticket`."""
    with launcher.throwaway_servers(**settings) as (env, _, run_dir):
        Accounts(TicketStore(env["HANDOFF_DB_URL"])).add("bench", "Bench", "clinician", PASSWORD)
        console_process = launcher.start_console(env, run_dir / "servers.log")
        console = f"http://127.0.0.1:{env['CONSOLE_PORT']}"
        try:
            results = {}
            if with_ticket:
                results["ticket_to_console"] = summary(ticket_to_console(env, console, rounds))
            results["clinician_to_patient"] = summary(clinician_to_patient(env, console, rounds))
            return results
        finally:
            launcher.stop([console_process])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument(
        "--json", type=Path, default=Path(__file__).parent / "results" / "console.json"
    )
    args = parser.parse_args()
    results = measure(args.rounds, with_ticket=True)
    with tempfile.TemporaryDirectory() as folder:
        redis_process, port = start_redis(Path(folder))
        try:
            through_redis = measure(
                args.rounds,
                SOCKETIO_MANAGER="redis",
                REDIS_HOST="127.0.0.1",
                REDIS_PORT=str(port),
                REDIS_PASSWORD="",
            )
        finally:
            launcher.stop([redis_process])
    results["clinician_to_patient_through_redis"] = through_redis["clinician_to_patient"]
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
