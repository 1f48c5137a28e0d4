"""Benchmarks of the riskcheck engine (not part of the test suite).

Run ``python -m benchmarks.engine`` from the repository root. Each benchmark prints figures
next to a same-run baseline, so that numbers taken on different or noisy machines can be
compared through their ratios rather than their absolute values.
"""
