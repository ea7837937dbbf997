"""Access control of the running servers: loopback only, and the HTTP API behind its token."""

import socket

import requests

from tests.e2e.conftest import TOKEN

LISTEN = "0A"


def listening_addresses(port: int) -> set:
    """Local addresses with a socket listening on `port`, from the kernel's own table."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as handle:
            for line in list(handle)[1:]:
                local, state = line.split()[1], line.split()[3]
                address, hex_port = local.split(":")
                if state == LISTEN and int(hex_port, 16) == port:
                    found.add(address)
    return found


def test_the_action_server_and_rasa_listen_on_loopback_only(servers):
    loopback = socket.inet_aton("127.0.0.1")[::-1].hex().upper()  # /proc/net/tcp is little-endian
    for port in (servers.env["ACTION_PORT"], servers.env["RASA_PORT"]):
        assert listening_addresses(int(port)) == {loopback}, f"port {port}"


def test_every_api_route_needs_the_token(servers):
    for path in ("/status", "/conversations/someone/tracker", "/domain", "/model/parse"):
        method = requests.post if path == "/model/parse" else requests.get
        assert (
            method(f"{servers.base_url}{path}", json={"text": "hi"}, timeout=10).status_code == 401
        ), path
        assert (
            method(
                f"{servers.base_url}{path}",
                params={"token": "wrong"},
                json={"text": "hi"},
                timeout=10,
            ).status_code
            == 401
        ), path
    assert requests.get(f"{servers.base_url}/status", params={"token": TOKEN}, timeout=10).ok


def test_a_wrong_token_is_refused_by_the_constant_time_check_even_when_odd(servers):
    # Rasa compares the token with ==; the channels' check (safety_net.check_api_token) answers
    # first, with hmac.compare_digest. Its refusal carries no Rasa "version" field.
    for wrong in ("wrong", TOKEN[:-1], TOKEN + "x", "t\u00e9st"):
        refused = requests.get(f"{servers.base_url}/status", params={"token": wrong}, timeout=10)
        assert refused.status_code == 401, wrong
        assert refused.json()["reason"] == "NotAuthenticated" and "version" not in refused.json()
