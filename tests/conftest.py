"""Fixtures shared by every test; the web fixtures (app, client, runner, clinician) join later."""

from __future__ import annotations

import contextlib
import importlib
import ipaddress
import socket
import warnings
from pathlib import Path
from typing import Any

import pytest

from riskcheck.loader import load_questionnaire
from riskcheck.questionnaire import Questionnaire

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def mood() -> Questionnaire:
    """tests/data/mood.yaml: small, complete and immutable, so one load serves every test."""
    return load_questionnaire(DATA / "mood.yaml")


# -- no outbound network (as Indico's disallow.py) ---------------------------------------------

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def is_local(address: Any) -> bool:
    """Whether a socket address stays on this machine (loopback, or a Unix socket path)."""
    if not isinstance(address, tuple):
        return True  # AF_UNIX: a path or an abstract name
    host = str(address[0]).split("%")[0]
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name would need an outside DNS look-up


def _guarded(real: Any) -> Any:
    def connect(self: socket.socket, address: Any) -> Any:
        if not is_local(address):
            pytest.fail(f"a test tried to connect to {address!r}; tests must stay offline")
        return real(self, address)

    return connect


@pytest.fixture(autouse=True)
def _no_outbound_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that connects anywhere but loopback (browser tests use 127.0.0.1)."""
    monkeypatch.setattr(socket.socket, "connect", _guarded(_real_connect))
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded(_real_connect_ex))


# -- hypothesis failure reports under filterwarnings = error ----------------------------------


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    """Let a failing property report its example instead of an INTERNALERROR.

    Hypothesis imports libcst to suggest a patch for a failing test; libcst's import warns
    (mypy_extensions.TypedDict) and ``filterwarnings = error`` turns that into a crash of the
    report. Importing it first, quietly, leaves the module cached for hypothesis.
    """
    if getattr(item, "_hypothesis_failing_examples", None):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            with contextlib.suppress(ImportError):
                importlib.import_module("hypothesis.extra._patching")
    return (yield)
