"""Writes harness/bench/results/report.md from serving.json and pipelines.json (`make bench`
runs it last).

python -m harness.bench.report [--results harness/bench/results] [--bench-seconds N]
"""

import argparse
import json
from pathlib import Path
from typing import Dict, List, Optional

from clinic_assistant.settings import PROJECT_ROOT as ROOT

PROJECT, BASELINE = "project", "sklearn_tfidf_lr"
TARGETS = {"macro_f1": 0.95, "p95_8_users_ms": 100, "first_answer_s": 20, "train_s": 300}


def fmt(value, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def status(value: Optional[float], target: float, higher_is_better: bool = False) -> str:
    if value is None:
        return "not measured"
    return (
        "**met**" if (value >= target if higher_is_better else value <= target) else "**not met**"
    )


def at(levels: List[Dict], users: int) -> Optional[Dict]:
    return next((row for row in levels if row["users"] == users), None)


def headline(serving: Dict, pipelines: Dict) -> List[str]:
    rasa, workers = serving["rest"]["rasa"], serving["rest"]["workers"]
    project = pipelines.get(PROJECT, {})
    eight = at(rasa["levels"], 8) or {}
    eight_workers = at(workers["levels"], 8) if workers else None
    macro_f1, train_s = project.get("macro_f1"), project.get("train_seconds")
    lines = [
        "| target | measured | status |",
        "|---|---|---|",
        f"| held-out macro-F1 ≥ {TARGETS['macro_f1']} | {fmt(macro_f1, 3)} "
        f"(accuracy {fmt(project.get('accuracy'), 3)}, {project.get('heldout_size', '-')} "
        "messages) "
        f"| {status(macro_f1, TARGETS['macro_f1'], higher_is_better=True)} |",
        f"| REST p95 at 8 users ≤ {TARGETS['p95_8_users_ms']} ms | 1 worker: "
        f"{fmt(eight.get('p95_ms'), 0)} ms"
        + (
            f"; {workers['settings']['SANIC_WORKERS']} workers + Redis: "
            f"{fmt(eight_workers['p95_ms'], 0)} ms"
            if eight_workers
            else ""
        )
        + " | "
        + status(
            min(r["p95_ms"] for r in (eight, eight_workers) if r) if eight else None,
            TARGETS["p95_8_users_ms"],
        )
        + " |",
        f"| first answer ≤ {TARGETS['first_answer_s']} s after `make run` (venv and model present) "
        f"| {fmt(rasa['first_answer_s'])} s | "
        f"{status(rasa['first_answer_s'], TARGETS['first_answer_s'])} |",
        f"| training ≤ {TARGETS['train_s'] // 60} min (`rasa train`, NLU and dialogue, cache off) "
        f"| {fmt(train_s, 0)} s | {status(train_s, TARGETS['train_s'])} |",
    ]
    one = at(rasa["levels"], 1)
    if one and eight:
        lines += [
            "",
            "One Rasa worker handles one message at a time: a message costs about "
            f"{fmt(one['p50_ms'], 0)} ms "
            "(p50 at 1 user), so 8 users who each send the next message as soon as the reply "
            "arrives wait "
            f"for about 8 messages each time (p50 {fmt(eight['p50_ms'], 0)} ms at 8 users). A p95 "
            "of 100 ms "
            "with 8 messages always in flight needs about 12 ms per message per core.",
        ]
    return lines


def pipelines_table(rows: Dict[str, Dict]) -> List[str]:
    lines = [
        "| pipeline | accuracy | macro-F1 | `out_of_scope` recall | crisis recall: NLU only / with "
        "guard "
        "| benign false alarms (with guard) | train s | parse p50 / p95 ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, r in rows.items():
        label = f"**{r['description']}**" if name == PROJECT else r["description"]
        lines.append(
            f"| {label} | {r['accuracy']:.3f} | {r['macro_f1']:.3f} | "
            f"{r['out_of_scope_recall']:.3f} | "
            f"{r['crisis_recall_nlu']:.3f} / {r['crisis_recall_with_guard']:.3f} | "
            f"{r['benign_false_alarms_with_guard']} of {r['benign_size']} | "
            f"{r['train_seconds']:.0f} | "
            f"{r['parse_ms_p50']:.1f} / {r['parse_ms_p95']:.1f} |"
        )
    return lines


def rest_table(serving: Dict) -> List[str]:
    rest, ratios = serving["rest"], serving["ratios"]
    lines = [
        "| server | users | p50 ms | p95 ms | p99 ms | msgs/s | errors | CPU cores used: server / "
        "client "
        "| server CPU ms per message | × floor p50 / p95 / p99 | p50 × parse p50 |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    configs = [
        ("floor (minimal Sanic)", rest["floor"], None),
        ("Rasa, 1 worker", rest["rasa"]["levels"], ratios["rasa"]),
    ]
    if rest["workers"]:
        configs.append(
            (
                f"Rasa, {rest['workers']['settings']['SANIC_WORKERS']} workers + Redis lock store",
                rest["workers"]["levels"],
                ratios["workers"],
            )
        )
    for name, levels, ratio in configs:
        for row in levels:
            r = (ratio or {}).get(str(row["users"]), {})
            errors = f"{row['errors']}" + (f" {row['error_kinds']}" if row["errors"] else "")
            times_floor = (
                " / ".join(fmt(r.get(f"{q}_over_floor"), 0) for q in ("p50", "p95", "p99"))
                if ratio
                else "-"
            )
            over_parse = fmt(r.get("p50_over_parse_p50")) if ratio else "-"
            lines.append(
                f"| {name} | {row['users']} | {fmt(row['p50_ms'])} | {fmt(row['p95_ms'])} | "
                f"{fmt(row['p99_ms'])} | "
                f"{fmt(row['msgs_per_s'])} | {errors} | {fmt(row['server_cpu_share'], 2)} / "
                f"{fmt(row['client_cpu_share'], 2)} | "
                f"{fmt(1000 * row['server_cpu_share'] / row['msgs_per_s'], 2)} | "
                f"{times_floor} | {over_parse} |"
            )
    return lines


def workers_lines(serving: Dict) -> List[str]:
    workers = serving["rest"]["workers"]
    if not workers:
        return ["The workers comparison was skipped (no redis-server, or `--workers 1`)."]
    count = workers["settings"]["SANIC_WORKERS"]
    lines = [
        f"| users | 1 worker: msgs/s, p95 ms, CPU cores used | {count} workers + Redis: msgs/s, "
        "p95 ms, "
        "CPU cores used | throughput × |",
        "|---|---|---|---|",
    ]
    for row in workers["levels"]:
        one = at(serving["rest"]["rasa"]["levels"], row["users"])
        if one:
            lines.append(
                f"| {row['users']} | {fmt(one['msgs_per_s'])}, {fmt(one['p95_ms'], 0)}, "
                f"{fmt(one['server_cpu_share'], 2)} | {fmt(row['msgs_per_s'])}, "
                f"{fmt(row['p95_ms'], 0)}, "
                f"{fmt(row['server_cpu_share'], 2)} | "
                f"{fmt(row['msgs_per_s'] / one['msgs_per_s'], 2)} |"
            )
    return lines + [
        "",
        f"{count} workers can only help while a second core is free: the CPU columns show how much "
        "of the "
        "machine Rasa got (the load client and anything else running share the same cores). "
        f"Rasa runs {count} Sanic worker processes only with a Redis (or custom) lock store; with "
        "the "
        "in-memory lock store it silently keeps one. Each worker loads its own copy of the model "
        f"(Rasa RSS {fmt(serving['rest']['rasa']['rss_mb_after_start']['rasa'], 0)} MB with one "
        "worker, "
        f"{fmt(workers['rss_mb_after_start']['rasa'], 0)} MB with {count}, over "
        f"{workers['rasa_processes']} processes). The socket.io channel keeps each client's "
        "session in "
        "the worker that accepted it and cannot rebuild its output channel in another worker, so "
        "several workers suit the REST channel only, or need sticky sessions in front.",
    ]


def start_lines(serving: Dict, pipelines: Dict) -> List[str]:
    rasa, workers, parse, model = (
        serving["rest"]["rasa"],
        serving["rest"]["workers"],
        serving["parse"],
        serving["model"],
    )
    rss = rasa["rss_mb_after_start"]
    project = pipelines.get(PROJECT, {})
    return [
        "| | value |",
        "|---|---|",
        "| first REST answer after `python -m clinic_assistant.launcher` (what `make run` starts) "
        f"| {fmt(rasa['first_answer_s'])} s"
        + (
            f" (with {workers['settings']['SANIC_WORKERS']} workers: "
            f"{fmt(workers['first_answer_s'])} s)"
            if workers
            else ""
        )
        + " |",
        f"| the action server answering (it starts beside Rasa) "
        f"| {fmt(rasa['action_server_up_s'])} s |",
        f"| model load (`Agent.load` in-process) | {fmt(parse['agent_load_s'])} s, "
        f"+{fmt(parse['rss_mb_added_by_load'], 0)} MB |",
        f"| first parse after load / steady parse p50 | {fmt(parse['first_parse_ms'], 0)} ms / "
        f"{fmt(parse['p50_ms'], 1)} ms |",
        f"| RSS after start: launcher / action server / Rasa | {fmt(rss['launcher'], 0)} / "
        f"{fmt(rss['action_server'], 0)} / {fmt(rss['rasa'], 0)} MB |",
        f"| Rasa RSS after the load test / peak | {fmt(rasa['rasa_rss_mb_after_load'], 0)} / "
        f"{fmt(rasa['rasa_peak_rss_mb'], 0)} MB |",
        f"| model on disk: `{model['archive']}` + MiniLM ONNX + tokenizer (loaded from their "
        "packages) "
        f"| {fmt(model['archive_mb'], 1)} + {fmt(model['minilm_onnx_mb'], 1)} + "
        f"{fmt(model['minilm_tokenizer_mb'], 1)} MB |",
        "| training: `rasa train` of config.yml (NLU and dialogue, cache off) | "
        f"{fmt(project.get('train_seconds'), 0)} s |",
        f"| action server CPU during all Rasa levels | {fmt(rasa['action_cpu_s_during_load'], 2)} "
        "s |",
    ]


def report(serving: Dict, pipelines: Dict, bench_seconds: Optional[float]) -> str:
    m, s = serving["machine"], serving["settings"]
    length = s["conversation_length"]
    visits = (
        f"conversations of {length} messages, then a new sender"
        if length
        else "one conversation per user for the whole level"
    )
    wall = (
        f"`make bench` took {bench_seconds / 60:.1f} min"
        if bench_seconds
        else "`make bench` wall time not recorded"
    )
    return "\n".join(
        [
            "# Benchmark report",
            "",
            f"{serving['date']}. Machine: {m['nproc']} cores ({m['cpu_model']}), "
            f"{m['mem_total_mb'] / 1024:.0f} GB RAM, "
            f"{m['platform']}; Python {m['python']}, Rasa {m['rasa']}, rasa-sdk {m['rasa-sdk']}, "
            f"Sanic {m['sanic']}. "
            f"Load average before / after the serving run: {m['loadavg_before'][0]:.2f} / "
            f"{m['loadavg_after'][0]:.2f} "
            f"(near 0 before means nothing else competed). {wall}; the serving part "
            f"{serving['wall_s'] / 60:.1f} min.",
            "",
            "## Targets",
            "",
            *headline(serving, pipelines),
            "",
            "## NLU on the held-out sets",
            "",
            "Trained on `data/nlu`, scored on `tests/nlu/heldout.yml` (topics), "
            "`crisis_messages.yml` "
            'and `benign_messages.yml`. Crisis recall "with guard" adds the crisis guard\'s '
            "lexicon after the "
            "pipeline (the project's pipeline has it built in). Training times are the wall time "
            "of "
            "`rasa train` (Rasa's start-up of about 15 s included), or of the scikit-learn fit "
            "alone.",
            "",
            *pipelines_table(pipelines),
            "",
            "## REST serving",
            "",
            f"Loopback only. {s['seconds']:g} s per level; each simulated user sends the next "
            "message as soon as "
            f"the reply arrives (no think time), in {visits}: "
            + ", ".join(f'"{t}"' for t in s["messages"])
            + ". The client runs on the same two cores. Floor: a minimal Sanic endpoint loaded by "
            "the same client. "
            "Parse: `Agent.parse_message` in-process.",
            "",
            *rest_table(serving),
            "",
            f"In-process parse ({serving['parse']['parses']} parses after warm-up): p50 "
            f"{fmt(serving['parse']['p50_ms'], 2)} ms, "
            f"p95 {fmt(serving['parse']['p95_ms'], 2)} ms.",
            "",
            "![latency](latency.png) ![throughput](throughput.png)",
            "",
            "### More Sanic workers",
            "",
            *workers_lines(serving),
            "",
            "## Start and size",
            "",
            *start_lines(serving, pipelines),
            "",
        ]
    )


def console_lines(console: Dict) -> List[str]:
    rows = {
        "ticket_to_console": "a ticket's creation to the console's event stream",
        "clinician_to_patient": "a clinician's Send to the person's socket.io client",
        "clinician_to_patient_through_redis": "the same through Redis (SOCKETIO_MANAGER=redis)",
    }
    return [
        "## Staff console",
        "",
        "| latency | rounds | p50 | p95 |",
        "|---|---|---|---|",
        *(
            f"| {label} | {console[key]['n']} | {fmt(console[key]['p50_ms'], 0)} ms "
            f"| {fmt(console[key]['p95_ms'], 0)} ms |"
            for key, label in rows.items()
        ),
        "",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--results", type=Path, default=ROOT / "harness" / "bench" / "results")
    parser.add_argument("--bench-seconds", type=float, help="wall time of the whole `make bench`")
    args = parser.parse_args()
    serving = json.loads((args.results / "serving.json").read_text())
    pipelines = json.loads((args.results / "pipelines.json").read_text())
    text = report(serving, pipelines, args.bench_seconds)
    scale = (
        args.results / "scale.md"
    )  # written by harness/scale/throughput.py in the same `make bench`
    if scale.exists():
        text += "\n" + scale.read_text().replace("### Scale-out", "## Scale-out", 1)
    console = args.results / "console.json"  # harness/bench/console_latency.py
    if console.exists():
        text += "\n" + "\n".join(console_lines(json.loads(console.read_text())))
    (args.results / "report.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
