import contextlib
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator, List

import pytest
import requests

from clinic_assistant import launcher as serve
from clinic_assistant.settings import MODEL

TOKEN = "e2e-test-token"


class Servers:
    """The action server and Rasa server of one test session."""

    def __init__(self, run_dir: Path) -> None:
        self.run_dir = run_dir
        self.env = serve.isolated_environment(run_dir, TOKEN)
        self.log = run_dir / "servers.log"
        self.action_server = None
        self.rasa_server = None
        self.widget_server = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.env['RASA_PORT']}"

    def start_action_server(self) -> None:
        self.action_server = serve.start_action_server(self.env, self.log)

    def stop_action_server(self) -> None:
        serve.stop([self.action_server])

    def start_rasa(self) -> None:
        self.rasa_server = serve.start_rasa_server(self.env, TOKEN, self.log)

    def stop_rasa(self) -> None:
        serve.stop([self.rasa_server])

    def start_widget(self) -> str:
        """The chat widget's demo page, pointed at this session's Rasa; returns its URL."""
        if self.widget_server is None:
            self.widget_server = serve.start_widget_server(self.env)
            assert self.widget_server, (
                f"the widget server could not start on port {self.env['WIDGET_PORT']}"
            )
        return f"http://127.0.0.1:{self.env['WIDGET_PORT']}/"

    def send(self, sender: str, message: str, timeout: float = 30) -> List[dict]:
        response = requests.post(
            f"{self.base_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message},
            timeout=timeout,
        )
        response.raise_for_status()
        return response.json()

    def text(self, sender: str, message: str) -> str:
        return "\n".join(m.get("text", "") for m in self.send(sender, message))

    def tracker(self, sender: str) -> dict:
        response = requests.get(
            f"{self.base_url}/conversations/{sender}/tracker", params={"token": TOKEN}, timeout=30
        )
        response.raise_for_status()
        return response.json()

    def db_rows(self, query: str, *args) -> list:
        with sqlite3.connect(self.run_dir / "rasa.db") as connection:
            return connection.execute(query, args).fetchall()

    def stored_user_texts(self, sender: str) -> list:
        """The person's messages as stored in the tracker store, oldest first."""
        rows = self.db_rows(
            "SELECT json_extract(data, '$.text') FROM events WHERE sender_id = ? "
            "AND type_name = 'user' ORDER BY id",
            sender,
        )
        return [text for (text,) in rows]


@contextlib.contextmanager
def started(run_dir: Path, action_server: bool = True, **env: str) -> Iterator[Servers]:
    """Servers of their own, with `env` on top of the isolated defaults; stopped on exit."""
    if not MODEL.exists():
        pytest.fail("No trained model: run the tests through `make test`, which trains it.")
    running = Servers(run_dir)
    running.env.update(env)
    try:
        if action_server:
            running.start_action_server()
        running.start_rasa()
        yield running
    finally:
        if running.widget_server:
            running.widget_server.shutdown()
        serve.stop([p for p in (running.rasa_server, running.action_server) if p])


@pytest.fixture(scope="session")
def servers(tmp_path_factory):
    with started(tmp_path_factory.mktemp("run")) as running:
        yield running


class FakeActionServer:
    """A stand-in action server on a free loopback port: `answer(handler)` answers each POST."""

    def __init__(self, answer) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                answer(self)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
