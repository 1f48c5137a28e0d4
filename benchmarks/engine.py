"""Engine benchmarks: load+validate time, its growth with size, and scoring throughput.

Run from the repository root::

    python -m benchmarks.engine            # about 40 s
    python -m benchmarks.engine --quick    # fewer runs, no 5000-question file

Prints plain-text tables, then one line per target with PASS or MISS. Every figure comes
with a same-run baseline (libyaml's own ``yaml.load`` for loading, a hand-written plain
Python scorer for scoring) and the ratio to it, so that runs on different or noisy machines
compare by ratio. It always exits 0: these are figures, not assertions.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from benchmarks.generate import generate_definition, random_answers
from benchmarks.plain import make_plain_scorer
from riskcheck.answers import resolve
from riskcheck.definition_tests import TEST_DAY
from riskcheck.errors import AnswerError, DefinitionError
from riskcheck.loader import SHIPPED_DIR, load_text, shipped_paths
from riskcheck.questionnaire import Questionnaire
from riskcheck.scoring import evaluate, score
from riskcheck.validation import validate_file

ROOT = Path(__file__).resolve().parent.parent
SYMPTOM_CHECK = ROOT / "questionnaires" / "symptom-check.yaml"
FALLBACK = ROOT / "tests" / "data" / "mood.yaml"

#: Targets (milliseconds, results per second).
TARGET_LOAD_500_MS = 200.0
TARGET_SCORE_PER_S = 20_000.0
#: This benchmark's own reading of "linear": per-question time at 5000 at most twice that at 50.
LINEAR_RATIO = 2.0

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def median_seconds(fn: Callable[[], Any], *, runs: int, budget: float) -> float:
    """Median wall time of ``fn``: at least ``runs`` runs, more while within ``budget`` seconds."""
    times: list[float] = []
    started = time.perf_counter()
    while len(times) < runs or (time.perf_counter() - started < budget and len(times) < 50):
        if gc.isenabled():
            gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:9.2f}"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


# -- loading -------------------------------------------------------------------------------------


def load_figures(path: Path, *, runs: int, budget: float) -> dict[str, float]:
    """Medians for validate_file, load_text and the libyaml baseline on one file."""
    text = path.read_text("utf-8")
    load_text(text, str(path))  # warm up: the lark parser is built once per process
    return {
        "validate": median_seconds(lambda: validate_file(path), runs=runs, budget=budget),
        "load": median_seconds(lambda: load_text(text, str(path)), runs=runs, budget=budget),
        "yaml": median_seconds(
            lambda: yaml.load(text, Loader=_Loader),  # noqa: S506 - CSafeLoader is the safe loader
            runs=runs,
            budget=budget / 4,
        ),
        "kb": len(text.encode("utf-8")) / 1000,
    }


def print_load_header() -> None:
    print(
        f"{'file':<28} {'questions':>9} {'kB':>7} {'validate ms':>11} {'load ms':>9} "
        f"{'yaml ms':>9} {'load/yaml':>9} {'µs/question':>11}"
    )


def print_load_row(name: str, questions: int, f: dict[str, float]) -> None:
    per_question = f["validate"] / questions * 1e6 if questions else 0.0
    print(
        f"{name:<28} {questions:>9} {f['kb']:>7.1f} {ms(f['validate']):>11} {ms(f['load']):>9} "
        f"{ms(f['yaml']):>9} {f['load'] / f['yaml']:>8.1f}x {per_question:>11.1f}"
    )


def shipped(runs: int, budget: float, directory: Path = SHIPPED_DIR) -> None:
    print("== load+validate: shipped questionnaires (median) ==")
    paths = shipped_paths(directory)
    if not paths:
        print(f"({directory.name}/ holds no .yaml files yet)")
        return
    print_load_header()
    for path in paths:
        try:
            questions = len(load_text(path.read_text("utf-8"), str(path)).questions)
        except DefinitionError as exc:
            print(
                f"{path.name:<28} invalid: {len(exc.problems)} problem(s); run riskcheck validate"
            )
            continue
        print_load_row(path.name, questions, load_figures(path, runs=runs, budget=budget))


def generated(sizes: tuple[int, ...], runs: int, budget: float, workdir: Path) -> dict[int, float]:
    """Load+validate figures for generated definitions; returns size -> validate seconds."""
    print("== load+validate: generated questionnaires (median) ==")
    print_load_header()
    out: dict[int, float] = {}
    for size in sizes:
        path = workdir / f"generated-{size}.yaml"
        path.write_text(generate_definition(size), "utf-8")
        report = validate_file(path)
        if report.errors:
            print(f"{path.name}: INVALID ({report.errors[0]}); figures skipped")
            continue
        figures = load_figures(path, runs=runs if size < 5000 else max(1, runs - 2), budget=budget)
        print_load_row(path.name, size, figures)
        out[size] = figures["validate"]
    if 5000 in out:
        print(
            "(yaml.load builds a node graph before the data: at 5000 questions the garbage\n"
            " collector dominates it, so load/yaml falls; riskcheck's reader streams events)"
        )
    if 50 in out and max(out) > 50:
        big = max(out)
        ratio = (out[big] / big) / (out[50] / 50)
        print(f"per-question validate time, {big} vs 50 questions: {ratio:.2f}x (1.00 = linear)")
        paused = {
            size: _gc_paused(workdir / f"generated-{size}.yaml", runs if size < 5000 else 1)
            for size in (50, big)
        }
        ratio = (paused[big] / big) / (paused[50] / 50)
        print(
            f"  the same with the garbage collector paused: {ratio:.2f}x "
            f"({paused[50] * 1000:.1f} ms and {paused[big] * 1000:.1f} ms)"
        )
    return out


def _gc_paused(path: Path, runs: int) -> float:
    """Median validate time with gc paused, to tell the engine's growth from the interpreter's."""
    gc.disable()
    try:
        return median_seconds(lambda: validate_file(path), runs=runs, budget=0)
    finally:
        gc.enable()


# -- scoring ---------------------------------------------------------------------------------------


def answer_pool(q: Questionnaire, size: int, seed: int = 7) -> list[dict[str, Any]]:
    """Valid, varied answer sets: the definition's own test answers plus random plausible ones."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    candidates = [dict(t.answers) for t in q.definition.tests]
    candidates += [random_answers(q, rng, TEST_DAY) for _ in range(size * 2)]
    pool = []
    for answers in candidates:
        try:
            score(q, answers, today=TEST_DAY)
        except AnswerError:
            continue
        pool.append(answers)
        if len(pool) >= size:
            break
    return pool


def throughput(fn: Callable[[Any], Any], pool: list[Any], seconds: float) -> float:
    """Calls per second of ``fn`` cycling through ``pool`` for at least ``seconds``."""
    for answers in pool[:50]:
        fn(answers)  # warm up
    done = 0
    gc.collect()
    started = time.perf_counter()
    while True:
        for answers in pool:
            fn(answers)
        done += len(pool)
        elapsed = time.perf_counter() - started
        if elapsed >= seconds:
            return done / elapsed


def scoring(name: str, q: Questionnaire, *, seconds: float, pool_size: int) -> float:
    """Print scoring throughput for ``q`` against the plain baseline; return results/s."""
    pool = answer_pool(q, pool_size)
    if not pool:
        print(f"{name}: no valid answer set could be generated; skipped")
        return 0.0
    results = [score(q, a, today=TEST_DAY) for a in pool]
    rule_flags = {flag for rule in q.definition.rules for flag in rule.flags}
    fired = sum(
        any(r.kind == "rule" for rec in res.recommendations for r in rec.reasons)
        or bool(rule_flags & set(res.flags))
        for res in results
    )
    urgencies = Counter(res.urgency or "ineligible" for res in results)
    plain = make_plain_scorer(q)
    engine_rate = throughput(lambda a: score(q, a, today=TEST_DAY), pool, seconds)
    plain_rate = throughput(plain, pool, seconds / 4)
    print(
        f"{name}: {len(q.questions)} questions, {len(q.scales)} scales, {len(q.rules)} rules; "
        f"{len(pool)} answer sets, {fired} fire a rule; urgency "
        + ", ".join(f"{u} {n}" for u, n in sorted(urgencies.items()))
    )
    print(
        f"  engine  {engine_rate:>10,.0f} results/s  ({1e6 / engine_rate:8.1f} µs/result, one core)"
    )
    print(
        f"  plain   {plain_rate:>10,.0f} results/s  ({1e6 / plain_rate:8.1f} µs/result)  "
        f"engine/plain time: {plain_rate / engine_rate:.1f}x"
    )
    resolved = [resolve(q, a, today=TEST_DAY) for a in pool]
    check_rate = throughput(lambda a: resolve(q, a, today=TEST_DAY), pool, seconds / 4)
    evaluate_rate = throughput(
        lambda i: evaluate(q, resolved[i]), list(range(len(pool))), seconds / 4
    )
    print(
        f"  split   answers.resolve {1e6 / check_rate:.1f} µs + scoring.evaluate "
        f"{1e6 / evaluate_rate:.1f} µs per result"
    )
    return engine_rate


# -- main --------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, no 5000-question file")
    args = parser.parse_args(argv)
    runs, budget, seconds = (3, 0.3, 0.5) if args.quick else (5, 1.0, 2.0)
    sizes = (50, 500) if args.quick else (50, 500, 5000)
    started = time.perf_counter()
    libyaml = "yes" if "CSafe" in _Loader.__name__ else "no"
    print(
        f"riskcheck engine benchmark: Python {sys.version.split()[0]}, "
        f"{datetime.datetime.now():%Y-%m-%d %H:%M}, libyaml {libyaml}"
    )
    print()
    shipped(runs, budget)
    print()
    with tempfile.TemporaryDirectory() as tmp:
        validate_times = generated(sizes, runs, budget, Path(tmp))
        try:
            generated_500: Questionnaire | None = load_text(
                (Path(tmp) / "generated-500.yaml").read_text("utf-8")
            )
        except DefinitionError:
            generated_500 = None
    print()
    print("== scoring throughput: score() checks answers, computes, sums scales, fires rules ==")
    main_file = SYMPTOM_CHECK if SYMPTOM_CHECK.exists() else FALLBACK
    main_rate = 0.0
    try:
        main_q = load_text(main_file.read_text("utf-8"), str(main_file))
        main_rate = scoring(
            main_file.relative_to(ROOT).as_posix(), main_q, seconds=seconds, pool_size=400
        )
    except DefinitionError as exc:
        print(f"{main_file}: invalid ({len(exc.problems)} problem(s)); scoring skipped")
    if generated_500 is not None:
        scoring("generated-500", generated_500, seconds=seconds, pool_size=100)
    print()
    print("== targets ==")
    if 500 in validate_times:
        got = validate_times[500] * 1000
        print(
            f"load+validate, 500 questions <= {TARGET_LOAD_500_MS:.0f} ms: {got:.1f} ms  "
            f"{verdict(got <= TARGET_LOAD_500_MS)}"
        )
    if 50 in validate_times and 5000 in validate_times:
        ratio = (validate_times[5000] / 5000) / (validate_times[50] / 50)
        print(
            f"growth: per-question time 5000 vs 50 <= {LINEAR_RATIO:.1f}x: {ratio:.2f}x  "
            f"{verdict(ratio <= LINEAR_RATIO)}"
        )
    name = (
        "symptom-check"
        if main_file == SYMPTOM_CHECK
        else "mood (symptom-check.yaml not written yet)"
    )
    print(
        f"scoring {name} >= {TARGET_SCORE_PER_S:,.0f} results/s: {main_rate:,.0f}/s  "
        f"{verdict(main_rate >= TARGET_SCORE_PER_S)}"
    )
    print(f"(whole run: {time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
