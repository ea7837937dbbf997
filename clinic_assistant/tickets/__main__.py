"""Staff command line for handoff tickets.

python -m clinic_assistant.tickets list [--status open|claimed|closed]
python -m clinic_assistant.tickets show ID
python -m clinic_assistant.tickets claim ID | close ID | reopen ID
python -m clinic_assistant.tickets retry        # re-send undelivered webhook notifications
"""

import argparse
import json
import sys

from clinic_assistant import settings
from clinic_assistant.tickets.models import STATUSES
from clinic_assistant.tickets.notifier import deliver_pending
from clinic_assistant.tickets.store import TicketStore

STATUS_FOR_COMMAND = {"claim": "claimed", "close": "closed", "reopen": "open"}


def format_row(ticket) -> str:
    return (
        f"#{ticket.id:<5} {ticket.created_at:%Y-%m-%d %H:%M}Z  {ticket.priority:<7} "
        f"{ticket.status:<7} "
        f"{ticket.reason:<22} {ticket.channel:<9} {ticket.conversation_id}"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="tickets", description="Handoff tickets for clinic staff."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="list tickets, urgent first")
    listing.add_argument("--status", choices=STATUSES)
    for name in ("show", *STATUS_FOR_COMMAND):
        commands.add_parser(name).add_argument("ticket_id", type=int)
    commands.add_parser("retry", help="re-send undelivered notifications to the clinic webhook")
    args = parser.parse_args(argv)

    store = TicketStore()
    if args.command == "list":
        tickets = store.list(status=args.status)
        print("\n".join(format_row(t) for t in tickets) if tickets else "No tickets.")
    elif args.command == "show":
        ticket = store.details(args.ticket_id)
        if not ticket:
            print(f"No ticket #{args.ticket_id}.", file=sys.stderr)
            return 1
        print(json.dumps(ticket, indent=2))
    elif args.command == "retry":
        delivered = deliver_pending(store, settings.webhook_url(settings.load_clinic()))
        print(f"Delivered {delivered} notification(s).")
    else:
        ticket = store.set_status(args.ticket_id, STATUS_FOR_COMMAND[args.command])
        if not ticket:
            print(f"No ticket #{args.ticket_id}.", file=sys.stderr)
            return 1
        print(f"Ticket #{ticket.id} is now {ticket.status}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
