"""Browser tests: the app on a live server, driven by Playwright with Debian's chromium."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
OFFLINE_ARGS = [
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
    "--disable-features=AutofillServerCommunication,OptimizationHints,MediaRouter,Translate",
    "--disable-sync",
    "--no-pings",
    "--disable-background-networking",
    "--disable-component-update",
]
SHIPPED = Path(__file__).resolve().parents[2] / "questionnaires"
DATA = Path(__file__).resolve().parents[1] / "data"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "functional" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:  # type: ignore[type-arg]
    if not Path(CHROMIUM).exists():
        pytest.fail(f"chromium not found at {CHROMIUM}: apt-get install -y chromium (see .ci/run)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [*browser_type_launch_args.get("args", []), *OFFLINE_ARGS],
    }


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The app serving the shipped questionnaires plus tests/data/mood.yaml (see live_server);
    tests use it to create clinician accounts."""
    folder = tmp_path_factory.mktemp("questionnaires")
    for path in [*SHIPPED.glob("*.yaml"), DATA / "mood.yaml"]:
        shutil.copy(path, folder / path.name)
    names = ("RISKCHECK_ENV", "RISKCHECK_QUESTIONNAIRES", "RISKCHECK_DATABASE_URL")
    saved = {k: os.environ.get(k) for k in names}
    os.environ["RISKCHECK_ENV"] = "testing"
    os.environ["RISKCHECK_QUESTIONNAIRES"] = str(folder)
    os.environ["RISKCHECK_DATABASE_URL"] = f"sqlite:///{folder.parent / 'browser.sqlite'}"
    from riskcheck import create_app

    app = create_app({"TESTING": True})
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    return app


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[str]:
    """The app on a free port."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    return live_server
