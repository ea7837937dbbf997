"""The staff console's web server (aiohttp): pages from web/console/, a JSON API and a
server-sent event stream. Nothing but the sign-in page and /health answers without a session;
every POST needs the session's CSRF token (header X-CSRF-Token) and a same-origin Origin; every
view and action is audited (desk.py)."""

import asyncio
import datetime as dt
import json
from typing import Any, Awaitable, Callable, Dict, List, Optional

from aiohttp import web

from clinic_assistant import settings
from clinic_assistant.console.accounts import Accounts, LockedOut, SignedIn, same_token
from clinic_assistant.console.desk import Desk, HeldByOther
from clinic_assistant.console.rasa_api import RasaConversations, RasaUnavailable, transcript
from clinic_assistant.settings import PROJECT_ROOT
from clinic_assistant.tickets.models import Ticket
from clinic_assistant.tickets.store import CONTACT_FIELDS, TicketStore

PAGES = PROJECT_ROOT / "web" / "console"
COOKIE = "console_session"
PUBLIC = {"/login", "/health", "/console.css", "/login.js"}
MAX_NOTE_CHARS = 4_000
MAX_MESSAGE_CHARS = 2_000
# Inbox order: urgent first, then review, then routine; the longest waiting first.
PRIORITY_RANK = {"urgent": 0, "review": 1, "routine": 2}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def promise_minutes(priority: str) -> float:
    """The clinic's promise (clinic.yml handoff): minutes to answer an urgent ticket, and
    callback_within (in hours) for the others."""
    handoff = settings.load_clinic()["handoff"]
    if priority == "urgent":
        return float(handoff["urgent_within_minutes"])
    return float(handoff["callback_within_hours"]) * 60


def inbox_row(ticket: Ticket, holder: Optional[str]) -> Dict[str, Any]:
    due = ticket.created_at + dt.timedelta(minutes=promise_minutes(ticket.priority))
    return {
        "id": ticket.id,
        "priority": ticket.priority,
        "reason": ticket.reason,
        "channel": ticket.channel,
        "status": ticket.status,
        "created_at": ticket.created_at.isoformat() + "Z",
        "updated_at": ticket.updated_at.isoformat() + "Z",
        "due_at": due.isoformat() + "Z",
        "held_by": holder,
        "message": ticket.message[:200],
    }


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    response = await handler(request)
    response.headers.update(
        {
            "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'",
            "X-Frame-Options": "DENY",
            "X-Content-Type-Options": "nosniff",
            # "no-referrer" would make a form POST send "Origin: null".
            "Referrer-Policy": "same-origin",
            "Cache-Control": "no-store",
        }
    )
    return response


class Console:
    def __init__(
        self, db: TicketStore, rasa: RasaConversations, secure_cookie: bool, origin: str = ""
    ) -> None:
        self.tickets = db
        self.accounts = Accounts(db)
        self.desk = Desk(db)
        self.rasa = rasa
        self.secure_cookie = secure_cookie
        self.origin = origin

    def app(self) -> web.Application:
        app = web.Application(
            middlewares=[security_headers, self.signed_in_only], client_max_size=64 * 1024
        )
        app.add_routes(
            [
                web.get("/health", lambda _: web.Response(text="ok")),
                web.get("/login", self.login_page),
                web.post("/login", self.login),
                web.post("/logout", self.logout),
                web.get("/", self.page("inbox.html", "inbox")),
                web.get("/tickets/{id:\\d+}", self.page("ticket.html", None)),
                web.get("/console.css", self.asset("console.css", "text/css")),
                web.get("/console.js", self.asset("console.js", "text/javascript")),
                web.get("/login.js", self.asset("login.js", "text/javascript")),
                web.get("/api/me", self.me),
                web.get("/api/tickets", self.inbox),
                web.get("/api/events", self.events),
                web.get("/api/tickets/{id:\\d+}", self.ticket_view),
                web.post("/api/tickets/{id:\\d+}/typing", self.typing),
                web.post("/api/tickets/{id:\\d+}/{action}", self.ticket_action),
                web.get("/api/audit", self.audit_log),
            ]
        )
        return app

    # ------------------------------------------------------------ access

    @web.middleware
    async def signed_in_only(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.method == "POST" and not self._same_origin(request):
            raise web.HTTPForbidden(text="cross-site request refused")
        if request.path in PUBLIC:
            return await handler(request)
        who = self.accounts.signed_in(request.cookies.get(COOKIE))
        if who is None:
            if request.path.startswith("/api/"):
                raise web.HTTPUnauthorized(text="sign in first")
            raise web.HTTPFound("/login")
        if request.method == "POST" and not same_token(
            request.headers.get("X-CSRF-Token"), who.csrf_token
        ):
            self.desk.audit(who.staff.username, request.path[:32], outcome="csrf refused")
            raise web.HTTPForbidden(text="missing or wrong CSRF token")
        request["who"] = who
        return await handler(request)

    def _same_origin(self, request: web.Request) -> bool:
        """A browser sends Origin with every POST: it must be this console's own (behind the TLS
        proxy, CONSOLE_ORIGIN: the request here is plain HTTP)."""
        origin = request.headers.get("Origin")
        return origin is None or origin == (self.origin or f"{request.scheme}://{request.host}")

    async def login_page(self, request: web.Request) -> web.StreamResponse:
        return web.FileResponse(PAGES / "login.html")

    async def login(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        username = str(form.get("username", ""))[:64]
        password = str(form.get("password", ""))[:256]
        try:
            staff = await asyncio.to_thread(self.accounts.authenticate, username, password)
        except LockedOut:
            self.desk.audit(username, "login", outcome="locked out")
            raise web.HTTPFound("/login?error=locked") from None
        if staff is None:
            self.desk.audit(username, "login", outcome="wrong name or password")
            raise web.HTTPFound("/login?error=wrong")
        self.desk.audit(username, "login")
        response = web.HTTPFound("/")
        response.set_cookie(
            COOKIE,
            self.accounts.open_session(staff),
            httponly=True,
            samesite="Strict",
            secure=self.secure_cookie,
            path="/",
        )
        raise response

    async def logout(self, request: web.Request) -> web.StreamResponse:
        self.accounts.close_session(request.cookies.get(COOKIE))
        self.desk.audit(request["who"].staff.username, "logout")
        response = web.json_response({"signed_out": True})
        response.del_cookie(COOKIE, path="/")
        return response

    # ------------------------------------------------------------ pages

    def page(self, name: str, audited_as: Optional[str]) -> Handler:
        async def serve(request: web.Request) -> web.StreamResponse:
            if audited_as:
                self.desk.audit(request["who"].staff.username, audited_as)
            return web.FileResponse(PAGES / name)

        return serve

    def asset(self, name: str, kind: str) -> Handler:
        async def serve(request: web.Request) -> web.StreamResponse:
            return web.Response(
                body=(PAGES / name).read_bytes(), content_type=kind, charset="utf-8"
            )

        return serve

    async def me(self, request: web.Request) -> web.StreamResponse:
        who: SignedIn = request["who"]
        return web.json_response(
            {
                "username": who.staff.username,
                "display_name": who.staff.display_name,
                "role": who.staff.role,
                "csrf_token": who.csrf_token,
                "clinic": settings.load_clinic()["clinic"]["name"],
            }
        )

    # ------------------------------------------------------------ inbox

    def inbox_rows(self) -> List[Dict[str, Any]]:
        holders = self.desk.holders()
        # Open and claimed ones only: closed tickets must not crowd them out of the limit.
        tickets = [*self.tickets.list("open", limit=500), *self.tickets.list("claimed", limit=500)]
        tickets.sort(key=lambda t: (PRIORITY_RANK.get(t.priority, 3), t.created_at))
        return [inbox_row(t, holders.get(t.id)) for t in tickets]

    async def inbox(self, request: web.Request) -> web.StreamResponse:
        return web.json_response(self.inbox_rows())

    async def events(self, request: web.Request) -> web.StreamResponse:
        """Server-sent events: the inbox again whenever it changes (checked each second, from
        the database, so tickets filed by any action server appear)."""
        stream = web.StreamResponse(
            headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store"}
        )
        await stream.prepare(request)
        cookie, last, beats = request.cookies.get(COOKIE), None, 0
        while True:
            rows = json.dumps(self.inbox_rows())
            if rows != last:
                await stream.write(f"event: inbox\ndata: {rows}\n\n".encode())
                last = rows
            beats += 1
            if beats % 15 == 0:
                # A closed or expired session ends the stream; the comment keeps proxies open.
                if self.accounts.signed_in(cookie) is None:
                    return stream
                await stream.write(b": still here\n\n")
            await asyncio.sleep(1)

    # ------------------------------------------------------------ one ticket

    def _ticket(self, request: web.Request) -> Ticket:
        ticket = self.tickets.get(int(request.match_info["id"]))
        if ticket is None:
            raise web.HTTPNotFound(text="no such ticket")
        return ticket

    async def ticket_view(self, request: web.Request) -> web.StreamResponse:
        who: SignedIn = request["who"]
        ticket = self._ticket(request)
        self.desk.audit(who.staff.username, "view", ticket)
        try:
            tracker = await self.rasa.tracker(ticket.conversation_id)
        except RasaUnavailable:
            tracker = None
        hold = self.desk.hold(ticket.id)
        details = {
            key: value
            for key, value in ticket.as_dict().items()
            if key not in CONTACT_FIELDS and key != "conversation_id"
        }
        details["due_at"] = inbox_row(ticket, None)["due_at"]
        return web.json_response(
            {
                "ticket": details,
                # Only what the person agreed to give, and only with their consent.
                "contact": {field: getattr(ticket, field) for field in CONTACT_FIELDS}
                if ticket.consent
                else None,
                "held_by": hold.display_name if hold else None,
                "held_by_me": bool(hold and hold.staff_id == who.staff.id),
                "taken_over": bool(tracker and tracker.get("paused")),
                "conversation": transcript(tracker) if tracker else None,
                "notes": self.desk.notes(ticket.id),
            }
        )

    async def ticket_action(self, request: web.Request) -> web.StreamResponse:
        who: SignedIn = request["who"]
        ticket = self._ticket(request)
        action = request.match_info["action"]
        body = await request.json() if request.can_read_body else {}
        handler = {
            "claim": self._claim,
            "release": self._release,
            "close": self._close,
            "reopen": self._reopen,
            "note": self._note,
            "take_over": self._take_over,
            "message": self._message,
            "hand_back": self._hand_back,
        }.get(action)
        if handler is None:
            raise web.HTTPNotFound(text="no such action")
        try:
            await handler(who, ticket, body if isinstance(body, dict) else {})
        except web.HTTPException as refused:
            self.desk.audit(who.staff.username, action, ticket, outcome=refused.reason)
            raise
        except RasaUnavailable:
            self.desk.audit(who.staff.username, action, ticket, outcome="assistant unavailable")
            raise web.HTTPBadGateway(text="the assistant did not answer; try again") from None
        self.desk.audit(who.staff.username, action, ticket)
        return web.json_response({"done": action})

    async def typing(self, request: web.Request) -> web.StreamResponse:
        """The holder is typing: the person's widget shows it. Not audited (the page sends it
        every few seconds while the clinician types; the message that follows is audited)."""
        who: SignedIn = request["who"]
        ticket = self._ticket(request)
        self._must_hold(who, ticket)
        if ticket.channel != "socketio":
            return web.json_response({"shown": False})  # no typing signal on other channels
        try:
            await self.rasa.typing(ticket.conversation_id, who.staff.display_name)
        except RasaUnavailable:
            raise web.HTTPBadGateway(text="the assistant did not answer") from None
        return web.json_response({"shown": True})

    def _must_hold(self, who: SignedIn, ticket: Ticket) -> None:
        hold = self.desk.hold(ticket.id)
        if not hold or hold.staff_id != who.staff.id:
            raise web.HTTPConflict(text="claim the ticket first")

    async def _claim(self, who: SignedIn, ticket: Ticket, body: dict) -> None:
        if ticket.status == "closed":
            raise web.HTTPConflict(text="the ticket is closed; reopen it first")
        try:
            self.desk.claim(ticket, who.staff)
        except HeldByOther:
            hold = self.desk.hold_of_conversation(ticket.conversation_id)
            raise web.HTTPConflict(
                text=f"held by {hold.display_name if hold else 'someone else'}"
            ) from None

    async def _release(self, who: SignedIn, ticket: Ticket, body: dict) -> None:
        hold = self.desk.hold(ticket.id)
        if hold and hold.staff_id != who.staff.id and who.staff.role != "admin":
            raise web.HTTPConflict(text=f"held by {hold.display_name}")
        await self._end_take_over(who, ticket)
        self.desk.release(ticket.id)
        self.tickets.set_status(ticket.id, "open")

    async def _close(self, who: SignedIn, ticket: Ticket, body: dict) -> None:
        await self._release(who, ticket, body)
        self.tickets.set_status(ticket.id, "closed")

    async def _reopen(self, who: SignedIn, ticket: Ticket, body: dict) -> None:
        self.tickets.set_status(ticket.id, "open")

    async def _note(self, who: SignedIn, ticket: Ticket, body: dict) -> None:
        text = str(body.get("text", "")).strip()
        if not text or len(text) > MAX_NOTE_CHARS:
            raise web.HTTPBadRequest(text=f"a note is 1 to {MAX_NOTE_CHARS} characters")
        self.desk.add_note(ticket.id, who.staff, text)

    async def _take_over(self, who: SignedIn, ticket: Ticket, body: dict) -> None:
        self._must_hold(who, ticket)
        await self.rasa.take_over(ticket.conversation_id, who.staff.display_name, ticket.channel)

    async def _message(self, who: SignedIn, ticket: Ticket, body: dict) -> None:
        self._must_hold(who, ticket)
        text = str(body.get("text", "")).strip()
        if not text or len(text) > MAX_MESSAGE_CHARS:
            raise web.HTTPBadRequest(text=f"a message is 1 to {MAX_MESSAGE_CHARS} characters")
        tracker = await self.rasa.tracker(ticket.conversation_id)
        if not tracker.get("paused"):
            raise web.HTTPConflict(text="take over the conversation first")
        await self.rasa.say(ticket.conversation_id, who.staff.display_name, text)

    async def _hand_back(self, who: SignedIn, ticket: Ticket, body: dict) -> None:
        self._must_hold(who, ticket)
        await self._end_take_over(who, ticket)

    async def _end_take_over(self, who: SignedIn, ticket: Ticket) -> None:
        tracker = await self.rasa.tracker(ticket.conversation_id)
        if tracker.get("paused"):
            hold = self.desk.hold(ticket.id)
            await self.rasa.hand_back(
                ticket.conversation_id,
                hold.display_name if hold else who.staff.display_name,
                ticket.channel,
            )

    async def audit_log(self, request: web.Request) -> web.StreamResponse:
        who: SignedIn = request["who"]
        if who.staff.role != "admin":
            self.desk.audit(who.staff.username, "audit", outcome="not an admin")
            raise web.HTTPForbidden(text="admins only")
        self.desk.audit(who.staff.username, "audit")
        return web.json_response(self.desk.audit_log())


def rasa_url(env: Dict[str, str]) -> str:
    """CONSOLE_RASA_URL, or this machine's Rasa."""
    if env["CONSOLE_RASA_URL"]:
        return env["CONSOLE_RASA_URL"]
    host = "127.0.0.1" if env["RASA_INTERFACE"] in ("0.0.0.0", "::") else env["RASA_INTERFACE"]
    return f"http://{host}:{env['RASA_PORT']}"


def make_console(env: Dict[str, str]) -> Console:
    return Console(
        TicketStore(env["HANDOFF_DB_URL"]),
        RasaConversations(rasa_url(env), env["RASA_AUTH_TOKEN"]),
        secure_cookie=env["CONSOLE_SECURE_COOKIE"].lower() == "true",
        origin=env["CONSOLE_ORIGIN"],
    )
