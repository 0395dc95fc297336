#!/usr/bin/env python3
"""Make a git repository of example-repo/ with a history, so that the site built from it shows
every view that reads git: status histories, time in each status, the Flow page, what changed.

Usage: example_history.py DEST

Every roadmap item walks the columns to where it is today (later → next → now → shipped, or
later → dropped), on days worked out from its own `start`, `target` and `shipped`; everything else
is added in one commit in October (so that nothing is overdue for review), the active objectives
with each key result a third of the way from its baseline to its `current`, two thirds in
November (so that their sparklines have a line to draw). The last commit makes the work tree
equal to example-repo/ byte for byte. Authors and dates are fixed, so the commit ids are the same on every run.
"""
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "example-repo"
FIRST = dt.date(2025, 11, 3)
WRITTEN = dt.date(2026, 10, 15)
MIDWAY = dt.date(2026, 11, 6)
LAST = dt.date(2026, 11, 20)
CURATOR = ("Grace Adeyemi", "grace.adeyemi@lumen-analytics.example")


def period_start(text):
    """The first day of `2026`, `2026-H2`, `2026-Q3`, `2026-05` or `2026-05-17`."""
    m = re.fullmatch(r"(\d{4})(?:-(H[12]|Q[1-4]|\d{2})(?:-(\d{2}))?)?", text.strip(), re.I)
    if not m:
        return None
    year, part, day = int(m.group(1)), (m.group(2) or "").upper(), m.group(3)
    if day:
        return dt.date(year, int(part), int(day))
    if part.startswith("H"):
        return dt.date(year, 1 if part == "H1" else 7, 1)
    if part.startswith("Q"):
        return dt.date(year, (int(part[1]) - 1) * 3 + 1, 1)
    if part:
        return dt.date(year, int(part), 1)
    return dt.date(year, 1, 1)


def field(text, key):
    m = re.search(rf"^{key}:\s*(.+?)\s*$", text, re.M)
    return m.group(1).strip("'\"") if m else None


def with_status(text, status):
    """The file with another status, and without a `shipped:` day before it shipped."""
    text = re.sub(r"^status:.*$", f"status: {status}", text, count=1, flags=re.M)
    if status != "shipped":
        text = re.sub(r"^shipped:.*\n", "", text, flags=re.M)
    return text


def with_progress(text, fraction):
    """An active objective with each key result's `current` moved back towards its baseline:
    `fraction` of the way from the baseline to the value written (whole numbers stay whole)."""
    if field(text, "status") != "active":
        return text
    out, baseline = [], None
    for line in text.splitlines(keepends=True):
        if re.match(r"\s*- ", line):
            baseline = None
        m = re.match(r"(\s+(?:- )?)(baseline|current):\s*(-?[0-9.]+)\s*$", line)
        if m and m.group(2) == "baseline":
            baseline = float(m.group(3))
        elif m and baseline is not None:
            value = baseline + (float(m.group(3)) - baseline) * fraction
            whole = "." not in m.group(3)
            line = f"{m.group(1)}current: {round(value) if whole else round(value, 2)}\n"
        out.append(line)
    return "".join(out)


def clamp(day):
    return min(max(day, FIRST + dt.timedelta(days=1)), LAST - dt.timedelta(days=1))


def steps(text):
    """(day, status) for each column an item went through, oldest first."""
    final = field(text, "status")
    start = period_start(field(text, "start") or "") or None
    shipped = field(text, "shipped")
    shipped = dt.date.fromisoformat(shipped) if shipped else None
    if final == "shipped":
        now = start or (shipped - dt.timedelta(days=45))
        path = [("later", now - dt.timedelta(days=75)), ("next", now - dt.timedelta(days=30)),
                ("now", now), ("shipped", shipped)]
    elif final == "now":
        now = start or dt.date(2026, 9, 1)
        path = [("later", now - dt.timedelta(days=70)), ("next", now - dt.timedelta(days=25)),
                ("now", now)]
    elif final == "next":
        path = [("later", dt.date(2026, 5, 4)), ("next", dt.date(2026, 9, 14))]
    elif final == "dropped":
        path = [("later", dt.date(2026, 2, 2)), ("dropped", dt.date(2026, 8, 3))]
    else:
        path = [(final, FIRST)]
    days = []
    for status, day in path:
        day = clamp(day)
        if days and day <= days[-1][0]:
            day = days[-1][0] + dt.timedelta(days=1)
        days.append((day, status))
    return days


def author_of(text, people):
    owner = (field(text, "owner") or "").replace("person:", "")
    return people.get(owner, CURATOR)


def git(dest, args, day, who):
    env = dict(os.environ, HOME=str(dest), GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null",
               GIT_AUTHOR_NAME=who[0], GIT_AUTHOR_EMAIL=who[1], GIT_COMMITTER_NAME=who[0],
               GIT_COMMITTER_EMAIL=who[1], GIT_AUTHOR_DATE=f"{day}T10:00:00+00:00",
               GIT_COMMITTER_DATE=f"{day}T10:00:00+00:00")
    subprocess.run(["git", *args], cwd=dest, env=env, check=True, stdout=subprocess.DEVNULL)


def main():
    dest = Path(sys.argv[1]).resolve()
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(EXAMPLE, dest)
    people = {}
    for m in re.finditer(r"- id: ([a-z0-9-]+)\n\s+name: (.+)", (EXAMPLE / "org.yml").read_text()):
        people[m.group(1)] = (m.group(2).strip(), f"{m.group(1).replace('-', '.')}@lumen-analytics.example")
    items = sorted((EXAMPLE / "roadmap").glob("*.md"))
    plans = {p: steps(p.read_text()) for p in items}
    # The first commit: the config and the roadmap, each item in its first column; the rest of
    # the handbook waits outside the repository until its commit.
    rest = dest.parent / (dest.name + ".rest")
    if rest.exists():
        shutil.rmtree(rest)
    rest.mkdir()
    for entry in list(dest.iterdir()):
        if entry.name not in ("roadmap", "opsbook.yml"):
            shutil.move(str(entry), rest / entry.name)
    for p, plan in plans.items():
        (dest / "roadmap" / p.name).write_text(with_status(p.read_text(), plan[0][1]))
    git(dest, ["init", "-q", "-b", "main"], FIRST, CURATOR)
    git(dest, ["add", "-A"], FIRST, CURATOR)
    git(dest, ["commit", "-q", "-m", "Start the product roadmap"], FIRST, CURATOR)
    moves = sorted((day, p.name, status) for p, plan in plans.items() for day, status in plan[1:])
    moves.append((WRITTEN, None, None))
    moves.append((MIDWAY, None, "key results"))
    moves.sort(key=lambda m: (m[0], m[1] or ""))
    objectives = sorted((EXAMPLE / "objectives").glob("*.md"))
    for day, name, status in moves:
        if name is None and status:
            # Key results half-way through the quarter, each objective by its owner.
            for p in objectives:
                text = p.read_text()
                moved = with_progress(text, 2 / 3)
                if moved != text:
                    (dest / "objectives" / p.name).write_text(moved)
                    git(dest, ["add", "-A"], day, author_of(text, people))
                    git(dest, ["commit", "-q", "-m", f"{p.name[:-3]}: key results"], day,
                        author_of(text, people))
            continue
        if name is None:
            for entry in list(rest.iterdir()):
                shutil.move(str(entry), dest / entry.name)
            rest.rmdir()
            for p in objectives:
                (dest / "objectives" / p.name).write_text(with_progress(p.read_text(), 1 / 3))
            git(dest, ["add", "-A"], day, CURATOR)
            git(dest, ["commit", "-q", "-m", "Write down the org, charters, processes and OKRs"],
                day, CURATOR)
            continue
        src = EXAMPLE / "roadmap" / name
        text = src.read_text()
        (dest / "roadmap" / name).write_text(with_status(text, status))
        git(dest, ["add", "-A"], day, author_of(text, people))
        git(dest, ["commit", "-q", "-m", f"{name[:-3]}: {status}"], day, author_of(text, people))
    # The work tree as example-repo has it.
    for p in items + objectives:
        shutil.copy(p, dest / p.parent.name / p.name)
    git(dest, ["add", "-A"], LAST, CURATOR)
    git(dest, ["commit", "-q", "--allow-empty", "-m", "Quarterly review"], LAST, CURATOR)


if __name__ == "__main__":
    main()
