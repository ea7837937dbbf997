"""Clinical sign-off: a named clinician approved the exact text of a response.

content/signoff.yml holds one record per response of domain/responses/:

    utter_ptsd_what_is:
      status: signed            # signed | pending
      last_signoff:             # null until a clinician first signs it
        reviewer: "Dr. A. Example"
        role: "Medical director"
        date: "2026-12-01"
        sha256: 5f1c...         # hash of `text` below
        text: |-                # what was signed: every variation, as in `content()`
          ...

A signed record holds only while the response's text still hashes to its sha256: any change
to the text makes it stale, and `problems()` (run by the tests, so `make test` fails) reports
it until the record is reset to pending. A reset keeps `last_signoff`, so the review packet
can show what changed since. A response with no record is pending.

    python -m clinic_assistant.signoff sign utter_x [utter_y ...] --reviewer NAME --role ROLE
    python -m clinic_assistant.signoff reset utter_x [...]   # back to pending after a change
    python -m clinic_assistant.signoff sync                  # a pending record for every response
"""

import argparse
import datetime as dt
import hashlib
import sys
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Set

import yaml

from clinic_assistant import catalogue
from clinic_assistant.settings import PROJECT_ROOT

RESPONSES_DIR = PROJECT_ROOT / "domain" / "responses"
SIGNOFF_FILE = PROJECT_ROOT / "content" / "signoff.yml"
SIGNED, PENDING, STALE = "signed", "pending", "stale"

HEADER = """\
# Clinical sign-off of every response (clinic_assistant/signoff.py, README "Clinical review").
# A record is "signed" only for the exact text a named clinician approved (its sha256); change the
# text and `make test` fails until the record is reset to pending:
#   python -m clinic_assistant.signoff reset utter_x
# Record a sign-off only after the clinician has approved the text in the review packet:
#   python -m clinic_assistant.signoff sign utter_x --reviewer "Dr. ..." --role "Medical director"
"""

Variations = List[Dict[str, Any]]


def load_responses(folder: Path = RESPONSES_DIR) -> Dict[str, Variations]:
    """Every response of the domain, by name, as written in domain/responses/."""
    responses: Dict[str, Variations] = {}
    for path in sorted(folder.glob("*.yml")):
        responses.update(yaml.safe_load(path.read_text(encoding="utf-8"))["responses"])
    return responses


def describe_condition(condition: List[Mapping[str, Any]]) -> str:
    return " and ".join(f"{c['name']} is {c['value']}" for c in condition)


def content(variations: Variations) -> str:
    """What a clinician signs: each variation's text and button titles, with the condition it is
    sent under. Sources and other metadata are shown to the reviewer but are not part of it."""
    parts = []
    for variation in variations:
        lines = []
        if variation.get("condition"):
            lines.append(f"[when {describe_condition(variation['condition'])}]")
        lines.append(variation.get("text") or "")
        titles = [button["title"] for button in variation.get("buttons") or []]
        if titles:
            lines.append("Buttons: " + " | ".join(titles))
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_records(path: Path = SIGNOFF_FILE) -> Dict[str, Dict[str, Any]]:
    if not path.is_file():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def save_records(records: Mapping[str, Any], path: Path = SIGNOFF_FILE) -> None:
    body = yaml.safe_dump(dict(sorted(records.items())), sort_keys=False, allow_unicode=True)
    path.write_text(HEADER + body, encoding="utf-8")


def state(variations: Variations, record: Optional[Mapping[str, Any]]) -> str:
    """signed (this exact text was approved), pending, or stale (signed, then changed)."""
    if not record or record.get("status") != SIGNED:
        return PENDING
    last = record.get("last_signoff") or {}
    return SIGNED if last.get("sha256") == digest(content(variations)) else STALE


def problems(responses: Mapping[str, Variations], records: Mapping[str, Any]) -> List[str]:
    """Why the sign-off record can't be trusted as it stands; empty when it can."""
    found = []
    for name, record in records.items():
        if (record or {}).get("status") not in (SIGNED, PENDING):
            found.append(f"{name}: status must be {SIGNED} or {PENDING}")
            continue
        if record["status"] != SIGNED:
            continue
        last = record.get("last_signoff") or {}
        missing = [k for k in ("reviewer", "role", "date", "sha256", "text") if not last.get(k)]
        if missing:
            found.append(f"{name}: signed without {', '.join(missing)}")
        elif name not in responses:
            found.append(f"{name}: signed, but the response no longer exists; remove its record")
        elif digest(last["text"]) != last["sha256"]:
            found.append(f"{name}: the signed text does not match its sha256")
        elif state(responses[name], record) == STALE:
            found.append(
                f"{name}: changed since {last['reviewer']} signed it on {last['date']}; "
                f"reset it to pending: python -m clinic_assistant.signoff reset {name}"
            )
    return found


def pending(responses: Mapping[str, Variations], records: Mapping[str, Any]) -> List[str]:
    return sorted(n for n, v in responses.items() if state(v, records.get(n)) != SIGNED)


def reviewed_answers(responses: Mapping[str, Variations]) -> Set[str]:
    """Answers that state facts: educate topics' answers that cite sources, outside the safety
    group (grounding in distress is always sent)."""
    topics = {t.response: t for t in catalogue.topics() if t.routing == "educate"}
    return {
        name
        for name, variations in responses.items()
        if name in topics
        and topics[name].group != "safety"
        and any((v.get("metadata") or {}).get("sources") for v in variations)
    }


def withheld(responses: Mapping[str, Variations], records: Mapping[str, Any], on: bool) -> Set[str]:
    """The answers not served: none unless the clinic's setting is on."""
    if not on:
        return set()
    waiting = set(pending(responses, records))
    return reviewed_answers(responses) & waiting


def pending_report(responses: Mapping[str, Variations], records: Mapping[str, Any]) -> str:
    """The start log's line: how many responses a clinician has signed, and which are pending."""
    waiting = pending(responses, records)
    signed = len(responses) - len(waiting)
    line = f"Clinical sign-off: {signed} of {len(responses)} responses signed"
    if not waiting:
        return line + "."
    return f"{line}; pending ({len(waiting)}): {', '.join(waiting)}"


def start_report(serve_only_signed: bool) -> str:
    """What the start log says about sign-off (clinic.yml review.serve_only_signed)."""
    responses, records = load_responses(), load_records(SIGNOFF_FILE)
    report = pending_report(responses, records)
    if serve_only_signed:
        held = withheld(responses, records, on=True)
        report += (
            f"\nServing only signed-off answers: {len(held)} answered with the clinic's contact "
            "instead (clinic.yml review.serve_only_signed)."
        )
    return report


def sign(
    records: Dict[str, Any], name: str, variations: Variations, reviewer: str, role: str, date: str
) -> None:
    text = content(variations)
    records[name] = {
        "status": SIGNED,
        "last_signoff": {
            "reviewer": reviewer,
            "role": role,
            "date": date,
            "sha256": digest(text),
            "text": text,
        },
    }


def reset(records: Dict[str, Any], name: str) -> None:
    record = records.setdefault(name, {"last_signoff": None})
    record["status"] = PENDING


def sync(records: Dict[str, Any], responses: Mapping[str, Variations]) -> None:
    """A pending record for each response without one; unsigned records of removed responses go."""
    for name in responses:
        records.setdefault(name, {"status": PENDING, "last_signoff": None})
    for name in [n for n, r in records.items() if n not in responses and r["status"] != SIGNED]:
        del records[name]


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    signing = commands.add_parser("sign", help="record a clinician's approval of these responses")
    signing.add_argument("names", nargs="+")
    signing.add_argument("--reviewer", required=True)
    signing.add_argument("--role", required=True)
    signing.add_argument("--date", default=dt.date.today().isoformat())
    resetting = commands.add_parser("reset", help="set these responses back to pending")
    resetting.add_argument("names", nargs="+")
    commands.add_parser("sync", help="add a pending record for every response without one")
    args = parser.parse_args(argv)

    responses, records = load_responses(), load_records(SIGNOFF_FILE)
    unknown = [n for n in getattr(args, "names", []) if n not in responses]
    if unknown:
        print(f"No such response: {', '.join(unknown)}", file=sys.stderr)
        return 2
    if args.command == "sign":
        for name in args.names:
            sign(records, name, responses[name], args.reviewer, args.role, args.date)
    elif args.command == "reset":
        for name in args.names:
            reset(records, name)
    else:
        sync(records, responses)
    save_records(records, SIGNOFF_FILE)
    print(pending_report(responses, records))
    return 0


if __name__ == "__main__":
    sys.exit(main())
