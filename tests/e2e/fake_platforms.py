"""The messaging platforms' APIs, faked on loopback: record every call, answer like the platform.

Rasa's connectors reach them through each platform's `api_url` setting
(clinic_assistant/channels/platforms.py), so the real connector code makes the real HTTP calls.
"""

import json
import re
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, List, NamedTuple

BOT_USERNAME = "clinic_test_bot"


class Call(NamedTuple):
    path: str
    body: str  # decoded: JSON as text, or form fields joined, so tests can search it

    def contains(self, text: str) -> bool:
        return text in self.body


def decode(body: bytes, content_type: str) -> str:
    text = body.decode("utf-8", "replace")
    if "x-www-form-urlencoded" in content_type:
        return json.dumps(urllib.parse.parse_qs(text))
    if "multipart/form-data" in content_type:
        return text
    return json.dumps(json.loads(text)) if text else ""


def telegram_message(text: str) -> dict:
    return {
        "message_id": 1,
        "date": int(time.time()),
        "chat": {"id": 1, "type": "private"},
        "text": text,
    }


# path pattern -> canned answer, as each platform documents it
ANSWERS = [
    (
        r"/bot[^/]+/getMe$",
        lambda: {
            "ok": True,
            "result": {"id": 1, "is_bot": True, "first_name": "Clinic", "username": BOT_USERNAME},
        },
    ),
    (r"/bot[^/]+/sendMessage$", lambda: {"ok": True, "result": telegram_message("sent")}),
    (r"/bot[^/]+/\w+$", lambda: {"ok": True, "result": True}),
    (r"/slack/api/chat\.postMessage$", lambda: {"ok": True, "channel": "D1", "ts": "1.1"}),
    (r"/graph/me/messages$", lambda: {"recipient_id": "1", "message_id": "mid.1"}),
    (
        r"/twilio/2010-04-01/Accounts/\w+/Messages\.json$",
        lambda: {"sid": "SM" + "0" * 32, "status": "queued", "body": "", "num_segments": "1"},
    ),
]


class FakePlatforms:
    def __init__(self) -> None:
        self.calls: List[Call] = []
        # Sends whose body holds one of these fail with a 500.
        self.failing: set = set()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                body = decode(self.rfile.read(length), self.headers.get("Content-Type", ""))
                path = urllib.parse.urlsplit(self.path).path
                fake.calls.append(Call(path, body))
                answer = next(
                    (make() for pattern, make in ANSWERS if re.search(pattern, path)), None
                )
                status = 200 if answer else 404
                if any(marker in body for marker in fake.failing):
                    # The platform is down for this recipient (Twilio's error shape).
                    answer, status = {"code": 20500, "message": "Internal error"}, 500
                payload = json.dumps(answer or {"error": "unknown path"}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def wait_for(
        self, matches: Callable[[Call], bool], timeout: float = 30, after: int = 0
    ) -> Call:
        """The first call that matches, among the calls from number `after` on; replies may be
        sent after the webhook has answered."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = next((call for call in list(self.calls)[after:] if matches(call)), None)
            if found:
                return found
            time.sleep(0.2)
        raise AssertionError(
            f"no matching platform API call in {timeout:.0f} s; calls: "
            f"{[c.path for c in self.calls]}"
        )
