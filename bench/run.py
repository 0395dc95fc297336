#!/usr/bin/env python3
"""Time opsbook against Hugo and mdBook on the corpus that bench/gen_corpus.py generates.

Each measurement runs several times; the table shows the median wall time and the peak RSS
(from GNU time). Peers are installed when missing: Debian's hugo (apt-get, as root) and mdbook
(cargo install mdbook --locked); `--peers none` times opsbook alone. mdBook is quadratic in the
number of pages (24 min and 6 GB at 10,000 here), so by default it only runs up to --mdbook-max
docs.

OPSBOOK_BIN=path times that binary instead of building a release one; OPSBOOK_BENCH_DIR sets
where corpora and sites go (default /tmp/opsbook-bench).

opsbook keeps a cache of the git history pass in the repository's git folder. "Cold" rows run
with OPSBOOK_NO_GIT_CACHE=1 (no cache read or written); "warm" rows run on a copy of the corpus
(so the generated corpus is never written to) whose cache was filled by one run before timing;
"after 1 new commit" restores the cache of the commit before HEAD ahead of each run.

The run ends with the table of opsbook's performance targets (bench/targets.py): each target,
the measured value, and met / not met (by how much) / not measured (its size was not run).
`--self-test` checks that table against worked examples, without running anything.
"""
import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import targets

PROJECT = Path(__file__).resolve().parent.parent
GEN = PROJECT / "bench" / "gen_corpus.py"
TODAY = "2026-11-23"
WORK = Path(os.environ.get("OPSBOOK_BENCH_DIR", "/tmp/opsbook-bench"))


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


COLD = dict(os.environ, OPSBOOK_NO_GIT_CACHE="1")
WARM = {k: v for k, v in os.environ.items() if k != "OPSBOOK_NO_GIT_CACHE"}


def timed(cmd, cwd=None, runs=3, env=None, before=None):
    """Median wall seconds and max peak RSS (MB) of `cmd` over `runs` runs; `before()` runs
    ahead of each run, untimed. `cmd` may be a function of the run number that returns it."""
    walls, rss = [], []
    make = cmd if callable(cmd) else (lambda _k: cmd)
    for k in range(runs):
        cmd = make(k)
        if before:
            before()
        with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
            full = ["/usr/bin/time", "-f", "%e %M", "-o", tf.name] + cmd
            r = subprocess.run(full, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            line = open(tf.name).read().strip().splitlines()[-1]
            if r.returncode not in (0, 1):
                err = r.stderr.decode(errors="replace")[-600:]
                raise SystemExit(f"command failed ({r.returncode}): {' '.join(cmd)}\n{err}")
            wall, kb = line.split()
            walls.append(float(wall))
            rss.append(int(kb) / 1024)
    return statistics.median(walls), max(rss)


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def memory_gib():
    try:
        return round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30)
    except (ValueError, OSError, AttributeError):
        return "?"


def version(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]
    except (OSError, IndexError):
        return "not installed"


def ensure_peers(want_mdbook):
    """Install Hugo and mdBook when missing (Hugo needs root, for apt-get)."""
    if not shutil.which("hugo"):
        if os.geteuid() == 0:
            print("installing hugo (apt-get)…", file=sys.stderr)
            sh(["apt-get", "update", "-qq"])
            sh(["apt-get", "install", "-y", "-qq", "hugo"], stdout=subprocess.DEVNULL)
        else:
            print("hugo missing and not root: skipping Hugo", file=sys.stderr)
    if want_mdbook and not shutil.which("mdbook"):
        print("installing mdbook (cargo install mdbook --locked)…", file=sys.stderr)
        sh(["cargo", "install", "mdbook", "--locked", "--quiet"])


def corpus(n, commits):
    out = WORK / f"n{n}-c{commits}"
    if not (out / "handbook").is_dir():
        print(f"generating corpus: {n} docs, {commits} commits…", file=sys.stderr)
        sh([sys.executable, str(GEN), "--docs", str(n), "--commits", str(commits), "--seed", "42",
            "--out", str(out), "--force"], stdout=subprocess.DEVNULL)
    return out


def one_file(handbook):
    return sorted((handbook / "roadmap").glob("*.md"))[0]


def git_cache(handbook):
    return handbook / ".git" / "opsbook"


def warm_copy(hb, out):
    """A copy of the corpus handbook for the runs that write the cache. Its git index is
    refreshed, as after a clone: a copied index has stale file stats, and libgit2's status
    (which `build` reads for "modified locally") would hash every file on every run."""
    copy = out / "warm-handbook"
    if copy.exists():
        shutil.rmtree(copy)
    sh(["cp", "-a", str(hb), str(copy)])
    subprocess.run(["git", "-C", str(copy), "update-index", "-q", "--refresh"], stdout=subprocess.DEVNULL)
    return copy


def check_rows(r, opsbook, hb, out, runs):
    """`opsbook check` (whole corpus and one file) cold, warm, and after one new commit."""
    check = [opsbook, "check", "--today", TODAY, "--root"]
    r["check"] = timed(check + [str(hb)], runs=runs, env=COLD)
    r["check1"] = timed(check + [str(hb), str(one_file(hb))], runs=runs, env=COLD)
    warm = warm_copy(hb, out)
    subprocess.run(check + [str(warm)], env=WARM, stdout=subprocess.DEVNULL)
    r["check_warm"] = timed(check + [str(warm)], runs=runs, env=WARM)
    r["check1_warm"] = timed(check + [str(warm), str(one_file(warm))], runs=runs, env=WARM)
    # One more commit on top of the cached HEAD: only it is diffed.
    saved = out / "git-cache-before-commit"
    if saved.exists():
        shutil.rmtree(saved)
    shutil.copytree(git_cache(warm), saved)
    doc = one_file(warm)
    doc.write_text(doc.read_text() + "\nOne more line.\n")
    git = ["git", "-C", str(warm), "-c", "user.name=Bench", "-c", "user.email=bench@example.com"]
    sh(git + ["commit", "-q", "-am", "bench: one more commit"])

    def restore():
        shutil.rmtree(git_cache(warm))
        shutil.copytree(saved, git_cache(warm))

    r["check_new_commit"] = timed(check + [str(warm)], runs=runs, env=WARM, before=restore)
    if r.get("has_changes"):
        changes = [opsbook, "changes", "--since", "100y", "--format", "json", "--root"]
        r["gitpass"] = timed(changes + [str(hb)], runs=runs, env=COLD)
        subprocess.run(changes + [str(warm)], env=WARM, stdout=subprocess.DEVNULL)
        r["gitpass_warm"] = timed(changes + [str(warm)], runs=runs, env=WARM)
    shutil.rmtree(warm)
    shutil.rmtree(saved)


def build_rows(r, opsbook, hb, out, runs):
    """`opsbook build`: cold into a new folder each run (as in CI), cold over the previous
    site (a rebuild: unchanged files are hard-linked from it), and warm (git cache filled)."""
    build = [opsbook, "build", "--today", TODAY, "--root"]
    fresh = lambda k: build + [str(hb), "--out", str(out / f"opsbook-site-new-{k}")]
    r["build_new"] = timed(fresh, runs=runs, env=COLD)
    for k in range(runs):
        shutil.rmtree(out / f"opsbook-site-new-{k}", ignore_errors=True)
    site = out / "opsbook-site"
    subprocess.run(build + [str(hb), "--out", str(site)], env=COLD, stdout=subprocess.DEVNULL)
    r["build"] = timed(build + [str(hb), "--out", str(site)], runs=runs, env=COLD)
    # What creating the site's files costs on this machine by itself (no floor of the targets:
    # it tells how much of "into a new folder" the file system takes).
    copy = lambda k: ["cp", "-r", str(site), str(out / f"site-copy-{k}")]
    r["copy"] = timed(copy, runs=runs)
    for k in range(runs):
        shutil.rmtree(out / f"site-copy-{k}", ignore_errors=True)
    warm = warm_copy(hb, out)
    subprocess.run(build + [str(warm), "--out", str(site)], env=WARM, stdout=subprocess.DEVNULL)
    r["build_warm"] = timed(build + [str(warm), "--out", str(site)], runs=runs, env=WARM)
    nogit = build + [str(hb), "--no-git", "--out", str(out / "opsbook-site-nogit")]
    subprocess.run(nogit, stdout=subprocess.DEVNULL)
    r["build_nogit"] = timed(nogit, runs=runs)
    shutil.rmtree(warm)


def ratio(a, b, digits):
    """`a / b` with `digits` decimals; `n/a` when `b` is too small to time (a tiny corpus)."""
    return f"{a / b:.{digits}f}" if b > 0 else "n/a"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated doc counts (default 1000,10000)")
    ap.add_argument("--commits", type=int, default=5000, help="commits of history (default 5000)")
    ap.add_argument("--runs", type=int, default=3, help="runs per measurement; the median is shown")
    ap.add_argument("--mdbook-max", type=int, default=2000, help="largest size mdBook runs at (default 2000)")
    ap.add_argument("--peers", choices=["all", "none"], default="all",
                    help="all: time Hugo and mdBook too, installing them when missing; none: opsbook alone")
    ap.add_argument("--serve-only", action="store_true",
                    help="only the `opsbook serve` rows (edit-to-reload, memory), on their own corpus")
    ap.add_argument("--self-test", action="store_true",
                    help="check the table of targets against worked examples (runs nothing else)")
    args = ap.parse_args()
    if args.self_test:
        print(f"ok: the table of targets, {targets.self_test()} cases")
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.serve_only:
        return serve_only(sizes)

    if os.environ.get("OPSBOOK_BIN"):
        opsbook = os.environ["OPSBOOK_BIN"]  # a binary built elsewhere (CI's smoke run)
    else:
        print("building opsbook (release)…", file=sys.stderr)
        sh(["cargo", "build", "--release", "--quiet"], cwd=PROJECT)
        target = Path(os.environ.get("CARGO_TARGET_DIR", PROJECT / "target"))
        opsbook = str(target / "release" / "opsbook")
    peers = args.peers == "all"
    if peers:
        ensure_peers(any(n <= args.mdbook_max for n in sizes))
    help_text = subprocess.run([opsbook, "--help"], capture_output=True, text=True).stdout
    has_build = " build " in help_text
    has_changes = " changes " in help_text

    rows = []
    for n in sizes:
        c = corpus(n, args.commits)
        hb, hugo_dir, mdbook_dir = c / "handbook", c / "hugo", c / "mdbook"
        out = WORK / f"out-n{n}"
        out.mkdir(parents=True, exist_ok=True)
        r = {"n": n, "has_changes": has_changes}
        r["read"] = timed(["sh", "-c", f"find '{hb}' -name '*.md' -print0 | xargs -0 cat > /dev/null"], runs=args.runs)
        r["gitlog"] = timed(["git", "-C", str(hb), "log", "--name-only", "--no-merges", "--format=%H %an %at"], runs=args.runs)
        check_rows(r, opsbook, hb, out, args.runs)
        if has_build:
            build_rows(r, opsbook, hb, out, args.runs)
        if peers and shutil.which("hugo"):
            r["hugo"] = timed(["hugo", "--enableGitInfo", "--quiet", "-s", str(hugo_dir), "-d", str(out / "hugo-public")], runs=args.runs)
        if peers and shutil.which("mdbook") and n <= args.mdbook_max:
            r["mdbook"] = timed(["mdbook", "build", str(mdbook_dir), "-d", str(out / "mdbook-book")], runs=1)
        rows.append(r)
    serve_table, serve_figures = [], {}
    if " serve " in help_text:
        import serve_bench
        serve_table = serve_bench.rows(opsbook, sizes, WORK, serve_figures)

    print()
    print(f"machine: {cpu_model()}, {platform.machine()}, {os.cpu_count()} cores, "
          f"{memory_gib()} GiB, {platform.platform()}")
    print(f"opsbook: {version([opsbook, '--version'])}; hugo: {version(['hugo', 'version'])}; "
          f"mdbook: {version(['mdbook', '--version'])}; git: {version(['git', '--version'])}")
    print(f"corpus: gen_corpus.py --commits {args.commits} --seed 42; medians of {args.runs} runs "
          f"(mdBook: 1 run); today {TODAY}")
    print()
    print("| docs | measurement | wall (s) | peak RSS (MB) | ratio |")
    print("|---:|---|---:|---:|---|")

    def fmt(r, key, label, ratio=""):
        if key in r:
            wall, rss = r[key]
            print(f"| {r['n']:,} | {label} | {wall:.2f} | {rss:.0f} | {ratio} |")

    for r in rows:
        floor = r["read"][0] + r["gitlog"][0]
        fmt(r, "read", "floor: read every doc")
        fmt(r, "gitlog", "floor: `git log --name-only --no-merges`")
        fmt(r, "copy", "not a floor: `cp -r` of the built site into a new folder (the file system's share)")
        for key, label in [
            ("build_new", "`opsbook build`, cold (no git cache), into a new folder"),
            ("build", "`opsbook build`, cold (no git cache), over the previous site"),
            ("build_warm", "`opsbook build`, warm (git cache of HEAD), over the previous site"),
            ("build_nogit", "`opsbook build --no-git`, over the previous site"),
        ]:
            if key not in r:
                continue
            b = r[key][0]
            ratios = [f"{ratio(b, floor, 2)}× floors"]
            if "hugo" in r:
                ratios.append(f"{ratio(b, r['hugo'][0], 2)}× Hugo")
            if "mdbook" in r:
                ratios.append(f"{ratio(b, r['mdbook'][0], 3)}× mdBook")
            fmt(r, key, label, ", ".join(ratios))
        fmt(r, "hugo", "`hugo --enableGitInfo`")
        fmt(r, "mdbook", "`mdbook build`")
        fmt(r, "check", "`opsbook check` (whole corpus), cold: no git cache", "target < 1 s")
        fmt(r, "check_warm", "`opsbook check` (whole corpus), warm: git cache of HEAD", "target < 1 s")
        fmt(r, "check_new_commit", "`opsbook check` (whole corpus), 1 commit after the cache", "target < 1 s")
        fmt(r, "check1", "`opsbook check ONE_FILE`, cold", "target < 0.3 s")
        fmt(r, "check1_warm", "`opsbook check ONE_FILE`, warm", "target < 0.3 s")
        if "gitpass" in r:
            fmt(r, "gitpass", "opsbook git pass (`opsbook changes --since 100y`), cold",
                f"{ratio(r['gitpass'][0], r['gitlog'][0], 2)}× git log")
            fmt(r, "gitpass_warm", "opsbook git pass (`opsbook changes --since 100y`), warm",
                f"{ratio(r['gitpass_warm'][0], r['gitlog'][0], 2)}× git log")
    if serve_table:
        import serve_bench
        serve_bench.print_rows(serve_table)
    print_targets({r["n"]: r for r in rows}, serve_figures)


def print_targets(results, serve_figures):
    print()
    print("Targets (a size that was not run is \"not measured\"):")
    print()
    targets.print_table(results, serve_figures)


def serve_only(sizes):
    """The `opsbook serve` rows alone (bench/serve_bench.py, on bench/serve_corpus.py's handbooks)."""
    import serve_bench
    print("building opsbook (release)…", file=sys.stderr)
    sh(["cargo", "build", "--release", "--quiet"], cwd=PROJECT)
    target = Path(os.environ.get("CARGO_TARGET_DIR", PROJECT / "target"))
    opsbook = str(target / "release" / "opsbook")
    WORK.mkdir(parents=True, exist_ok=True)
    serve_figures = {}
    table = serve_bench.rows(opsbook, sizes, WORK, serve_figures)
    print()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}, "
          f"load average {os.getloadavg()[0]:.1f} at the end")
    print(f"opsbook: {version([opsbook, '--version'])}; corpus: bench/serve_corpus.py --seed 42; today {TODAY}")
    print()
    print("| docs | measurement | wall (s) | peak RSS (MB) | ratio |")
    print("|---:|---|---:|---:|---|")
    serve_bench.print_rows(table)
    print_targets({}, serve_figures)


if __name__ == "__main__":
    main()
