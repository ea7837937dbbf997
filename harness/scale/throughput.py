"""Throughput with one Rasa instance vs two behind nginx, 32 simulated users, in one run.

    .venv/bin/python -m harness.scale.throughput [--users 32] [--seconds 40] [--rounds 1]
        [--out harness/bench/results]

Starts the scale cluster (harness/scale/cluster.py: PostgreSQL, Redis lock store, one action server,
two Rasa instances, nginx), then measures in turn:
  - "1 instance":  nginx's upstreams both point at rasa-1 (rasa-2 stays up, idle);
  - "2 instances": nginx round-robin over rasa-1 and rasa-2 (the deployment's config).
Each user is one conversation at a time that waits for each reply before sending the next
message, then starts a new conversation: harness/bench/serving.py's load client and visit.
With --rounds N the two set-ups alternate N times, so drift (warm-up, a busy neighbour)
shows up as a difference between rounds instead of between set-ups.
Writes scale.json and scale.md to --out. The client, nginx, PostgreSQL and Redis share the
machine's cores with Rasa: on a 2-core machine two instances compete with them.
"""

import argparse
import asyncio
import datetime
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Dict, Optional

from clinic_assistant.settings import PROJECT_ROOT as ROOT
from harness.bench import serving
from harness.scale.cluster import Cluster

sys.dont_write_bytecode = True

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent busy since boot (/proc/stat), whoever used them."""
    user, nice, system, idle, iowait, irq, softirq, steal = (
        int(v) for v in Path("/proc/stat").read_text().split()[1:9]
    )
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


def load(url: str, users: int, seconds: float, label: str) -> Dict:
    """harness/bench/serving.py's visitors, summarised as this report's rows are."""
    result = asyncio.run(serving.load_level(url, users, seconds, len(serving.MESSAGES), label))

    def ms(value: Optional[float]) -> Optional[int]:
        return None if value is None else round(value)

    return {
        "turns": result["ok"],
        "seconds": round(result["elapsed_s"], 1),
        "turns_per_s": round(result["msgs_per_s"], 2),
        "p50_ms": ms(result["p50_ms"]),
        "p95_ms": ms(result["p95_ms"]),
        "p99_ms": ms(result["p99_ms"]),
        "errors": result["error_kinds"],
    }


def measure(cluster: Cluster, setup: str, users: int, seconds: float, label: str) -> Dict:
    cluster.route_to(["rasa-1"] if setup == "1 instance" else None)
    pids = {name: cluster.processes[name].pid for name in (*cluster.rasa_names(), "actions")}
    before = {name: serving.cpu_seconds(pid) for name, pid in pids.items()}
    client_before, machine_before = time.process_time(), machine_busy_seconds()
    result = load(cluster.nginx_url, users, seconds, label)
    result["cpu_s"] = {
        name: round(serving.cpu_seconds(pid) - before[name], 1) for name, pid in pids.items()
    }
    result["cpu_s"]["client"] = round(time.process_time() - client_before, 1)
    # Every process on the machine, ours and other people's: how busy the two cores were.
    result["machine_busy_cores"] = round(
        (machine_busy_seconds() - machine_before) / result["seconds"], 2
    )
    result["load_average_1min"] = round(os.getloadavg()[0], 2)
    result["setup"] = setup
    print(
        f"{setup:12s} {result['turns_per_s']:6.2f} turns/s  p50 {result['p50_ms']} ms  p95 "
        f"{result['p95_ms']} ms  "
        f"errors {result['errors'] or 0}  cpu {result['cpu_s']}  machine busy "
        f"{result['machine_busy_cores']} cores",
        flush=True,
    )
    return result


def markdown(report: Dict) -> str:
    lines = [
        f"### Scale-out: one Rasa instance vs two behind nginx ({report['users']} users)",
        "",
        f"`harness/scale/throughput.py`, {report['date']}, {report['cpus']} CPUs, "
        f"{report['seconds']} s per measurement, "
        f"{report['rounds']} round(s). PostgreSQL tracker store, Redis lock store "
        f"({report['lock_store']}), "
        "one action server, nginx round-robin; each user waits for each reply.",
        "",
        "| set-up | round | turns/s | p50 ms | p95 ms | p99 ms | errors | CPU s rasa-1 / rasa-2 / "
        "client "
        "| Rasa CPU ms per turn | machine busy (cores) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
    ]
    for run in report["runs"]:
        cpu = run["cpu_s"]
        lines.append(
            f"| {run['setup']} | {run['round']} | {run['turns_per_s']:.2f} | {run['p50_ms']} | "
            f"{run['p95_ms']} | "
            f"{run['p99_ms']} | {sum(run['errors'].values())} | {cpu['rasa-1']} / {cpu['rasa-2']} "
            f"/ {cpu['client']} | "
            f"{1000 * (cpu['rasa-1'] + cpu['rasa-2']) / max(run['turns'], 1):.0f} | "
            f"{run['machine_busy_cores']} |"
        )
    summary = report["summary"]
    lines += [
        "",
        f"Two instances: **{summary['speedup']:.2f}x** the throughput of one "
        f"({summary['two_turns_per_s']:.2f} vs {summary['one_turns_per_s']:.2f} turns/s, mean over "
        "rounds). " + summary["note"],
        "",
        '"machine busy" counts every process on the machine (other jobs included) over the '
        "measurement, "
        "out of the CPU count above; CPU s is each process's own CPU time in that window. Rasa's "
        "CPU cost per "
        "turn stays about the same with one or two instances: throughput follows the CPU time the "
        "instances "
        "get, so a second instance helps as much as a free core is there for it.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "harness" / "bench" / "results")
    parser.add_argument(
        "--markdown-only", action="store_true", help="rewrite scale.md from the existing scale.json"
    )
    args = parser.parse_args()
    if args.markdown_only:
        (args.out / "scale.md").write_text(
            markdown(json.loads((args.out / "scale.json").read_text()))
        )
        return 0

    cluster = Cluster()
    try:
        cluster.start()
        # Warm-up: each instance's first turns build TensorFlow graphs.
        load(cluster.nginx_url, 4, 10, "warmup")
        runs = []
        for round_ in range(1, args.rounds + 1):
            for setup in ("1 instance", "2 instances"):
                run = measure(cluster, setup, args.users, args.seconds, f"{round_}-{setup[0]}")
                run["round"] = round_
                runs.append(run)
    finally:
        cluster.stop()

    def mean(setup: str) -> float:
        values = [run["turns_per_s"] for run in runs if run["setup"] == setup]
        return sum(values) / len(values)

    one, two = mean("1 instance"), mean("2 instances")
    cpus = os.cpu_count()
    note = (
        (
            f"This machine has {cpus} CPU cores, shared by both instances, the action server, "
            "PostgreSQL, "
            "Redis, nginx and the load client, so a second instance can only use what one leaves "
            "idle; "
            "on separate machines or pods each instance brings its own cores."
        )
        if cpus and cpus <= 2
        else ""
    )
    report = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": cpus,
        "python": platform.python_version(),
        "users": args.users,
        "seconds": args.seconds,
        "rounds": args.rounds,
        "lock_store": cluster.lock_store_type,
        "messages": serving.MESSAGES,
        "runs": runs,
        "summary": {
            "one_turns_per_s": round(one, 2),
            "two_turns_per_s": round(two, 2),
            "speedup": round(two / one, 2) if one else None,
            "note": note,
        },
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "scale.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out / "scale.md").write_text(markdown(report))
    print(f"\nWrote {args.out / 'scale.json'} and {args.out / 'scale.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
