"""The `opsbook serve` rows of the benchmark: edit-to-reload and memory.

For each size, a handbook from `serve_corpus.py` is served (`opsbook serve --port 0`); then a
roadmap item is saved (a temporary file moved over it, as editors do) and its page is fetched
until the new bytes are served. The time from the save to that fetch is one edit-to-reload.
Two kinds of edit alternate: a body edit (a new paragraph: only the item's page and the search
index change) and a frontmatter edit (a new title: every page showing the item's card or name
changes, the board and timeline among them). After 20 edits the session's memory (RSS) is read,
and compared with its memory after the first edit: a session must not grow per edit.
"""
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import serve_corpus  # noqa: E402

EDITS = 20


def rss_mb(pid):
    fields = {}
    for line in open(f"/proc/{pid}/status"):
        k, _, v = line.partition(":")
        fields[k] = v.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def save(path, text):
    tmp = path.with_name("." + path.name + ".saving")
    tmp.write_text(text)
    os.replace(tmp, path)


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read().decode()


def measure(opsbook, n, work):
    hb = work / f"serve-n{n}"
    if not (hb / ".git").is_dir():
        print(f"generating the serve corpus: {n} docs…", file=sys.stderr)
        serve_corpus.generate(n, hb)
    item = sorted((hb / "roadmap").glob("*.md"))[len(list((hb / "roadmap").glob("*.md"))) // 2]
    original = item.read_text()
    started = time.perf_counter()
    p = subprocess.Popen([opsbook, "serve", "--root", str(hb), "--port", "0", "--today", serve_corpus.TODAY],
                         stderr=subprocess.PIPE, text=True)
    url = None
    for line in p.stderr:
        m = re.search(r"serving at (\S+)", line)
        if m:
            url = m.group(1)
            break
    if url is None:
        raise SystemExit("opsbook serve did not start")
    first = time.perf_counter() - started
    # The session prints a line per rebuild; read them so that the pipe never fills.
    threading.Thread(target=lambda: [None for _ in p.stderr], daemon=True).start()
    page = f"{url}roadmap/{item.stem}.html"
    body, front, after_first = [], [], None
    try:
        # Each edit starts from the file as the previous edit left it, so that a body edit
        # changes only the body (the title stays what the last title edit made it).
        current = original
        for k in range(EDITS):
            marker = f"Edit{k}x{time.time_ns()}"
            if k % 2 == 0:
                text = re.sub(r"^Edit\d+x\d+ is a new paragraph\.\n\n", "", current, flags=re.M)
                text = text.replace("## Goals", f"{marker} is a new paragraph.\n\n## Goals", 1)
            else:
                text = re.sub(r"^title: .*$", f"title: Item {marker}", current, count=1, flags=re.M)
            current = text
            t0 = time.perf_counter()
            save(item, text)
            while marker not in fetch(page):
                if time.perf_counter() - t0 > 60:
                    raise SystemExit(f"the page never showed the edit: {page}")
                time.sleep(0.002)
            (body if k % 2 == 0 else front).append(time.perf_counter() - t0)
            if k == 0:
                after_first = rss_mb(p.pid)[0]
            time.sleep(0.3)
        rss, hwm = rss_mb(p.pid)
    finally:
        save(item, original)
        p.send_signal(signal.SIGINT)
        try:
            p.wait(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
    return {
        "first": first,
        "body": statistics.median(body),
        "body_max": max(body),
        "front": statistics.median(front),
        "front_max": max(front),
        "rss": rss,
        "hwm": hwm,
        "growth": rss - after_first,
    }


TARGETS = {1000: 0.15, 10000: 1.0}


def rows(opsbook, sizes, work, measured=None):
    """Measure every size; returns table rows (docs, measurement, wall, RSS, note). `measured`,
    when given, gets each size's raw figures (see `measure`), for the table of targets."""
    out = []
    for n in sizes:
        m = measure(opsbook, n, work)
        if measured is not None:
            measured[n] = m
        target = TARGETS.get(n)
        note = f"target ≤ {target:g} s" if target else ""
        out.append((n, "`opsbook serve`: first build, to serving", m["first"], m["hwm"], ""))
        out.append((n, f"`opsbook serve`: edit-to-reload, body edit (median of {EDITS // 2}; max "
                       f"{m['body_max']:.3f} s)", m["body"], None, note))
        out.append((n, f"`opsbook serve`: edit-to-reload, title edit (median of {EDITS // 2}; max "
                       f"{m['front_max']:.3f} s)", m["front"], None, note))
        out.append((n, f"`opsbook serve`: memory after {EDITS} edits (RSS; "
                       f"{m['growth']:+.0f} MB since the first edit)", None, m["rss"],
                    "target ≤ 400 MB at 10,000"))
    return out


def print_rows(table):
    for n, label, wall, rss, note in table:
        w = f"{wall:.3f}" if wall is not None else ""
        r = f"{rss:.0f}" if rss is not None else ""
        print(f"| {n:,} | {label} | {w} | {r} | {note} |")
