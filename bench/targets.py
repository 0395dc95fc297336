"""opsbook's performance targets, and whether a benchmark run met them.

`status_rows(results, serve)` is a pure function of what bench/run.py measured: `results` maps
a corpus size (docs) to that size's measurements, each `(median wall seconds, peak RSS MB)` under
run.py's keys ("check", "check1", "build_new", "gitlog", …); `serve` maps a size to
bench/serve_bench.py's figures for it. Each target holds at one size; a size that was not run
(or a peer that was not timed) makes its row "not measured". `python3 bench/run.py --self-test`
checks this module without running anything.
"""
import math
from dataclasses import dataclass
from typing import Callable, Optional

MB = "MB"
SECONDS = "s"
TIMES = "×"


@dataclass(frozen=True)
class Target:
    label: str
    docs: int
    value: Callable[[dict, dict], Optional[float]]
    limit: float
    unit: str
    strict: bool  # "<" (strict) or "≤"


def wall(key):
    return lambda r, _s: r[key][0] if key in r else None


def peak(*keys):
    """The highest peak memory of these runs (all of them must have run)."""
    return lambda r, _s: max(r[k][1] for k in keys) if all(k in r for k in keys) else None


def ratio(key, *over):
    """`key`'s wall time over the sum of the `over` walls (e.g. the floors)."""
    def value(r, _s):
        if key not in r or any(k not in r for k in over):
            return None
        below = sum(r[k][0] for k in over)
        return r[key][0] / below if below > 0 else None
    return value


def serve(*fields, worst=max):
    def value(_r, s):
        if s is None or any(f not in s for f in fields):
            return None
        return worst(s[f] for f in fields)
    return value


BUILDS = ("build_new", "build", "build_warm")

TARGETS = [
    # The runs people wait on (issue 13).
    Target("`check ONE_FILE` (the pre-commit hook), cold", 10_000, wall("check1"), 0.3, SECONDS, True),
    Target("`check ONE_FILE` (the pre-commit hook), warm", 10_000, wall("check1_warm"), 0.3, SECONDS, True),
    Target("`check` of everything, cold (a fresh CI clone)", 10_000, wall("check"), 1.0, SECONDS, True),
    Target("`build`, cold, into a new folder, against Hugo `--enableGitInfo`", 10_000,
           ratio("build_new", "hugo"), 0.2, TIMES, False),
    Target("`build`, cold, over the previous site, against Hugo `--enableGitInfo`", 10_000,
           ratio("build", "hugo"), 0.2, TIMES, False),
    Target("`build`, cold, into a new folder, against the floors", 10_000,
           ratio("build_new", "read", "gitlog"), 1.5, TIMES, False),
    Target("`build` peak memory", 50_000, peak(*BUILDS), 1024, MB, True),
    Target("`check ONE_FILE`, cold", 50_000, wall("check1"), 1.0, SECONDS, True),
    Target("`check ONE_FILE`, warm", 50_000, wall("check1_warm"), 1.0, SECONDS, True),
    # The targets the benchmark already knew.
    Target("`check` of everything, warm (git cache of HEAD)", 10_000, wall("check_warm"), 1.0, SECONDS, True),
    Target("git pass (`changes --since 100y`), cold, against `git log`", 10_000,
           ratio("gitpass", "gitlog"), 1.5, TIMES, False),
    Target("`build` peak memory", 10_000, peak(*BUILDS), 300, MB, True),
    Target("`serve` edit-to-reload (median, the slower of body and title edits)", 1_000,
           serve("body", "front"), 0.15, SECONDS, False),
    Target("`serve` edit-to-reload (median, the slower of body and title edits)", 10_000,
           serve("body", "front"), 1.0, SECONDS, False),
    Target("`serve` memory after 20 edits", 10_000, serve("rss"), 400, MB, False),
]


def show(value, unit):
    if unit == SECONDS:
        return f"{value:.3f} s" if value < 1 else f"{value:.2f} s"
    if unit == TIMES:
        return f"{value:.2f}{TIMES}"
    return f"{value:.0f} {unit}"


def status(value, limit, strict):
    if value is None:
        return "not measured"
    if value < limit or (not strict and value == limit):
        return "met"
    if value == limit:
        return "not met (at the limit)"
    return f"not met (by {max(1, math.ceil(round((value / limit - 1) * 100, 6)))}%)"


def status_rows(results, serve_figures=None):
    """(target, docs, measured, target, status) strings for every target, in order."""
    serve_figures = serve_figures or {}
    rows = []
    for t in TARGETS:
        value = t.value(results.get(t.docs, {}), serve_figures.get(t.docs))
        bound = ("< " if t.strict else "≤ ") + show(t.limit, t.unit)
        measured = show(value, t.unit) if value is not None else "–"
        rows.append((t.label, f"{t.docs:,}", measured, bound, status(value, t.limit, t.strict)))
    return rows


def print_table(results, serve_figures=None, out=print):
    out("| target | docs | measured | target | status |")
    out("|---|---:|---:|---:|---|")
    for row in status_rows(results, serve_figures):
        out("| " + " | ".join(row) + " |")


def self_test():
    """Check the table against hand-worked cases; raises AssertionError on the first wrong one."""
    cases = 0

    def expect(got, want):
        nonlocal cases
        cases += 1
        assert got == want, f"got {got!r}, want {want!r}"

    # Nothing run: every row says so.
    rows = status_rows({})
    expect(len(rows), len(TARGETS))
    expect({r[4] for r in rows}, {"not measured"})
    # The 2026-11-30 figures at 10,000 docs, without the serve rows and without Hugo.
    r10k = {
        "read": (0.26, 5), "gitlog": (2.72, 154), "check": (2.20, 247), "check_warm": (0.84, 166),
        "check1": (0.56, 234), "check1_warm": (0.30, 161), "build_new": (4.50, 264),
        "build": (4.28, 271), "build_warm": (2.70, 277), "gitpass": (1.98, 200),
    }
    by = {(r[0], r[1]): r for r in status_rows({10_000: r10k})}
    row = lambda label, docs="10,000": by[(label, docs)]
    expect(row("`check ONE_FILE` (the pre-commit hook), cold")[2:], ("0.560 s", "< 0.300 s", "not met (by 87%)"))
    # A strict bound is missed at the limit itself.
    expect(row("`check ONE_FILE` (the pre-commit hook), warm")[4], "not met (at the limit)")
    expect(row("`check` of everything, cold (a fresh CI clone)")[4], "not met (by 120%)")
    expect(row("`check` of everything, warm (git cache of HEAD)")[4], "met")
    expect(row("git pass (`changes --since 100y`), cold, against `git log`")[2:], ("0.73×", "≤ 1.50×", "met"))
    # 4.50 / (0.26 + 2.72) = 1.51: over by less than 1% still says 1%.
    expect(row("`build`, cold, into a new folder, against the floors")[4], "not met (by 1%)")
    expect(row("`build` peak memory")[2:], ("277 MB", "< 300 MB", "met"))
    expect(row("`build`, cold, into a new folder, against Hugo `--enableGitInfo`")[4], "not measured")
    expect(row("`build` peak memory", "50,000")[4], "not measured")
    # With Hugo: 4.50 / 18.87 = 0.24, 15% over 0.2; a ratio equal to its "≤" bound is met.
    by = {(r[0], r[1]): r for r in status_rows({10_000: dict(r10k, hugo=(18.87, 2261))})}
    expect(row("`build`, cold, into a new folder, against Hugo `--enableGitInfo`")[2:],
           ("0.24×", "≤ 0.20×", "not met (by 20%)"))
    by = {(r[0], r[1]): r for r in status_rows({10_000: dict(r10k, hugo=(21.4, 2261))})}
    expect(row("`build`, cold, over the previous site, against Hugo `--enableGitInfo`")[4], "met")
    # The serve rows: the slower edit counts; sizes come from their own run.
    serve_figs = {1_000: {"body": 0.09, "front": 0.21, "rss": 80},
                  10_000: {"body": 0.4, "front": 0.7, "rss": 390}}
    by = {(r[0], r[1]): r for r in status_rows({}, serve_figs)}
    edit = "`serve` edit-to-reload (median, the slower of body and title edits)"
    expect(row(edit, "1,000")[2:], ("0.210 s", "≤ 0.150 s", "not met (by 40%)"))
    expect(row(edit)[4], "met")
    expect(row("`serve` memory after 20 edits")[2:], ("390 MB", "≤ 400 MB", "met"))
    # At 50,000 docs: memory over 1 GB, a one-file check within 1 s.
    r50k = {"build_new": (29.0, 1309), "build": (29.9, 1421), "build_warm": (17.4, 1501),
            "check1": (3.26, 1038), "check1_warm": (0.9, 757)}
    by = {(r[0], r[1]): r for r in status_rows({50_000: r50k})}
    expect(row("`build` peak memory", "50,000")[2:], ("1501 MB", "< 1024 MB", "not met (by 47%)"))
    expect(row("`check ONE_FILE`, warm", "50,000")[4], "met")
    # The printed table has a header, a rule and one line per target.
    lines = []
    print_table({10_000: r10k}, serve_figs, out=lines.append)
    expect(len(lines), 2 + len(TARGETS))
    expect(lines[0], "| target | docs | measured | target | status |")
    expect(all(line.startswith("| ") and line.endswith(" |") for line in lines[2:]), True)
    return cases
