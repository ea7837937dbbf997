"""Handoff tickets: storage, the staff command line and webhook delivery with retries."""

import json

import pytest

from clinic_assistant.tickets import __main__ as tickets_cli
from clinic_assistant.tickets.notifier import deliver_in_background, deliver_pending


def test_a_filed_ticket_is_stored_with_its_details(ticket_store):
    ticket = ticket_store.file(
        "conv-1", "medical_dosage", "routine", "how much should I take", "rest"
    )
    stored = ticket_store.get(ticket.id)
    assert (stored.conversation_id, stored.reason, stored.priority, stored.channel) == (
        "conv-1",
        "medical_dosage",
        "routine",
        "rest",
    )
    assert (stored.status, stored.notification_status, stored.consent, stored.contact_value) == (
        "open",
        "pending",
        False,
        None,
    )


def test_unknown_priority_is_refused(ticket_store):
    with pytest.raises(ValueError):
        ticket_store.file("conv-1", "crisis", "whenever")


def test_a_priority_is_raised_never_lowered_and_a_raised_ticket_is_delivered_again(
    ticket_store,
):
    ticket = ticket_store.file(conversation_id="c1", reason="book_consultation", priority="routine")
    ticket_store.mark_not_configured(ticket.id)
    assert ticket_store.raise_priority(ticket.id, "review").priority == "review"
    assert ticket_store.get(ticket.id).notification_status == "pending"
    ticket_store.raise_priority(ticket.id, "urgent")
    assert ticket_store.raise_priority(ticket.id, "review").priority == "urgent"


def test_webhook_delivery_retries_after_failures(ticket_store, webhook_factory):
    webhook = webhook_factory(failures=2)
    ticket = ticket_store.file("conv-2", "crisis", "urgent", "help")
    assert deliver_pending(ticket_store, webhook.url, backoff=0.01) == 1
    assert [body["ticket"]["id"] for body in webhook.received] == [ticket.id]
    assert webhook.received[0]["ticket"]["priority"] == "urgent"
    stored = ticket_store.get(ticket.id)
    assert (stored.notification_status, stored.notification_attempts) == ("sent", 3)


def test_failed_delivery_keeps_the_ticket_and_a_later_pass_delivers_it(
    ticket_store, webhook_factory
):
    webhook = webhook_factory(failures=10)
    ticket = ticket_store.file("conv-3", "talk_to_human", "routine")
    assert deliver_pending(ticket_store, webhook.url, attempts=2, backoff=0.01) == 0
    assert ticket_store.get(ticket.id).notification_status == "failed"
    webhook.failures = 0
    assert deliver_pending(ticket_store, webhook.url, attempts=2, backoff=0.01) == 1
    assert ticket_store.get(ticket.id).notification_status == "sent"
    assert len(webhook.received) == 1


def test_unreachable_webhook_does_not_lose_the_ticket(ticket_store):
    ticket = ticket_store.file("conv-4", "crisis", "urgent")
    assert deliver_pending(ticket_store, "http://127.0.0.1:9/closed", attempts=2, backoff=0.01) == 0
    assert ticket_store.get(ticket.id).notification_status == "failed"


def test_without_a_webhook_tickets_are_marked_not_configured(ticket_store):
    ticket = ticket_store.file("conv-5", "book_consultation", "routine")
    deliver_pending(ticket_store, "")
    assert ticket_store.get(ticket.id).notification_status == "not_configured"


def test_staff_list_show_and_close_tickets(ticket_store, capsys):
    routine = ticket_store.file("conv-6", "medical_medication", "routine")
    urgent = ticket_store.file("conv-7", "crisis", "urgent")
    assert tickets_cli.main(["list"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[0].startswith(f"#{urgent.id}") and "urgent" in listing[0]
    assert any(line.startswith(f"#{routine.id}") for line in listing)
    assert tickets_cli.main(["close", str(routine.id)]) == 0
    assert ticket_store.get(routine.id).status == "closed"
    capsys.readouterr()
    assert tickets_cli.main(["show", str(routine.id)]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "closed"
    assert tickets_cli.main(["list", "--status", "open"]) == 0
    assert f"#{routine.id}" not in capsys.readouterr().out
    assert tickets_cli.main(["show", "99999"]) == 1


def test_delivery_is_urgent_first_with_a_stable_delivery_id(ticket_store, webhook_factory):
    routine = ticket_store.file("conv-r", "medical_dosage", "routine", "dose?")
    review = ticket_store.file("conv-v", "possible_risk", "review", "hmm")
    urgent = ticket_store.file("conv-u", "crisis", "urgent", "help")
    webhook = webhook_factory()
    assert deliver_pending(ticket_store, webhook.url, backoff=0.01) == 3
    order = [body["ticket"]["id"] for body in webhook.received]
    assert order == [urgent.id, review.id, routine.id]
    ids = {body["delivery_id"] for body in webhook.received}
    assert len(ids) == 3 and all(i.startswith("ticket-") for i in ids)


def test_a_ticket_claimed_by_one_sender_is_skipped_by_another(ticket_store, webhook_factory):
    from clinic_assistant.tickets.store import TicketStore

    ticket = ticket_store.file("conv-c", "crisis", "urgent", "help")
    other_server = TicketStore(ticket_store.url)  # a second action server, same database
    assert other_server.claim_delivery(ticket.id)
    assert not ticket_store.claim_delivery(ticket.id)
    webhook = webhook_factory()
    assert deliver_pending(ticket_store, webhook.url, backoff=0.01) == 0
    assert webhook.received == []  # not sent twice


def test_a_worker_still_sending_picks_up_the_store_and_webhook_of_the_latest_ticket(
    ticket_store, webhook_factory, tmp_path
):
    from clinic_assistant.tickets.store import TicketStore

    slow, current = webhook_factory(failures=2), webhook_factory()
    ticket_store.file("conv-6", "talk_to_human", "routine")
    deliver_in_background(ticket_store, slow.url)  # busy for a second of backoff
    replaced = TicketStore(f"sqlite:///{tmp_path / 'replaced.db'}")
    ticket = replaced.file("conv-7", "crisis", "urgent")
    deliver_in_background(replaced, current.url)
    assert [t["id"] for t in current.wait_for_tickets(1)] == [ticket.id]
    assert len(slow.wait_for_tickets(1)) == 1
