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


class MemoryLockStore(AtomicRedisLockStore):
    """The lock store with its Redis replaced by one lock in memory, changed as in Redis."""

    def __init__(self) -> None:
        super().__init__(host="localhost")
        self.stored = TicketLock("conv")

    def _change(self, conversation_id, change, create=False):
        result = change(self.stored)
        self.stored.remove_expired_tickets()
        return result

    def get_lock(self, conversation_id):
        self.stored.remove_expired_tickets()
        return self.stored if self.stored.tickets else None


@pytest.fixture
def short_tickets(monkeypatch):
    monkeypatch.setattr("clinic_assistant.lock_store.TICKET_LIFETIME_S", 0.3)
    monkeypatch.setenv("LOCK_WAIT_SECONDS", "5")


def test_a_crashed_instances_turn_stops_blocking_the_conversation(short_tickets):
    # Before this, the dead turn's ticket lived 60 s, longer than LOCK_WAIT_SECONDS (30 s).
    store = MemoryLockStore()
    dead = store.issue_ticket("conv", 0.3)  # the instance serving it was killed: never renewed

    async def next_turn():
        async with store.lock("conv", wait_time_in_seconds=0.05):
            return [t.number for t in store.stored.tickets]

    assert dead not in asyncio.run(next_turn())
    assert store.get_lock("conv") is None  # finished and cleaned up


def test_a_live_turn_keeps_its_ticket_however_long_it_takes(short_tickets, monkeypatch):
    store = MemoryLockStore()

    async def long_turn_and_a_queued_message():
        async with store.lock("conv", wait_time_in_seconds=0.05):
            monkeypatch.setenv("LOCK_WAIT_SECONDS", "0.8")
            queued = asyncio.create_task(store.lock("conv", wait_time_in_seconds=0.05).__aenter__())
            await asyncio.sleep(1.2)  # four ticket lifetimes
            return queued

    queued = asyncio.run(long_turn_and_a_queued_message())
    # The queued message never ran beside the long turn: it waited, then was given up.
    assert isinstance(queued.exception(), LockError)
