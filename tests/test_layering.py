"""The domain core never imports Flask: it runs in the CLI, in tests and behind any web layer."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import riskcheck


def core_modules() -> list[str]:
    """riskcheck and every module below it, except the web layer."""
    found = ["riskcheck"]
    for module in pkgutil.walk_packages(riskcheck.__path__, "riskcheck."):
        if module.name != "riskcheck.web" and not module.name.startswith("riskcheck.web."):
            found.append(module.name)
    return sorted(found)


PROBE = """
import importlib, json, sys
culprits = {}
for name in json.loads(sys.argv[1]):
    importlib.import_module(name)
    web = sorted(m for m in sys.modules if m == "flask" or m.startswith(("flask.", "flask_")))
    if web and not culprits:
        culprits[name] = web
print(json.dumps({"culprits": culprits, "imported": sorted(sys.modules)}))
"""


def test_the_core_modules_are_found():
    modules = core_modules()
    assert {
        "riskcheck.scoring",
        "riskcheck.loader",
        "riskcheck.cli",
        "riskcheck.expressions.compiler",
    } <= set(modules)
    assert not [m for m in modules if m.startswith("riskcheck.web")]


def test_importing_the_core_does_not_import_flask():
    run = subprocess.run(  # noqa: S603 - runs this Python on our own probe code
        [sys.executable, "-c", PROBE, json.dumps(core_modules())],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    report = json.loads(run.stdout)
    assert report["culprits"] == {}, f"these imported Flask first: {report['culprits']}"
    assert "riskcheck.scoring" in report["imported"]


def test_create_app_is_there_without_importing_flask():
    code = "import sys, riskcheck; print(callable(riskcheck.create_app), 'flask' in sys.modules)"
    run = subprocess.run(  # noqa: S603 - runs this Python on our own probe code
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert run.stdout.split() == ["True", "False"]
