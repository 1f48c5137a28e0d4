"""Load and fault runs of riskcheck on this machine (``make load``, ``make faults``).

    python loadtest/run.py            # make load: 60 s, 32 patients, targets PASS/MISS
    python loadtest/run.py --faults   # make faults: 45 s with a worker killed and a
                                      # PostgreSQL restart; nothing lost or stored twice

Starts two gunicorn instances of two sync workers each (gunicorn.conf.py, wsgi:app) on
free loopback ports, sharing one generated secret key, a PostgreSQL database of their own
(LOAD_DATABASE, default riskcheck_load: dropped and created anew) and Redis database 14
for rate limits (flushed first). Each worker is warmed up (every questionnaire compiled,
one PDF drawn) before anything is measured.

The load run first measures GET /healthz at the same pace (the baseline: locust, gunicorn
and loopback alone, on the same two cores), then runs PatientUser (loadtest/locustfile.py:
whole journeys, users spread over both instances) headless, and prints requests/s, p50,
p95 and p99 per step and the errors; then it compares the responses stored in the database
with the journeys the users completed (the same reference codes), and the resident memory
of each worker (VmRSS from /proc/<pid>/status, VmHWM its peak).

The fault run kills one worker with SIGKILL (its master replaces it), then stops PostgreSQL
for a few seconds, kills a worker of the other instance while it is down (the replacement
must wait for the database rather than fail to boot, which would stop gunicorn altogether),
and starts PostgreSQL again. Users retry a 503 page or a dropped connection after a second,
as a patient would. It checks that patients saw the calm 503 page and never a 500, that
journeys complete again afterwards without restarting anything, and that every confirmed
response is stored exactly once.

Bounded: every wait has a limit, the whole run takes under three minutes, and everything
it started is stopped at the end; PostgreSQL is started again whatever happens. Results
are in .load/ (locust CSV files and logs, gunicorn logs, summary JSON). Exit status 1 if a
target is missed. Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / ".load"
LOCUSTFILE = ROOT / "loadtest" / "locustfile.py"
LOCUST = os.environ.get("LOCUST", str(OUT / "venv" / "bin" / "locust"))
PG_ADMIN = os.environ.get("LOAD_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
DATABASE = os.environ.get("LOAD_DATABASE", "riskcheck_load")
REDIS = os.environ.get("LOAD_REDIS", "redis://127.0.0.1:6379/14")
QUESTIONNAIRES = ["symptom-check", "phq9", "gad7"]
WORKERS = 2
INSTANCES = ("a", "b")

# Targets
P99_MS = 250
RSS_MB = 120


def say(text: str = "") -> None:
    print(text, flush=True)  # noqa: T201 - this script reports on the console


def verdict(ok: bool, text: str, results: list[bool]) -> None:  # noqa: FBT001
    results.append(ok)
    say(f"  {'PASS' if ok else 'MISS'}  {text}")


# -- services ------------------------------------------------------------------------------


def database_url(name: str) -> str:
    base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    return f"{base}/{name}"


def reset_database() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{DATABASE}"')


def stored_references() -> list[str]:
    import psycopg

    url = database_url(DATABASE).replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(url) as connection:
        return [row[0] for row in connection.execute("SELECT reference FROM responses")]


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS, socket_timeout=5).flushdb()


def pg_cluster() -> list[str]:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    return ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]


def pg(action: str) -> None:
    extra = ["-m", "fast"] if action == "stop" else []
    subprocess.run([*pg_cluster(), action, *extra], check=True, timeout=60)  # noqa: S603


def pg_running() -> bool:
    status = subprocess.run([*pg_cluster(), "status"], capture_output=True, timeout=30)  # noqa: S603
    return status.returncode == 0


def wait_for_pg(seconds: float = 30) -> bool:
    import psycopg

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with psycopg.connect(PG_ADMIN, connect_timeout=2) as connection:
                connection.execute("SELECT 1")
            return True
        except psycopg.Error:
            time.sleep(0.2)
    return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# -- processes -----------------------------------------------------------------------------


class Started:
    """Every process group this run started, stopped at the end (and only those)."""

    def __init__(self) -> None:
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, command: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
        handle = log.open("wb")
        process = subprocess.Popen(  # noqa: S603 - our own commands
            command,
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        handle.close()
        self.processes.append(process)
        return process

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGINT)  # gunicorn: quick shutdown
        deadline = time.monotonic() + 15
        for process in self.processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        for process in self.processes:  # workers left behind by a killed master
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def serving(pid: int, port: int) -> bool:
    """Whether worker ``pid`` holds an open client connection on ``port`` (mid-request)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if fields[3] == "01" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(fields[9])  # ESTABLISHED, local port = the instance's
    with contextlib.suppress(OSError):
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                target = os.readlink(fd)
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    return True
    return False


def kill_a_worker(instance: dict[str, Any], within: float = 5.0) -> tuple[int, bool]:
    """SIGKILL a worker of ``instance``, preferably one in the middle of a request (looked
    for during ``within`` seconds). Returns its pid and whether it was serving."""
    deadline = time.monotonic() + within
    workers = children(instance["process"].pid)
    while True:
        busy = [pid for pid in workers if serving(pid, instance["port"])]
        if busy or time.monotonic() > deadline:
            victim = (busy or workers)[0]
            os.kill(victim, signal.SIGKILL)
            return victim, bool(busy)
        time.sleep(0.002)


def memory_mb(pid: int) -> tuple[float, float, float]:
    """(VmRSS, VmHWM, Pss) of ``pid`` in MB: resident, peak resident, and proportional
    (shared pages divided among the processes sharing them)."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024
    values["Pss"] = 0.0
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                values["Pss"] = int(line.split()[1]) / 1024
    return values["VmRSS"], values["VmHWM"], values["Pss"]


def http(url: str, data: bytes | None = None, timeout: float = 10) -> tuple[int, bytes]:
    headers = {"Content-Type": "application/json"} if data else {}
    request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (OSError, urllib.error.URLError):
        return 0, b""


def start_instances(started: Started) -> dict[str, dict[str, Any]]:
    secret = secrets.token_urlsafe(48)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RISKCHECK_", "GUNICORN_"))}
    env.update(
        RISKCHECK_ENV="production",
        RISKCHECK_SECRET_KEY=secret,
        RISKCHECK_DATABASE_URL=database_url(DATABASE),
        RISKCHECK_RATELIMIT_STORAGE=REDIS,
        RISKCHECK_SECURE_COOKIES="0",  # plain http on loopback
        PYTHONUNBUFFERED="1",
    )
    config = ["-c", str(ROOT / "gunicorn.conf.py")] if (ROOT / "gunicorn.conf.py").exists() else []
    instances = {}
    for name in INSTANCES:
        port = free_port()
        command = [sys.executable, "-m", "gunicorn", *config, "--workers", str(WORKERS)]
        command += ["--bind", f"127.0.0.1:{port}", "--no-control-socket", "wsgi:app"]
        log = OUT / f"gunicorn-{name}.log"
        process = started.start(command, log, env)
        instances[name] = {"port": port, "url": f"http://127.0.0.1:{port}", "process": process}
        instances[name]["log"] = log
    deadline = time.monotonic() + 90
    for name, instance in instances.items():
        while http(instance["url"] + "/readyz", timeout=2)[0] != 200:
            if instance["process"].poll() is not None or time.monotonic() > deadline:
                tail = instance["log"].read_text(errors="replace")[-3000:]
                raise SystemExit(f"instance {name} did not start:\n{tail}")
            time.sleep(0.3)
        while len(children(instance["process"].pid)) < WORKERS:
            if time.monotonic() > deadline:
                raise SystemExit(f"instance {name} has fewer than {WORKERS} workers")
            time.sleep(0.3)
    return instances


def warm_up(instances: dict[str, dict[str, Any]]) -> None:
    """Each worker compiles the questionnaires and loads the PDF fonts on first use (a few
    hundred milliseconds): do that before measuring. Connections spread over the workers."""
    answers = json.dumps({f"g{i}": "1" for i in range(1, 8)}).encode()
    for instance in instances.values():
        for _round in range(6 * WORKERS):
            http(instance["url"] + "/")
            for qid in QUESTIONNAIRES:
                http(f"{instance['url']}/q/{qid}/")
            http(instance["url"] + "/api/v1/questionnaires/gad7/pdf", data=answers)


# -- locust --------------------------------------------------------------------------------


def run_locust(
    started: Started,
    user_class: str,
    hosts: list[str],
    *,
    users: int,
    seconds: int,
    think: str,
    prefix: str,
    retry: bool = False,
) -> dict[str, Any]:
    tally_file = OUT / f"{prefix}-tally.json"
    tally_file.unlink(missing_ok=True)
    env = dict(os.environ)
    env.update(
        LOAD_HOSTS=",".join(hosts),
        LOAD_OUT=str(tally_file),
        LOAD_THINK=think,
        LOAD_RETRY="1" if retry else "0",
        LOAD_QUESTIONNAIRES=",".join(QUESTIONNAIRES),
    )
    command = [LOCUST, "-f", str(LOCUSTFILE), user_class, "--headless", "-u", str(users)]
    command += ["-r", str(max(1, users // 4)), "-t", f"{seconds}s", "--host", hosts[0]]
    command += ["--stop-timeout", "45", "--csv", str(OUT / prefix), "--only-summary"]
    process = started.start(command, OUT / f"{prefix}-locust.log", env)
    try:
        process.wait(timeout=seconds + 75)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
        say(f"  locust ({prefix}) overran its time and was stopped")
    stats = read_stats(OUT / f"{prefix}_stats.csv")
    failures = read_csv(OUT / f"{prefix}_failures.csv")
    tally = json.loads(tally_file.read_text()) if tally_file.exists() else {}
    return {"stats": stats, "failures": failures, "tally": tally}


def read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def read_stats(path: Path) -> dict[str, dict[str, float]]:
    stats = {}
    for row in read_csv(path):
        stats[row["Name"]] = {
            "count": float(row["Request Count"]),
            "fails": float(row["Failure Count"]),
            "rps": float(row["Requests/s"]),
            "p50": float(row["50%"] or 0),
            "p95": float(row["95%"] or 0),
            "p99": float(row["99%"] or 0),
            "max": float(row["Max Response Time"] or 0),
        }
    return stats


def print_stats(stats: dict[str, dict[str, float]]) -> None:
    say(f"  {'step':<34} {'reqs':>6} {'fails':>5} {'req/s':>6} {'p50':>5} {'p95':>5} {'p99':>5}")
    for name, row in sorted(stats.items(), key=lambda item: item[0] == "Aggregated"):
        say(
            f"  {name:<34} {row['count']:>6.0f} {row['fails']:>5.0f} {row['rps']:>6.1f} "
            f"{row['p50']:>5.0f} {row['p95']:>5.0f} {row['p99']:>5.0f}"
        )
    say("  (milliseconds; locust rounds times above 100 ms to two significant digits)")


def print_failures(failures: list[dict[str, str]]) -> None:
    for row in failures:
        say(f"  {row['Occurrences']:>5} x {row['Method']} {row['Name']}: {row['Error']}")


def access_log_statuses(instances: dict[str, dict[str, Any]]) -> dict[str, int]:
    """Status codes as the servers logged them (gunicorn's access log)."""
    counts: dict[str, int] = {}
    line = re.compile(r'^"\w+ \S+" (\d{3}) ')
    for instance in instances.values():
        for text in instance["log"].read_text(errors="replace").splitlines():
            found = line.match(text)
            if found:
                counts[found.group(1)] = counts.get(found.group(1), 0) + 1
    return counts


def tracebacks_logged(instances: dict[str, dict[str, Any]]) -> int:
    return sum(
        instance["log"].read_text(errors="replace").count("Traceback (most recent call last)")
        for instance in instances.values()
    )


def memory_report(
    instances: dict[str, dict[str, Any]],
) -> list[tuple[str, int, float, float, float]]:
    rows = []
    for name, instance in instances.items():
        for pid in children(instance["process"].pid):
            with contextlib.suppress(OSError, KeyError):
                rows.append((name, pid, *memory_mb(pid)))
    return rows


def compare_stored(tally: dict[str, Any], results: list[bool]) -> None:
    completed = tally.get("references", [])
    stored = stored_references()
    lost = set(completed) - set(stored)
    extra = set(stored) - set(completed)
    say(f"  journeys completed (confirmed, reference shown): {len(completed)}")
    say(f"  responses stored in the database:                {len(stored)}")
    if lost or extra:
        say(f"  confirmed but not stored: {len(lost)}; stored but not confirmed: {len(extra)}")
    verdict(
        len(stored) == len(completed)
        and not lost
        and not extra
        and len(set(completed)) == len(completed),
        f"responses stored == journeys completed ({len(stored)} == {len(completed)}, the same "
        "reference codes)",
        results,
    )


# -- the runs ------------------------------------------------------------------------------


def load_run(started: Started, args: argparse.Namespace) -> bool:
    results: list[bool] = []
    instances = start_instances(started)
    hosts = [instance["url"] for instance in instances.values()]
    say(f"2 instances x {WORKERS} workers: {', '.join(hosts)}; database {DATABASE}; {REDIS}")
    warm_up(instances)
    booted = {pid: rss for _name, pid, rss, _hwm, _pss in memory_report(instances)}

    say(f"\nBaseline: GET /healthz, {args.users} users, think {args.think} s, {args.baseline} s")
    hello = run_locust(
        started,
        "HelloUser",
        hosts,
        users=args.users,
        seconds=args.baseline,
        think=args.think,
        prefix="hello",
    )
    print_stats(hello["stats"])

    say(
        f"\nPatients: {args.users} users over 2 instances, {args.duration} s, think "
        f"{args.think} s between steps, questionnaires {', '.join(QUESTIONNAIRES)}"
    )
    run = run_locust(
        started,
        "PatientUser",
        hosts,
        users=args.users,
        seconds=args.duration,
        think=args.think,
        prefix="run",
    )
    stats, tally = run["stats"], run["tally"]
    print_stats(stats)
    total = stats.get("Aggregated", {})
    fails = int(total.get("fails", 0))
    say(
        f"\n  requests/s: {total.get('rps', 0):.1f} (all steps; /healthz baseline "
        f"{hello['stats'].get('Aggregated', {}).get('rps', 0):.1f} at the same pace)"
    )
    say(
        f"  journeys: started {tally.get('journeys_started', 0)}, completed "
        f"{tally.get('journeys_completed', 0)}, failed {tally.get('journeys_failed', 0)}, "
        f"not eligible {tally.get('not_eligible', 0)}"
    )
    say(f"  errors: {fails} failed requests")
    print_failures(run["failures"])
    base = hello["stats"].get("Aggregated", {})
    if base.get("p50"):
        ratios = ", ".join(
            f"{p} {total.get(p, 0):.0f}/{base[p]:.0f} ms = x{total.get(p, 0) / max(base[p], 1):.1f}"
            for p in ("p50", "p95", "p99")
        )
        say(f"  all steps vs /healthz at the same pace on the same machine: {ratios}")
    say(f"  server statuses (access logs): {access_log_statuses(instances)}")

    say("\nMemory per worker after the run (VmHWM: peak; Pss: shared pages divided up)")
    memory = memory_report(instances)
    for name, pid, rss, hwm, pss in memory:
        at_boot = f"{booted[pid]:.0f} MB" if pid in booted else "replaced since"
        say(
            f"  instance {name} worker {pid}: VmRSS {rss:.0f} MB (after warm-up {at_boot}), "
            f"VmHWM {hwm:.0f} MB, Pss {pss:.0f} MB"
        )

    say("\nTargets")
    errors = fails + int(tally.get("journeys_failed", 0))
    verdict(
        errors == 0,
        f"0 errors ({fails} failed requests, {tally.get('journeys_failed', 0)} failed journeys)",
        results,
    )
    steps = {name: row for name, row in stats.items() if name != "Aggregated"}
    worst = max(steps.items(), key=lambda item: item[1]["p99"], default=("-", {"p99": 0}))
    verdict(
        bool(steps) and worst[1]["p99"] <= P99_MS,
        f"p99 <= {P99_MS} ms on every step (worst: {worst[0]} {worst[1]['p99']:.0f} ms; "
        f"all steps together {total.get('p99', 0):.0f} ms)",
        results,
    )
    compare_stored(tally, results)
    biggest = max((row[2] for row in memory), default=0.0)
    verdict(
        bool(memory) and biggest <= RSS_MB,
        f"RSS <= {RSS_MB} MB per worker (largest {biggest:.0f} MB of {len(memory)} workers)",
        results,
    )
    summary = {
        "stats": stats,
        "hello": hello["stats"],
        "tally": {**tally, "references": len(tally.get("references", []))},
        "memory": memory,
    }
    (OUT / "summary-load.json").write_text(json.dumps(summary, indent=1, default=str))
    return all(results)


def faults_run(started: Started, args: argparse.Namespace) -> bool:
    results: list[bool] = []
    instances = start_instances(started)
    hosts = [instance["url"] for instance in instances.values()]
    say(f"2 instances x {WORKERS} workers: {', '.join(hosts)}; database {DATABASE}; {REDIS}")
    warm_up(instances)
    events: list[tuple[float, str]] = []
    marks: dict[str, Any] = {}
    t0 = time.monotonic()

    def at(seconds: float) -> None:
        time.sleep(max(0.0, t0 + seconds - time.monotonic()))

    def note(text: str) -> None:
        events.append((time.monotonic() - t0, text))

    def faults() -> None:
        try:
            at(12)
            victim, busy = kill_a_worker(instances["a"])
            marks["killed_a"] = victim
            note(f"kill -9 worker {victim} of instance a ({'mid-request' if busy else 'idle'})")
            at(22)
            pg("stop")
            marks["outage_start"] = time.time()
            note("PostgreSQL stopped (pg_ctlcluster stop -m fast)")
            at(25)
            victim, _busy = kill_a_worker(instances["b"], within=0)
            marks["killed_b"] = victim
            note(f"kill -9 worker {victim} of instance b (database down: its replacement waits)")
            at(28)
            pg("start")
            wait_for_pg()
            marks["outage_end"] = time.time()
            note("PostgreSQL started again")
        except Exception as exc:  # noqa: BLE001 - reported below; finally restarts PostgreSQL
            note(f"fault injection failed: {exc!r}")

    injector = threading.Thread(target=faults, daemon=True)
    say(
        f"\nPatients with faults: {args.users} users, {args.fault_duration} s, think {args.think} s"
    )
    injector.start()
    run = run_locust(
        started,
        "PatientUser",
        hosts,
        users=args.users,
        seconds=args.fault_duration,
        think=args.think,
        prefix="faults",
        retry=True,
    )
    injector.join(timeout=60)
    stats, tally = run["stats"], run["tally"]
    for offset, text in events:
        say(f"  t={offset:5.1f} s  {text}")
    print_stats(stats)
    print_failures(run["failures"])
    after = [t for t in tally.get("completed_at", []) if t > marks.get("outage_end", 1e12)]
    statuses = access_log_statuses(instances)
    say(f"\n  statuses seen by users: {tally.get('status', {})} (0 = connection dropped)")
    say(f"  statuses logged by the servers: {statuses}")
    say(
        f"  calm 503 pages: {tally.get('calm_503', 0)}; other 503: {tally.get('other_503', 0)}; "
        f"5xx other than 503: {tally.get('server_errors', 0)}; dropped connections: "
        f"{tally.get('connection_errors', 0)}; retries: {tally.get('retries', 0)} "
        f"({tally.get('confirm_retries', 0)} of them confirmations)"
    )
    say(
        f"  journeys: started {tally.get('journeys_started', 0)}, completed "
        f"{tally.get('journeys_completed', 0)} ({len(after)} after the database came back), "
        f"failed {tally.get('journeys_failed', 0)}"
    )
    workers_now = {name: children(i["process"].pid) for name, i in instances.items()}
    alive = all(i["process"].poll() is None for i in instances.values())
    say(f"  workers now: {workers_now}")
    ready = {name: http(i["url"] + "/readyz")[0] for name, i in instances.items()}
    logged = tracebacks_logged(instances)

    say("\nTargets")
    verdict(
        len(events) == 4 and "failed" not in events[-1][1],
        "faults injected: 2 workers killed, PostgreSQL stopped and started",
        results,
    )
    verdict(bool(stats) and tally != {}, "the run finished", results)
    compare_stored(tally, results)
    verdict(
        tally.get("calm_503", 0) > 0,
        f"patients saw the calm 503 page during the outage ({tally.get('calm_503', 0)} times)",
        results,
    )
    server_errors = sum(n for code, n in statuses.items() if code.startswith("5") and code != "503")
    verdict(
        server_errors == 0
        and tally.get("server_errors", 0) == 0
        and tally.get("other_503", 0) == 0
        and tally.get("tracebacks", 0) == 0,
        f"no 500s and no tracebacks shown ({server_errors} 5xx other than 503 logged)",
        results,
    )
    verdict(logged == 0, f"no tracebacks in the servers' logs ({logged})", results)
    replaced = marks.get("killed_a") not in workers_now.get("a", []) and marks.get(
        "killed_b"
    ) not in workers_now.get("b", [])
    verdict(
        alive and replaced and all(len(w) == WORKERS for w in workers_now.values()),
        f"both masters alive with {WORKERS} workers each, the killed workers replaced",
        results,
    )
    verdict(
        len(after) > 0 and all(code == 200 for code in ready.values()),
        f"recovered by itself: {len(after)} journeys completed after the restart, /readyz {ready}",
        results,
    )
    verdict(
        tally.get("journeys_failed", 0) == 0,
        f"no journey given up ({tally.get('journeys_failed', 0)})",
        results,
    )
    summary = {
        "events": events,
        "stats": stats,
        "tally": {
            **tally,
            "references": len(tally.get("references", [])),
            "completed_at": len(tally.get("completed_at", [])),
        },
    }
    (OUT / "summary-faults.json").write_text(json.dumps(summary, indent=1, default=str))
    return all(results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--faults", action="store_true", help="the fault run (make faults)")
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--duration", type=int, default=60, help="seconds of the load run")
    parser.add_argument("--fault-duration", type=int, default=45, help="seconds of the fault run")
    parser.add_argument("--baseline", type=int, default=15, help="seconds of the /healthz run")
    parser.add_argument("--think", default="0.5,1.5", help="pause between steps: min,max s")
    args = parser.parse_args()
    if not Path(LOCUST).exists():
        raise SystemExit(f"locust not found at {LOCUST} (make load installs it in .load/venv)")
    OUT.mkdir(exist_ok=True)
    started = Started()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    began = time.monotonic()
    try:
        if not pg_running():
            raise SystemExit("PostgreSQL is not running")
        reset_database()
        flush_redis()
        ok = faults_run(started, args) if args.faults else load_run(started, args)
    finally:
        started.stop_all()
        if args.faults and not pg_running():
            say("starting PostgreSQL again")
            pg("start")
            wait_for_pg()
    say(
        f"\n{'all targets met' if ok else 'some targets missed'} ({time.monotonic() - began:.0f} s)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
