"""Staff command line for stored conversations (README "Privacy").

python -m clinic_assistant.privacy purge DAYS          # make purge DAYS=30
python -m clinic_assistant.privacy forget CONVERSATION # make forget ID=<conversation id>
"""

import argparse
import sys
from typing import List, Optional

from clinic_assistant.privacy.retention import Retention


def days_argument(value: str) -> int:
    if not value.strip():
        raise argparse.ArgumentTypeError(
            "DAYS is required: `make purge DAYS=30` deletes conversations and closed tickets older "
            "than 30 days"
        )
    try:
        days = int(value)
    except ValueError:
        days = 0
    if days < 1:
        raise argparse.ArgumentTypeError(
            f"DAYS must be a whole number of days, 1 or more (got {value!r})"
        )
    return days


def conversation_argument(value: str) -> str:
    if not value.strip():
        raise argparse.ArgumentTypeError(
            "ID is required: `make forget ID=<conversation id>` (the ticket's conversation_id, or "
            "the sender id)"
        )
    return value


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="privacy", description="Delete stored conversations and tickets."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    purge = commands.add_parser(
        "purge", help="delete conversations and closed tickets older than DAYS days"
    )
    purge.add_argument("days", type=days_argument, metavar="DAYS")
    forget = commands.add_parser(
        "forget", help="delete one conversation (its tickets stay, without the message)"
    )
    forget.add_argument("conversation_id", type=conversation_argument, metavar="ID")
    args = parser.parse_args(argv)

    retention = Retention()
    if args.command == "purge":
        purged = retention.purge(args.days)
        print(
            f"Deleted {purged.conversations} conversation(s) ({purged.events} events) with no "
            "message in the "
            f"last {args.days} day(s), and {purged.tickets} closed ticket(s) last changed before "
            "then."
        )
        return 0
    forgotten = retention.forget(args.conversation_id)
    if not forgotten.events and not forgotten.kept_tickets:
        print(f"No conversation {args.conversation_id!r}.", file=sys.stderr)
        return 1
    print(f"Deleted conversation {args.conversation_id!r} ({forgotten.events} events).")
    if forgotten.kept_tickets:
        ids = ", ".join(f"#{ticket_id}" for ticket_id in forgotten.kept_tickets)
        print(
            f"Kept its ticket(s) {ids} without the message text: close them with `make tickets` "
            "when done."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
