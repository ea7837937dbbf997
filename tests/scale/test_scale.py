"""Scale-out on Rasa's own pieces (issue 8): two Rasa instances behind nginx, conversations in
PostgreSQL, conversation locks in Redis. Run by `make scale-test`, not by `make test`.

Every check reads what a client or the clinic would see: the replies, and the rows in
PostgreSQL (`events`, Rasa's tracker store table; `handoff_tickets`).
"""

import asyncio
import concurrent.futures
import json
import re
import signal
import subprocess
import threading
import time
import uuid
from collections import Counter
from typing import Dict, List, Tuple

import redis
import requests
import socketio

from clinic_assistant.channels.safety_net import conversation_tag
from clinic_assistant.channels.webchat import new_session_id
from clinic_assistant.console.rasa_api import RasaConversations
from clinic_assistant.launcher import ISOLATED_ALERT_HASH_KEY
from clinic_assistant.lock_store import AtomicRedisLockStore
from harness.scale.client import Reply, send
from harness.scale.cluster import CONSOLE_TEMPLATE, NGINX_TEMPLATE, render_template

# The callback flow: every reply depends on the turn before (the escalation's offer, then
# the callback form's questions, then the ticket filed across all of them).
CALLBACK_FLOW: List[Tuple[str, str]] = [
    ("/medical_eligibility", "to contact you?"),
    ("yes", "may we keep your name"),
    ("/affirm", "What name should we use for you?"),
    ("Sam", "How should we contact you?"),
    ("phone", "What phone number should we call?"),
    ("555 222 3333", "When is a good time to reach you?"),
    ("weekday mornings", "will contact you within"),
]
TICKET_AFTER_FLOW = (True, "Sam", "phone", "+15552223333", "weekday mornings")  # E.164
# Questions whose answers do not depend on the conversation so far (FAQ rules).
FAQ = [
    "what is ptsd",
    "what is ketamine",
    "how long does a session take",
    "what are the side effects of ketamine",
    "hello",
    "thanks",
]


def new_sender(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def events(cluster, sender: str) -> List[dict]:
    rows = cluster.sql(
        "SELECT data FROM events WHERE sender_id = :sender ORDER BY id", sender=sender
    )
    return [json.loads(row[0]) for row in rows]


def kinds(cluster, sender: str) -> Counter:
    return Counter(event["event"] for event in events(cluster, sender))


def ticket(cluster, sender: str) -> list:
    return cluster.sql(
        "SELECT consent, contact_name, contact_method, contact_value, best_time FROM "
        "handoff_tickets "
        "WHERE conversation_id = :sender",
        sender=sender,
    )


def run_flow(base_urls: List[str], sender: str) -> List[Reply]:
    """The callback flow, turn i sent to base_urls[i % len(base_urls)]; checks every reply."""
    replies = []
    for turn, (message, expected) in enumerate(CALLBACK_FLOW):
        reply = send(base_urls[turn % len(base_urls)], sender, message)
        assert expected in reply.text, (
            f"{sender} turn {turn + 1} ({message!r}): expected {expected!r}, got {reply.text!r}"
        )
        replies.append(reply)
    return replies


def assert_no_failed_turn(cluster, sender: str) -> None:
    """A turn that raised (a LockError, say) still gets a kind reply from the safety net,
    which logs an ALERT line with the conversation's keyed hash: there must be none."""
    tag = conversation_tag(sender, ISOLATED_ALERT_HASH_KEY)
    for name in cluster.rasa_names():
        log = (cluster.logs / f"{name}.log").read_text(errors="replace")
        alerts = [line for line in log.splitlines() if "ALERT" in line and tag in line]
        assert not alerts, f"{name}: {alerts[:3]}"


def stored_turns(cluster, sender: str) -> List[dict]:
    """The stored conversation cut into turns: each user event with the bot events after it,
    and whether action_listen closed the turn before the next user event began."""
    turns = []
    for event in events(cluster, sender):
        if event["event"] == "user":
            overlapped = bool(turns) and not turns[-1]["listened"]
            turns.append(
                {"text": event.get("text"), "bot": [], "listened": False, "overlapped": overlapped}
            )
        elif turns and event["event"] == "bot":
            turns[-1]["bot"].append((event.get("text") or "").strip())
        elif turns and event["event"] == "action" and event.get("name") == "action_listen":
            turns[-1]["listened"] = True
    return turns


def received(reply: Reply) -> str:
    """A turn's replies as one text: Rasa's REST channel sends each paragraph of a bot message
    as a message of its own, so compare paragraphs, not message counts."""
    return "\n\n".join((message.get("text") or "").strip() for message in reply.messages)


def assert_stored_exactly(cluster, sender: str, replies: List[Reply]) -> None:
    """One session; one user event per turn sent, in order, each followed by exactly the bot
    messages its HTTP answer carried, then action_listen: no loss, no duplicate, no overlap."""
    assert kinds(cluster, sender)["session_started"] == 1, sender
    assert_no_failed_turn(cluster, sender)
    turns = stored_turns(cluster, sender)
    assert len(turns) == len(replies), (
        f"{sender}: {len(turns)} user events stored for {len(replies)} turns sent"
    )
    for number, (turn, reply) in enumerate(zip(turns, replies), 1):
        assert turn["listened"] and not turn["overlapped"], (
            f"{sender} turn {number}: overlaps another turn"
        )
        assert "\n\n".join(turn["bot"]) == received(reply), (
            f"{sender} turn {number}: stored replies differ from those sent"
        )


# ---------------------------------------------------------------- configuration


def test_the_nginx_config_is_the_deployment_template_and_passes_nginx_t(cluster):
    for name, template in (("rasa.conf", NGINX_TEMPLATE), ("console.conf", CONSOLE_TEMPLATE)):
        rendered = (cluster.dir / "nginx" / "conf.d" / name).read_text()
        assert rendered == render_template(template.read_text(), cluster.nginx_values())
    result = subprocess.run(
        cluster.nginx_command(cluster.dir / "nginx" / "nginx.conf", "-t"),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr
    # Both instances serve: each answers its own status directly.
    for name in cluster.rasa_names():
        assert requests.get(
            f"{cluster.rasa_url(name)}/status", params={"token": cluster.token}, timeout=10
        ).ok


def test_the_http_api_through_nginx_needs_the_token_and_logs_no_query_string(cluster):
    assert requests.get(f"{cluster.nginx_url}/status", timeout=10).status_code == 401
    assert requests.get(
        f"{cluster.nginx_url}/status", params={"token": cluster.token}, timeout=10
    ).ok
    time.sleep(1)  # nginx writes its access log line after the response
    assert cluster.token not in (cluster.logs / "nginx-access.log").read_text()


# ---------------------------------------------------------------- context across instances


def test_a_conversation_alternating_between_instances_keeps_its_context(cluster):
    """Turn 1 on instance 1, turn 2 on instance 2, ...: the form goes on where the other
    instance left it."""
    urls = [cluster.rasa_url(name) for name in cluster.rasa_names()]
    for order in (urls, urls[::-1]):
        sender = new_sender("alternate")
        replies = run_flow(order, sender)
        assert_stored_exactly(cluster, sender, replies)
        assert ticket(cluster, sender) == [TICKET_AFTER_FLOW]


def test_twenty_conversations_through_nginx_round_robin_keep_context_and_every_event(
    cluster, scale_report
):
    senders = [new_sender("rr") for _ in range(20)]
    access_log = cluster.logs / "nginx-access.log"
    log_start = access_log.stat().st_size
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = dict(
            zip(senders, pool.map(lambda sender: run_flow([cluster.nginx_url], sender), senders))
        )
    for sender, replies in results.items():
        assert_stored_exactly(cluster, sender, replies)
        assert ticket(cluster, sender) == [TICKET_AFTER_FLOW]
        assert all(reply.attempts == 1 for reply in replies), (
            "no instance was down: no retry needed"
        )
    with access_log.open() as log:
        log.seek(log_start)
        upstreams = Counter(
            re.search(r"upstream=(\S+)", line).group(1) for line in log if "/webhooks/rest/" in line
        )
    served = {
        f"127.0.0.1:{cluster.envs[name]['RASA_PORT']}": upstreams.get(
            f"127.0.0.1:{cluster.envs[name]['RASA_PORT']}", 0
        )
        for name in cluster.rasa_names()
    }
    assert sum(served.values()) == 20 * len(CALLBACK_FLOW)
    assert all(count >= 0.3 * 20 * len(CALLBACK_FLOW) for count in served.values()), (
        f"round-robin: {served}"
    )
    scale_report["round_robin_turns_per_instance"] = sorted(served.values())


# ---------------------------------------------------------------- the lock store


def test_concurrent_messages_to_one_conversation_are_serialised_across_instances(
    cluster, scale_report
):
    """10 messages at once to one conversation, 5 to each instance directly, 5 times over:
    every message is answered and stored once, each followed by its own replies."""
    urls = [cluster.rasa_url(name) for name in cluster.rasa_names()]
    for round_ in range(5):
        sender = new_sender("concurrent")
        messages = FAQ + FAQ[:4]
        barrier = threading.Barrier(len(messages))

        def one(index_message):
            index, message = index_message
            barrier.wait(timeout=30)
            return message, send(urls[index % 2], sender, message)

        with concurrent.futures.ThreadPoolExecutor(len(messages)) as pool:
            answered = list(pool.map(one, enumerate(messages)))
        assert all(reply.messages for _, reply in answered)
        assert_no_failed_turn(cluster, sender)
        # Stored once each, one at a time, each user event followed by its own replies. The order
        # is the lock's; the replies are matched to the HTTP answers by message text.
        expected = Counter((message, received(reply)) for message, reply in answered)
        turns = stored_turns(cluster, sender)
        assert all(turn["listened"] and not turn["overlapped"] for turn in turns), (
            f"round {round_}: turns overlap"
        )
        assert Counter((turn["text"], "\n\n".join(turn["bot"])) for turn in turns) == expected, (
            f"round {round_}"
        )
        assert kinds(cluster, sender)["session_started"] == 1
    scale_report["concurrent_one_conversation"] = {
        "rounds": 5,
        "messages_at_once": 10,
        "lost": 0,
        "stored_twice": 0,
        "overlapping_turns": 0,
    }


def test_rasas_redis_lock_store_races_between_instances_and_ours_does_not(cluster):
    """Deterministic: instance B issues a ticket between instance A's read and write of the lock.
    Rasa's RedisLockStore gives both the same ticket (both are served at once, the cause of lost
    turns); AtomicRedisLockStore's transaction notices and retries, so B waits behind A."""
    from rasa.core.lock_store import RedisLockStore

    def interleaved(store_class) -> Tuple[int, int, int]:
        """A's ticket, B's ticket, and the ticket the stored lock serves now."""
        conversation = new_sender("race")
        kwargs = dict(
            host="127.0.0.1", port=cluster.redis_port, password=cluster.redis_password, db=3
        )
        a, b = store_class(**kwargs), store_class(**kwargs)
        b_tickets = []

        def b_steps_in(read):
            def wrapped(key):
                value = read(key)  # A has read the lock...
                if not b_tickets:
                    b_tickets.append(
                        b.issue_ticket(conversation)
                    )  # ...and B changes it before A writes
                return value

            return wrapped

        a.red.get = b_steps_in(a.red.get)  # Rasa's store reads with GET
        original_pipeline = a.red.pipeline

        def pipeline(*args, **kw):  # ours reads inside a WATCHed pipeline
            pipe = original_pipeline(*args, **kw)
            pipe.get = b_steps_in(pipe.get)
            return pipe

        a.red.pipeline = pipeline
        a_ticket = a.issue_ticket(conversation)
        return a_ticket, b_tickets[0], b.get_lock(conversation).now_serving

    a_ticket, b_ticket, serving = interleaved(RedisLockStore)
    assert a_ticket == b_ticket == serving, (
        "Rasa's store: A and B hold the same ticket, both are served at once"
    )
    a_ticket, b_ticket, serving = interleaved(AtomicRedisLockStore)
    assert (b_ticket, a_ticket, serving) == (0, 1, 0), (
        "ours: A's write is retried; B is served, A waits its turn"
    )
    redis.Redis(
        host="127.0.0.1", port=cluster.redis_port, password=cluster.redis_password, db=3
    ).flushdb()


def test_a_turn_queued_behind_a_crashed_instance_is_served_when_the_dead_ticket_expires(cluster):
    """A crashed instance's ticket (here with a 2 s lifetime) blocks the conversation until it
    expires. Rasa's store lets the waiting turn's own ticket expire along with it (it counts
    from issue), so the turn waits for ever or fails; ours keeps the waiting ticket alive."""
    from rasa.core.lock_store import LockError, RedisLockStore

    def waiting_turn(store_class):
        conversation = new_sender("dead-ticket")
        kwargs = dict(
            host="127.0.0.1", port=cluster.redis_port, password=cluster.redis_password, db=3
        )
        crashed, alive = store_class(**kwargs), store_class(**kwargs)
        crashed.issue_ticket(conversation, lock_lifetime=2)  # never finished: its instance died
        ticket = alive.issue_ticket(conversation, lock_lifetime=2)

        async def acquire():
            return await asyncio.wait_for(alive._acquire_lock(conversation, ticket, 0.5), 8)

        try:
            return asyncio.run(acquire()).now_serving == ticket
        except (LockError, asyncio.TimeoutError):
            return False

    assert not waiting_turn(RedisLockStore), "Rasa's store: the waiting turn is never served"
    assert waiting_turn(AtomicRedisLockStore), "ours: served once the dead ticket expired"


# ---------------------------------------------------------------- socket.io and handoff


def socketio_turns(
    client_url: str, session_id: str, turns: List[Tuple[str, str]], transports: List[str]
) -> List[str]:
    """Sends each message over one socket.io connection and collects bot_uttered events until
    the expected text arrives; returns the text of each turn's replies."""

    async def run() -> List[str]:
        client = socketio.AsyncClient(reconnection=False)
        confirmed, replies = asyncio.Queue(), asyncio.Queue()
        client.on("session_confirm", confirmed.put)
        client.on("bot_uttered", replies.put)
        await client.connect(client_url, transports=transports, wait_timeout=30)
        texts = []
        try:
            await client.emit("session_request", {"session_id": session_id})
            assert await asyncio.wait_for(confirmed.get(), 30) == session_id
            for message, expected in turns:
                await client.emit("user_uttered", {"message": message, "session_id": session_id})
                parts = []
                while not any(expected in part for part in parts):
                    parts.append((await asyncio.wait_for(replies.get(), 60)).get("text", ""))
                texts.append("\n".join(parts))
        finally:
            await client.disconnect()
        return texts

    return asyncio.run(run())


def websocket_turns(base_url: str, session_id: str, turns: List[Tuple[str, str]]) -> List[str]:
    """The same over a bare WebSocket, speaking Engine.IO 4 / Socket.IO 5 frames directly: this
    venv's aiohttp is too old for python-engineio's WebSocket client, and the WebSocket upgrade
    through nginx is what needs checking."""
    import websockets

    async def run() -> List[str]:
        url = base_url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        async with websockets.connect(url, open_timeout=30, close_timeout=5) as ws:

            async def packet() -> str:
                while True:
                    frame = await asyncio.wait_for(ws.recv(), 60)
                    if frame == "2":  # Engine.IO ping
                        await ws.send("3")
                        continue
                    return frame

            async def event() -> Tuple[str, dict]:
                while True:
                    frame = await packet()
                    if frame.startswith("42"):
                        name, *args = json.loads(frame[2:])
                        return name, (args[0] if args else None)

            async def emit(name: str, data: dict) -> None:
                await ws.send("42" + json.dumps([name, data]))

            assert (await packet()).startswith("0"), "Engine.IO open packet"
            await ws.send("40")  # Socket.IO connect to the default namespace
            assert (await packet()).startswith("40")
            await emit("session_request", {"session_id": session_id})
            assert await event() == ("session_confirm", session_id)
            texts = []
            for message, expected in turns:
                await emit("user_uttered", {"message": message, "session_id": session_id})
                parts = []
                while not any(expected in part for part in parts):
                    name, data = await event()
                    if name == "bot_uttered":
                        parts.append(data.get("text", ""))
                texts.append("\n".join(parts))
            return texts

    return asyncio.run(run())


def user_events_once_stored(cluster, sender: str, expected: int) -> int:
    """The conversation's stored user events, read once `expected` are there (or after 30 s):
    Rasa stores a turn after sending its replies, so a client may hold the last reply first."""
    deadline = time.monotonic() + 30
    while kinds(cluster, sender)["user"] < expected and time.monotonic() < deadline:
        time.sleep(0.1)
    return kinds(cluster, sender)["user"]


def test_socketio_through_nginx_works_over_polling(cluster):
    # Polling is several HTTP requests per session: all must reach the instance that holds it.
    texts = socketio_turns(
        cluster.nginx_url, new_session_id(ISOLATED_ALERT_HASH_KEY), CALLBACK_FLOW[:2], ["polling"]
    )
    assert "clinician" in texts[0] and "to contact you?" in texts[0]
    assert "may we keep your name" in texts[1]


def test_socketio_through_nginx_works_over_websocket(cluster):
    session_id = new_session_id(ISOLATED_ALERT_HASH_KEY)  # issued ids only (webchat.py)
    texts = websocket_turns(cluster.nginx_url, session_id, CALLBACK_FLOW[:3])
    assert "What name should we use for you?" in texts[2]
    assert user_events_once_stored(cluster, session_id, 3) == 3


def test_a_socketio_session_reconnecting_to_the_other_instance_keeps_its_context(cluster):
    session_id = new_session_id(ISOLATED_ALERT_HASH_KEY)
    first, second = (cluster.rasa_url(name) for name in cluster.rasa_names())
    socketio_turns(first, session_id, CALLBACK_FLOW[:1], ["polling"])
    socketio_turns(second, session_id, CALLBACK_FLOW[1:3], ["polling"])  # the form goes on
    assert user_events_once_stored(cluster, session_id, 3) == 3


def test_a_clinicians_words_posted_through_one_instance_reach_a_widget_on_the_other(cluster):
    """The person's socket is held by instance A; the staff console talks to instance B. B's
    socket.io emits go through Redis (SOCKETIO_MANAGER=redis) and A delivers them: joining,
    typing, the clinician's words, leaving."""
    instance_a, instance_b = (cluster.rasa_url(name) for name in cluster.rasa_names())
    session_id = new_session_id(ISOLATED_ALERT_HASH_KEY)
    console = RasaConversations(instance_b, cluster.token)

    async def run() -> None:
        client = socketio.AsyncClient(reconnection=False)
        confirmed, replies, typing = asyncio.Queue(), asyncio.Queue(), asyncio.Queue()
        client.on("session_confirm", confirmed.put)
        client.on("bot_uttered", replies.put)
        client.on("clinician_typing", typing.put)

        async def received(text: str) -> None:
            """Waits for the bot_uttered holding `text`; the ones before it are skipped."""
            reply: dict = {}
            while text not in reply.get("text", ""):
                reply = await asyncio.wait_for(replies.get(), 60)

        await client.connect(instance_a, transports=["polling"], wait_timeout=30)
        try:
            await client.emit("session_request", {"session_id": session_id})
            assert await asyncio.wait_for(confirmed.get(), 30) == session_id
            message = {"message": "can i talk to a real person", "session_id": session_id}
            await client.emit("user_uttered", message)
            await received("talk with a person")
            await console.take_over(session_id, "Dana", "socketio")
            await received("Dana, a clinician at")
            await console.typing(session_id, "Dana")
            assert await asyncio.wait_for(typing.get(), 30) == {"clinician": "Dana"}
            await console.say(session_id, "Dana", "I'm here with you now.")
            await received("Dana (clinician): I'm here with you now.")
            await console.hand_back(session_id, "Dana", "socketio")
            await received("Dana has left the chat")
        finally:
            await client.disconnect()

    asyncio.run(run())
    bot_texts = [e.get("text") or "" for e in events(cluster, session_id) if e["event"] == "bot"]
    assert bot_texts.count("Dana (clinician): I'm here with you now.") == 1


def test_handoff_tickets_land_in_postgresql(cluster):
    person, crisis = new_sender("handoff"), new_sender("crisis")
    assert (
        "talk with a person" in send(cluster.nginx_url, person, "can i talk to a real person").text
    )
    assert "988" in send(cluster.nginx_url, crisis, "I want to kill myself").text
    rows = cluster.sql(
        "SELECT conversation_id, priority, reason, status FROM handoff_tickets "
        "WHERE conversation_id IN (:person, :crisis) ORDER BY id",
        person=person,
        crisis=crisis,
    )
    assert rows == [
        (person, "routine", "talk_to_human", "open"),
        (crisis, "urgent", "crisis", "open"),
    ]


# ---------------------------------------------------------------- an instance goes away


def load_with_a_stop(
    cluster, victim: str, sig: int, conversations: int = 16
) -> Tuple[Dict[str, List[Reply]], str]:
    """`conversations` callback flows at once through nginx; `victim` gets `sig` once a third of
    the turns are answered. Returns each conversation's replies (each checked as it came) and
    when the stop happened."""
    senders = [new_sender(f"stop{int(sig)}") for _ in range(conversations)]
    answered = []
    total = conversations * len(CALLBACK_FLOW)

    def flow(sender: str) -> List[Reply]:
        replies = []
        for turn, (message, expected) in enumerate(CALLBACK_FLOW):
            reply = send(cluster.nginx_url, sender, message, token=cluster.token)
            assert expected in reply.text, (
                f"{sender} turn {turn + 1} ({message!r}): got {reply.text!r}"
            )
            replies.append(reply)
            answered.append(1)
        return replies

    with concurrent.futures.ThreadPoolExecutor(conversations) as pool:
        futures = {sender: pool.submit(flow, sender) for sender in senders}
        deadline = time.monotonic() + 120
        while len(answered) < total // 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(answered) >= total // 3, "the load did not get going"
        exit_code = cluster.stop_instance(victim, sig)
        stopped_by, turns = signal.Signals(sig).name, f"{len(answered)}/{total}"
        when = f"{victim} stopped by {stopped_by} after {turns} turns (exit {exit_code})"
        return {sender: future.result(timeout=400) for sender, future in futures.items()}, when


def test_stopping_an_instance_mid_load_loses_no_conversation(cluster, scale_report):
    """SIGTERM (a rolling update, a scale-down): the instance finishes its turns, nginx sends the
    rest to the other one. Every conversation completes, stored exactly once."""
    try:
        results, when = load_with_a_stop(cluster, "rasa-2", signal.SIGTERM)
    finally:
        cluster.start_instance("rasa-2")  # the next test needs both
    retried = sum(reply.attempts > 1 for replies in results.values() for reply in replies)
    for sender, replies in results.items():
        assert_stored_exactly(cluster, sender, replies)
        assert ticket(cluster, sender) == [TICKET_AFTER_FLOW]
    scale_report["sigterm"] = {
        "stop": when,
        "conversations": len(results),
        "turns": len(results) * len(CALLBACK_FLOW),
        "client_retries": retried,
        "lost": 0,
        "stored_twice": 0,
    }
    assert run_flow([cluster.rasa_url("rasa-2")], new_sender("back"))


def test_killing_an_instance_mid_load_loses_no_conversation(cluster, scale_report):
    """SIGKILL (a crash): turns in flight on the dead instance fail with 502. The client reads
    the conversation back: a turn the dead instance stored is answered from its stored replies,
    any other is sent again. Their conversations wait until the dead instance's lock tickets
    expire (clinic_assistant.lock_store.TICKET_LIFETIME_S), well within LOCK_WAIT_SECONDS. No
    turn is lost and none is stored twice."""
    started = time.monotonic()
    results, when = load_with_a_stop(cluster, "rasa-1", signal.SIGKILL)
    replies = [reply for flow in results.values() for reply in flow]
    for sender in results:
        counted = kinds(cluster, sender)
        assert counted["user"] == len(CALLBACK_FLOW), f"{sender}: lost or doubled ({counted})"
        assert TICKET_AFTER_FLOW in ticket(cluster, sender)
    scale_report["sigkill"] = {
        "stop": when,
        "conversations": len(results),
        "turns": len(replies),
        "sent_again_after_a_502": sum(r.attempts > 1 and not r.recovered for r in replies),
        "replies_read_back": sum(r.recovered for r in replies),
        "lost": 0,
        "stored_twice": 0,
        "slowest_turn_s": round(max(r.seconds for r in replies), 1),
        "test_s": round(time.monotonic() - started),
    }
    # Every conversation finished its turns on the surviving instance: no lock is left behind,
    # not even the dead instance's tickets.
    assert cluster.redis().keys("lock:*") == []
