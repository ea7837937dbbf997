"""The scale-out tests share one cluster (harness/scale/cluster.py): starting it takes about a
minute and a half, most of it the two Rasa instances loading the model."""

import json
import os
import sys
import time
from pathlib import Path

import pytest

from clinic_assistant import settings
from clinic_assistant.settings import PROJECT_ROOT as ROOT
from harness.scale.cluster import Cluster

# What `make scale-test` runs with; SCALE_LOCK_STORE=redis runs the same tests on Rasa's own store.
LOCK_STORE = os.environ.get("SCALE_LOCK_STORE", settings.SHARED_LOCK_STORE)
_running = []
# What the tests measured (turns per instance, retries, duplicates...): printed at the end of
# the run and written to results/scale-test.json.
_report: dict = {}


@pytest.fixture(scope="session")
def scale_report() -> dict:
    return _report


@pytest.fixture(scope="session")
def cluster():
    if not Path(settings.defaults()["RASA_MODEL"]).exists():
        pytest.fail(
            "No trained model: run the scale tests through `make scale-test`, which trains it."
        )
    running = Cluster(lock_store_type=LOCK_STORE)
    print(f"\nScale cluster: logs in {running.logs}", flush=True)
    try:
        running.start()
    except BaseException:
        for name in ("postgres", "redis", "actions", "rasa-1", "rasa-2", "nginx-error"):
            print(f"--- {name} log ---\n{running.log_tail(name)}", file=sys.stderr)
        raise
    _running.append(running)
    try:
        yield running
    finally:
        _running.clear()
        running.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test's report ends with the tail of each server's log."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and _running:
        for name in ("rasa-1", "rasa-2", "actions", "nginx-error"):
            report.sections.append((f"{name} log (tail)", _running[0].log_tail(name, 25)))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not _report:
        return
    _report.update(
        lock_store=LOCK_STORE,
        exit_status=int(exitstatus),
        finished=time.strftime("%Y-%m-%d %H:%M:%S %z"),
    )
    out = ROOT / "results" / "scale-test.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(_report, indent=2) + "\n")
    terminalreporter.section("scale-out measurements")
    for key, value in _report.items():
        terminalreporter.write_line(f"{key}: {value}")
    terminalreporter.write_line(f"(also in {out.relative_to(ROOT)})")
