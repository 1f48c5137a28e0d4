"""The autouse guard in tests/conftest.py: outbound connections fail the test, loopback works."""

from __future__ import annotations

import socket

import pytest

from tests.conftest import is_local


@pytest.mark.parametrize(
    ("address", "local"),
    [
        (("127.0.0.1", 80), True),
        (("127.8.9.1", 80), True),
        (("::1", 80, 0, 0), True),
        (("localhost", 8000), True),
        ("/run/some.sock", True),
        (("192.0.2.1", 80), False),
        (("8.8.8.8", 53), False),
        (("2001:db8::1", 443, 0, 0), False),
        (("example.org", 443), False),
        (("0.0.0.0", 80), False),  # noqa: S104 - an address looked at, never bound
    ],
)
def test_what_counts_as_local(address, local):
    assert is_local(address) is local


@pytest.mark.parametrize("method", ["connect", "connect_ex"])
def test_an_outbound_connection_fails_the_test(method):
    with socket.socket() as sock, pytest.raises(pytest.fail.Exception, match="192.0.2.1"):
        getattr(sock, method)(("192.0.2.1", 9))


def test_a_host_name_is_refused_before_any_dns_lookup():
    with socket.socket() as sock, pytest.raises(pytest.fail.Exception, match="example.org"):
        sock.connect(("example.org", 80))


def test_loopback_is_allowed():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.socket() as client:
            client.connect(server.getsockname())
            accepted, _ = server.accept()
            accepted.close()
