"""Shared fixtures. End-to-end fixtures start the real servers through the same
launcher `make run` uses (clinic_assistant.launcher), on free ports with a fresh database.

tests/scale/ needs PostgreSQL, Redis and nginx: it runs only with --scale (`make scale-test`).
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests explore the same examples on every run: a red CI is reproducible, never luck.
settings.register_profile("repeatable", derandomize=True, database=None)
settings.load_profile("repeatable")

ROOT = Path(__file__).resolve().parent.parent


def pytest_addoption(parser):
    parser.addoption(
        "--scale",
        action="store_true",
        help="run tests/scale: PostgreSQL, Redis, nginx and two Rasa instances (make scale-test)",
    )


def pytest_ignore_collect(collection_path, config):
    if collection_path == ROOT / "tests" / "scale" and not config.getoption("--scale"):
        return True
    return None


@pytest.fixture
def ticket_store(tmp_path, monkeypatch):
    """A ticket store on its own SQLite file, also used by the actions under test."""
    from actions import escalation
    from clinic_assistant.tickets.store import TicketStore

    url = f"sqlite:///{tmp_path / 'tickets.db'}"
    monkeypatch.setenv("HANDOFF_DB_URL", url)
    escalation.ticket_store.cache_clear()
    yield TicketStore(url)
    escalation.ticket_store.cache_clear()


class FlakyClinicWebhook(HTTPServer):
    """A real local HTTP server that fails the first `failures` requests."""

    def __init__(self, failures: int):
        self.failures = failures
        self.received = []
        super().__init__(("127.0.0.1", 0), self.Handler)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            server = self.server
            if server.failures > 0:
                server.failures -= 1
                self.send_response(503)
            else:
                server.received.append(json.loads(body))
                self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/tickets"

    def wait_for_tickets(self, count: int, timeout: float = 30) -> list:
        """The tickets received once there are `count`; delivery runs in the background."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.received) >= count, f"{len(self.received)} of {count} tickets arrived"
        return [body["ticket"] for body in self.received]


@pytest.fixture
def webhook_factory():
    servers = []

    def start(failures: int = 0) -> FlakyClinicWebhook:
        server = FlakyClinicWebhook(failures)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
