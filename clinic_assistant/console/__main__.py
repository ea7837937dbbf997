"""The staff console: serve it, or manage staff accounts.

    python -m clinic_assistant.console serve
    python -m clinic_assistant.console staff add USERNAME --name Dana [--role admin]
    python -m clinic_assistant.console staff password USERNAME

The password is asked for twice (or read from STAFF_PASSWORD, for scripts); it is never an
argument, so it stays out of the shell history and `ps`.
"""

import argparse
import getpass
import os
import sys

from aiohttp import web

from clinic_assistant.console.accounts import Accounts
from clinic_assistant.console.models import ROLES
from clinic_assistant.console.server import make_console
from clinic_assistant.settings import environment
from clinic_assistant.tickets.store import TicketStore


def read_password() -> str:
    if os.environ.get("STAFF_PASSWORD"):
        return os.environ["STAFF_PASSWORD"]
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Again: "):
        sys.exit("The two passwords differ; nothing changed.")
    return first


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="serve the console (CONSOLE_INTERFACE:CONSOLE_PORT)")
    staff = commands.add_parser("staff", help="staff accounts").add_subparsers(
        dest="staff_command", required=True
    )
    add = staff.add_parser("add", help="create an account")
    add.add_argument("username")
    add.add_argument("--name", required=True, help='how patients see them: "Dana"')
    add.add_argument("--role", choices=ROLES, default="clinician")
    password = staff.add_parser("password", help="set a new password (also lifts a lock-out)")
    password.add_argument("username")
    args = parser.parse_args()

    env = environment()
    if args.command == "serve":
        web.run_app(
            make_console(env).app(),
            host=env["CONSOLE_INTERFACE"],
            port=int(env["CONSOLE_PORT"]),
            access_log=None,
            print=None,
        )
        return 0
    accounts = Accounts(TicketStore(env["HANDOFF_DB_URL"]))
    try:
        if args.staff_command == "add":
            staff_member = accounts.add(args.username, args.name, args.role, read_password())
            print(f"Added {staff_member.username} ({staff_member.role}).")
        else:
            accounts.set_password(args.username, read_password())
            print(f"New password set for {args.username}.")
    except ValueError as error:
        sys.exit(f"Nothing changed: {error}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
