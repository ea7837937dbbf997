"""Floods (issue 17): rate limits per conversation and per address, and one urgent ticket per
conversation per window. Against the running servers in tests/e2e/test_security.py."""

import asyncio

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from clinic_assistant.channels.safety_net import RateLimiter, limited_reply, never_silent


def test_a_rate_limiter_allows_its_limit_per_key_in_the_window():
    limiter = RateLimiter(limit=3, window=60)
    assert [limiter.allow("a") for _ in range(5)] == [True, True, True, False, False]
    assert limiter.allow("b")  # another key has its own budget
    assert all(RateLimiter(limit=0).allow("a") for _ in range(100))  # 0: no limit
    short = RateLimiter(limit=1, window=0.05)
    assert short.allow("a") and not short.allow("a")
    asyncio.run(asyncio.sleep(0.06))
    assert short.allow("a")


def test_a_rate_limiter_remembers_a_bounded_number_of_keys():
    limiter = RateLimiter(limit=1, keys=100)
    for key in range(1000):
        limiter.allow(str(key))
    assert len(limiter._events) <= 100


def test_a_limited_message_is_not_processed_and_still_gets_every_crisis_line(monkeypatch):
    monkeypatch.setenv("RATE_LIMIT_PER_CONVERSATION", "2")
    processed = []

    async def turn(message):
        processed.append(message.text)
        await message.output_channel.send_text_message(message.sender_id, "answer")

    handle = never_silent(turn)
    output = CollectingOutputChannel()
    for _ in range(4):
        asyncio.run(handle(UserMessage("I want to die", output, "flooded")))
    assert processed == ["I want to die"] * 2
    limited = [m["text"] for m in output.messages[2:]]
    assert limited == [limited_reply()] * 2
    for line in ("911", "988", "838255", "741741", "(555) 010-0142"):
        assert line in limited[0]
    other = CollectingOutputChannel()
    asyncio.run(handle(UserMessage("hi", other, "someone-else")))
    assert other.messages[0]["text"] == "answer"


def test_one_urgent_ticket_per_conversation_per_window(ticket_store, monkeypatch):
    first = ticket_store.file("conv-f", "crisis", "urgent", "i want to die")
    again = ticket_store.file("conv-f", "crisis", "urgent", "please help, call 555-222-3333")
    assert again.id == first.id
    assert ticket_store.get(first.id).message == "please help, call [phone]"  # the latest turn
    assert ticket_store.file("conv-g", "crisis", "urgent", "help").id != first.id
    assert ticket_store.file("conv-f", "medical", "routine", "dose?").id != first.id
    ticket_store.set_status(first.id, "closed")
    after_close = ticket_store.file("conv-f", "crisis", "urgent", "still here")
    assert after_close.id != first.id  # a closed ticket is not reopened silently
    monkeypatch.setenv("URGENT_TICKET_WINDOW_MINUTES", "0")
    assert ticket_store.file("conv-f", "crisis", "urgent", "later").id != after_close.id
    urgent = [t for t in ticket_store.list() if t.priority == "urgent"]
    assert len(urgent) == 4
