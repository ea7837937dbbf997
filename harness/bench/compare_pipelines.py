"""Trains each NLU pipeline on the same data and scores it on the held-out sets.

    python -m harness.bench.compare_pipelines [--retrain] config.yml harness/bench/pipelines/*.yml

Each Rasa pipeline is trained with Rasa's cache off (config.yml, the project's own, as
`make` trains it: NLU and dialogue; the others NLU only), then scored by
harness/evaluate_nlu.py on tests/nlu. A scikit-learn baseline (TF-IDF + logistic
regression, fixed settings) is trained on the same data/nlu examples and scored by the
same code. Crisis recall is given twice: the classifier alone, and with the crisis
guard's lexicon applied after it (for pipelines without the crisis guard).

A pipeline whose inputs (its config, its training data, the components it uses,
tests/nlu/, harness/evaluate_nlu.py, the crisis guard) are unchanged keeps its row in
harness/bench/results/pipelines.json, trained model or not; a model in .build/pipelines whose
training inputs are unchanged is scored again without retraining (DIET takes about
18 min on 2 cores). --retrain trains and scores every pipeline again.
"""

import argparse
import hashlib
import itertools
import json
import os
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Dict, List, Tuple

from clinic_assistant.nlu.crisis_guard import CrisisGuard
from clinic_assistant.settings import PROJECT_ROOT as ROOT
from harness import evaluate_nlu

sys.dont_write_bytecode = True

MODELS = ROOT / ".build" / "pipelines"
TABLE = ROOT / "harness" / "bench" / "results" / "pipelines.json"
PROJECT = "project"
BASELINE = "sklearn_tfidf_lr"


def name_of(config: Path) -> str:
    return PROJECT if config.resolve() == (ROOT / "config.yml").resolve() else config.stem


def describe(config: Path) -> str:
    """A pipeline file's leading comment says what it is."""
    if name_of(config) == PROJECT:
        return "this project (config.yml)"
    leading = itertools.takewhile(
        lambda line: line.startswith("#"), config.read_text().splitlines()
    )
    return " ".join(line.lstrip("# ") for line in leading).rstrip(".") or config.stem


def digest(paths: List[Path], *extra: str) -> str:
    sha = hashlib.sha256("\n".join(extra).encode())
    for path in sorted({path.resolve() for path in paths}):
        sha.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()


def files(*patterns: str) -> List[Path]:
    return [path for pattern in patterns for path in ROOT.glob(pattern) if path.is_file()]


def training_key(config: Path) -> str:
    data = (
        ["data/**/*.yml", "domain/**/*.yml"] if name_of(config) == PROJECT else ["data/nlu/*.yml"]
    )
    if "clinic_assistant.nlu." in config.read_text():
        data += ["clinic_assistant/nlu/*.py", "clinic_assistant/nlu/*.yml"]
    return digest([config, *files(*data)], metadata.version("rasa"))


def evaluation_key(training: str) -> str:
    # The crisis guard's lexicon is applied to every pipeline's results.
    return digest(
        files("tests/nlu/*.yml", "harness/evaluate_nlu.py", "clinic_assistant/nlu/crisis_*"),
        training,
    )


def train(config: Path, name: str) -> float:
    """Wall time of the `rasa train` command, Rasa's start-up (about 15 s) included."""
    project = name == PROJECT
    command = (
        ["train", "--domain", "domain", "--data", "data"]
        if project
        else ["train", "nlu", "--nlu", "data/nlu"]
    )
    started = time.monotonic()
    subprocess.run(
        [
            str(Path(sys.executable).parent / "rasa"),
            *command,
            "--config",
            str(config),
            "--out",
            str(MODELS),
            "--fixed-model-name",
            name,
        ],
        cwd=ROOT,
        check=True,
        env={**os.environ, "RASA_MAX_CACHE_SIZE": "0", "RASA_TELEMETRY_ENABLED": "false"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.monotonic() - started


def trained_model(config: Path, name: str, key: str, retrain: bool) -> Tuple[Path, float]:
    """The model archive and its training time; trains unless a model of these inputs exists."""
    model, stamp = MODELS / f"{name}.tar.gz", MODELS / f"{name}.train.json"
    if not retrain and model.exists() and stamp.exists():
        trained = json.loads(stamp.read_text())
        if trained["inputs_sha256"] == key:
            return model, trained["train_seconds"]
    print(f"{name}: training ...", flush=True)
    seconds = train(config, name)
    stamp.write_text(json.dumps({"inputs_sha256": key, "train_seconds": seconds}))
    return model, seconds


def sklearn_baseline(lexicon) -> Dict:
    """TF-IDF (word 1-2 grams and char_wb 2-5 grams) + logistic regression, trained on data/nlu.

    Settings are fixed, not tuned on the held-out set. No fallback threshold: the top intent
    counts."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    texts, intents = zip(*evaluate_nlu.examples(ROOT / "data" / "nlu"))
    model = make_pipeline(
        make_union(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
        ),
        LogisticRegression(C=10, max_iter=2000),
    )
    started = time.perf_counter()
    model.fit(texts, intents)
    seconds = time.perf_counter() - started

    def classify(batch: List[str]) -> List[Dict]:
        results = []
        for text in batch:  # one at a time, as a server parses them
            sent = time.perf_counter()
            intent = model.predict([text])[0]
            results.append(
                {
                    "final": intent,
                    "topic": intent,
                    "guard": None,
                    "ms": (time.perf_counter() - sent) * 1000,
                }
            )
        return results

    return {**evaluate_nlu.score(classify, lexicon), "train_seconds": seconds}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "configs",
        nargs="+",
        type=Path,
        help="Rasa config files (config.yml, harness/bench/pipelines/*.yml)",
    )
    parser.add_argument(
        "--retrain", action="store_true", help="train every pipeline again, even if unchanged"
    )
    args = parser.parse_args()
    lexicon = CrisisGuard({}).match
    MODELS.mkdir(parents=True, exist_ok=True)
    TABLE.parent.mkdir(parents=True, exist_ok=True)
    old = json.loads(TABLE.read_text()) if TABLE.exists() else {}
    rows: Dict[str, Dict] = {}
    for config in args.configs:
        name, training = name_of(config), training_key(config)
        key = evaluation_key(training)
        if not args.retrain and old.get(name, {}).get("inputs_sha256") == key:
            rows[name] = old[name]
            print(f"{name}: inputs unchanged, result kept", flush=True)
            continue
        model, seconds = trained_model(config, name, training, args.retrain)
        rows[name] = {
            "description": describe(config),
            **evaluate_nlu.evaluate(str(model), lexicon),
            "train_seconds": seconds,
            "inputs_sha256": key,
        }
        print(f"{name}: macro-F1 {rows[name]['macro_f1']:.3f}", flush=True)
        TABLE.write_text(json.dumps({**old, **rows}, indent=2))
    rows[BASELINE] = {
        "description": "scikit-learn TF-IDF + logistic regression (baseline)",
        **sklearn_baseline(lexicon),
    }
    TABLE.write_text(json.dumps(rows, indent=2))
    for name, row in rows.items():
        print(
            f"{name:>20}: macro-F1 {row['macro_f1']:.3f}, crisis recall NLU only "
            f"{row['crisis_recall_nlu']:.3f}, "
            f"with guard {row['crisis_recall_with_guard']:.3f}, trained in "
            f"{row['train_seconds']:.0f} s"
        )
    print(f"Wrote {TABLE}; harness/bench/report.py puts it in the report")
    return 0


if __name__ == "__main__":
    sys.exit(main())
