"""Trains each NLU pipeline on data/nlu and scores it on the held-out sets.

    python bench/compare_pipelines.py config.yml bench/pipelines/*.yml

Adds each result to bench/results/pipelines.json and prints a Markdown table (accuracy,
macro-F1, crisis recall, training time, parse latency). Rasa's training cache
is off so every pipeline trains from scratch.
"""
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import evaluate_nlu  # noqa: E402

OUT = ROOT / ".build" / "pipelines"
RESULTS = ROOT / "bench" / "results"


def train(config: Path) -> tuple:
    name = config.stem if config.name != "config.yml" else "project"
    started = time.monotonic()
    subprocess.run(
        [str(Path(sys.executable).parent / "rasa"), "train", "nlu", "--config", str(config), "--nlu", "data/nlu",
         "--out", str(OUT), "--fixed-model-name", name],
        cwd=ROOT, check=True, env={**os.environ, "RASA_MAX_CACHE_SIZE": "0", "RASA_TELEMETRY_ENABLED": "false"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    return name, time.monotonic() - started, OUT / f"{name}.tar.gz"


def main(configs) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    table = RESULTS / "pipelines.json"
    # Pipelines measured earlier stay in the table: DIET alone takes ~15 min here.
    rows = json.loads(table.read_text()) if table.exists() else {}
    for config in map(Path, configs):
        name, seconds, model = train(config)
        result = evaluate_nlu.evaluate(str(model))
        result["train_seconds"] = seconds
        rows[name] = result
        print(f"{name}: trained in {seconds:.0f} s, macro-F1 {result['macro_f1']:.3f}", flush=True)
        table.write_text(json.dumps(rows, indent=2))
    print("\n| pipeline | accuracy | macro-F1 | crisis recall | train s | parse p50 ms |\n|---|---|---|---|---|---|")
    for name, r in rows.items():
        print(f"| {name} | {r['accuracy']:.3f} | {r['macro_f1']:.3f} | {r['crisis_recall']:.3f} | "
              f"{r['train_seconds']:.0f} | {r['parse_ms_p50']:.1f} |")


if __name__ == "__main__":
    main(sys.argv[1:])
