"""Staff review shell: chat with the full assistant and see, under each message,
the topic it was recognised as, the confidence, the runners-up and which safety
layer fired.

    make shell-debug

It starts its own action and Rasa servers on free loopback ports with a scratch
database under .run/staff-shell and no clinic notifications, so review chats and
test tickets never mix with patients' conversations or page the clinic.
Type a button's number to press it; Ctrl-D or /quit ends.
"""

import secrets
import sys
import uuid
from typing import Callable, List

import requests

from clinic_assistant import launcher
from clinic_assistant.settings import STAFF_SCRATCH


def annotation(parse_data: dict) -> str:
    """One line for staff: topic, confidence, runners-up, safety layer."""
    intent = parse_data.get("intent") or {}
    ranking = parse_data.get("intent_ranking") or []
    others = [r for r in ranking if r["name"] != intent.get("name")][:2]
    runners_up = ", ".join(f"{r['name']} {r['confidence']:.2f}" for r in others)
    # The safety router's decision (`safety`); older models wrote `crisis_guard`.
    guard = parse_data.get("safety") or parse_data.get("crisis_guard") or {}
    safety = guard.get("layer") or "none"
    if guard.get("category"):
        safety += f' ({guard["category"]}: "{guard.get("matched", "")}")'
    return (
        f"  [topic {intent.get('name')} {intent.get('confidence', 0):.2f} | "
        f"next: {runners_up or '-'} | safety layer: {safety}]"
    )


def last_parse(tracker: dict) -> dict:
    users = [event for event in tracker.get("events", []) if event.get("event") == "user"]
    return users[-1].get("parse_data", {}) if users else {}


class StaffShell:
    def __init__(self, base_url: str, token: str, write: Callable[[str], None] = print) -> None:
        self.base_url, self.token, self.write = base_url, token, write
        self.sender = f"staff-{uuid.uuid4().hex[:8]}"
        self.buttons: List[dict] = []

    def say(self, line: str) -> None:
        # A number picks a button of the last answer, as `rasa shell` does with its menu.
        if line.strip().isdigit() and 0 < int(line) <= len(self.buttons):
            line = self.buttons[int(line) - 1]["payload"]
        reply = requests.post(
            f"{self.base_url}/webhooks/rest/webhook",
            json={"sender": self.sender, "message": line},
            timeout=60,
        )
        reply.raise_for_status()
        tracker = requests.get(
            f"{self.base_url}/conversations/{self.sender}/tracker",
            params={"token": self.token},
            timeout=30,
        ).json()
        self.write(annotation(last_parse(tracker)))
        self.buttons = []
        for message in reply.json():
            if message.get("text"):
                self.write(f"Bot: {message['text']}")
            for button in message.get("buttons", []):
                self.buttons.append(button)
                self.write(f"  {len(self.buttons)}. {button['title']}")


def main() -> int:
    STAFF_SCRATCH.mkdir(parents=True, exist_ok=True)
    env = launcher.isolated_environment(STAFF_SCRATCH, secrets.token_urlsafe(32))
    log = STAFF_SCRATCH / "servers.log"
    processes = []
    try:
        print(
            "Starting the assistant for review (scratch database, no clinic notifications)...",
            flush=True,
        )
        processes.append(launcher.start_action_server(env, log))
        processes.append(launcher.start_rasa_server(env, env["RASA_AUTH_TOKEN"], log))
        shell = StaffShell(f"http://127.0.0.1:{env['RASA_PORT']}", env["RASA_AUTH_TOKEN"])
        print(f"Ready. Conversation {shell.sender}. Server log: {log}", flush=True)
        while True:
            line = input("Your input -> ")
            if line.strip() == "/quit":
                return 0
            if line.strip():
                shell.say(line)
    except (EOFError, KeyboardInterrupt):
        return 0
    finally:
        launcher.stop(processes)


if __name__ == "__main__":
    sys.exit(main())
