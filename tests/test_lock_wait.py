"""A waiting lock ticket is given up after LOCK_WAIT_SECONDS (clinic_assistant/lock_store.py),
so a flood on one conversation cannot hold its next message for ever. No Redis here: the lock
is held in memory; tests/scale runs the store against a real Redis."""

import asyncio

import pytest
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LockError

from clinic_assistant.lock_store import AtomicRedisLockStore


class HeldLock(AtomicRedisLockStore):
    """The lock store with its Redis replaced by one lock whose first ticket never finishes."""

    def __init__(self) -> None:
        super().__init__(host="localhost")  # the client connects lazily: never here
        self.lock = TicketLock("conv")
        self.lock.issue_ticket(60)  # the turn being served, for ever (kept alive by a flood)
        self.waiting = self.lock.issue_ticket(60)
        self.given_up = []

    def get_lock(self, conversation_id):
        return self.lock

    def _keep_alive(self, conversation_id, ticket_number):
        pass

    def finish_serving(self, conversation_id, ticket_number):
        self.given_up.append(ticket_number)
        self.lock.remove_ticket_for(ticket_number)


def test_a_waiting_ticket_is_given_up_after_the_wait_limit(monkeypatch):
    monkeypatch.setenv("LOCK_WAIT_SECONDS", "0.3")
    store = HeldLock()
    with pytest.raises(LockError):
        asyncio.run(store._acquire_lock("conv", store.waiting, 0.05))
    assert store.given_up == [store.waiting]
    assert [t.number for t in store.lock.tickets] == [0]  # the queue no longer holds it


def test_a_ticket_whose_turn_comes_is_served(monkeypatch):
    monkeypatch.setenv("LOCK_WAIT_SECONDS", "5")
    store = HeldLock()
    store.lock.remove_ticket_for(0)
    assert asyncio.run(store._acquire_lock("conv", store.waiting, 0.05)) is store.lock
    assert store.given_up == []
