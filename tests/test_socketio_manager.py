"""Several Rasa instances serving the widget (README "Scaling out"): with SOCKETIO_MANAGER=redis
our socket.io channel's AsyncServer shares its emits through python-socketio's AsyncRedisManager,
built from the lock store's Redis settings; by default it keeps them in this process.
`make scale-test` delivers a clinician's reply across two instances for real."""

import pytest
import socketio

from clinic_assistant import settings
from clinic_assistant.channels.webchat import SocketIOInput


def built_channel() -> SocketIOInput:
    channel = SocketIOInput(session_persistence=True)
    channel.blueprint(lambda message: None)
    return channel


def test_with_the_setting_the_server_shares_its_emits_through_redis(monkeypatch):
    monkeypatch.setenv("SOCKETIO_MANAGER", "redis")
    monkeypatch.setenv("REDIS_HOST", "redis.internal")
    monkeypatch.setenv("REDIS_PORT", "6380")
    monkeypatch.setenv("REDIS_PASSWORD", "p@ss/word")
    sio = built_channel().sio
    assert isinstance(sio.manager, socketio.AsyncRedisManager)
    assert sio.manager.server is sio
    assert sio.manager.redis_url == "redis://:p%40ss%2Fword@redis.internal:6380"
    connection = sio.manager.redis.connection_pool.connection_kwargs
    assert (connection["host"], connection["port"], connection["password"]) == (
        "redis.internal",
        6380,
        "p@ss/word",
    )


def test_without_it_the_server_keeps_its_emits_in_this_process(monkeypatch):
    monkeypatch.delenv("SOCKETIO_MANAGER", raising=False)
    sio = built_channel().sio
    assert type(sio.manager) is socketio.AsyncManager
    assert sio.manager.server is sio


def test_a_misspelt_manager_is_an_error_not_a_silent_single_instance(monkeypatch):
    monkeypatch.setenv("SOCKETIO_MANAGER", "rediss")
    with pytest.raises(ValueError, match="SOCKETIO_MANAGER"):
        settings.socketio_redis_url()
