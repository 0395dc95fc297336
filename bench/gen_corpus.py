#!/usr/bin/env python3
"""Generate a benchmark corpus: one set of pages as an opsbook handbook, a Hugo site and an
mdBook, the first two with the same git history.

    python3 bench/gen_corpus.py --docs 10000 --commits 5000 --seed 42 --out /tmp/corpus

writes
    OUT/handbook/   an opsbook handbook in a git repository (COMMITS commits)
    OUT/hugo/       the same Markdown under content/, with minimal layouts, same history
    OUT/mdbook/     book.toml and src/ with SUMMARY.md (bodies only; mdBook has no frontmatter)

The handbook has about 40% roadmap items (one flat `roadmap/` folder, as a big handbook has),
8% processes (most without `last_reviewed`, so `check` dates them from git), one charter per
team, one objective per 40 roadmap items (two or three key results each, some measured by a
metric; about a third of the roadmap items move one of them), one metric per 100 roadmap items,
one launch per 20 (with a checklist, launched when its item ships), and pages in a few folders;
people, roles and teams live in `org.yml`. Bodies link to
other documents and to their headings, so the link rules have work to do. The final handbook
passes `opsbook check` (exit 0).

History: the first commit holds a fifth of the documents; every later commit adds its share of
the rest and changes a few existing ones (status moves, target slips, owner changes, reviews,
body edits, key results whose `current` moves, launch tasks done; now and then a rename). Authors are the people of `org.yml`; dates run from
2024-01-02 to 2026-11-20, one commit every few hours. The same seed gives the same repository,
byte for byte (commit ids included). Written with `git fast-import`, so 5,000 commits take
seconds; only Python's standard library and `git` are needed.
"""
import argparse
import random
import shutil
import subprocess
import sys
from pathlib import Path

START = 1704189600  # 2024-01-02 10:00:00 UTC
END = 1795219200  # 2026-11-20 00:00:00 UTC
STATUSES = ["later", "next", "now", "shipped", "dropped"]
QUARTERS = [f"{y}-Q{q}" for y in (2025, 2026, 2027) for q in (1, 2, 3, 4)]
CADENCES = ["weekly", "biweekly", "monthly", "quarterly", "per-release", "continuous"]
# Where objectives, metrics and launches fall among the documents (`i % 100`, `i % 250`,
# `i % 50`): among the pages, one per 100, 250 and 50 documents, that is one per 40, 100 and 20
# roadmap items.
OBJECTIVE, METRIC, LAUNCH = 13, 14, 15
UNITS = ["%", "ms", "accounts", "events", "tickets"]
THEMES = ["Enterprise readiness", "Activation", "Retention", "Platform health", "Self-serve",
          "Analytics depth", "Collaboration", "Mobile", "Trust and safety", "Performance"]
WORDS = ("account admin alert audit billing board cache chart cohort dashboard data export "
         "feature filter flow funnel goal import insight invite journey label metric mobile "
         "model notify onboard pipeline plan query report retention role schedule search "
         "segment share signal sync team template trend usage user view widget workspace").split()
FIRST = ("Ana Bo Cy Dana Eli Fay Gus Hana Ines Jon Kai Lea Max Nia Omar Pia Quin Rosa Sam Tao "
         "Uma Vic Wen Xia Yara Zed").split()
LAST = ("Lima Berg Chen Diaz Evans Faro Gomez Hale Ito Jansen Kern Lopes Moreau Novak Ortiz "
        "Park Quist Rossi Silva Tanaka Ueda Vidal Weiss Xu Young Zorn").split()


class Corpus:
    def __init__(self, docs, commits, seed):
        self.rng = random.Random(seed)
        self.n = docs
        self.commits = commits
        self.people = []
        self.teams = []
        self.roles = []
        self.docs = {}  # path -> dict(kind, id, title, fields, body)
        self.ids = {"roadmap": [], "processes": [], "charters": [], "pages": [],
                    "objectives": [], "metrics": [], "launches": []}
        # The launches of each roadmap item (by item id), to launch them when it ships.
        self.launches_of = {}
        # Every objective the corpus will hold (their place in the order of documents is
        # fixed), so that roadmap items can name the key results they move.
        self.objectives = [f"objective-{i:06d}" for i in range(OBJECTIVE, docs, 100)]
        self._org()

    # ---- the registry -------------------------------------------------------------------
    def _org(self):
        r = self.rng
        n_people = max(12, self.n // 40)
        n_teams = max(3, self.n // 400)
        n_roles = max(6, self.n // 250)
        self.roles = [f"role-{i:03d}" for i in range(n_roles)]
        self.teams = [f"team-{i:03d}" for i in range(n_teams)]
        seen = set()
        for i in range(n_people):
            first, last = r.choice(FIRST), r.choice(LAST)
            pid = f"{first}-{last}".lower()
            while pid in seen:
                pid = f"{first}-{last}-{len(seen)}".lower()
            seen.add(pid)
            self.people.append((pid, f"{first} {last}"))

    def org_yml(self):
        lines = ["roles:"]
        for i, role in enumerate(self.roles):
            lines += [f"  - id: {role}", f"    title: Role {i}", "    last_reviewed: 2026-10-01",
                      "    responsibilities:", f"      - Looks after area {i}"]
        lines.append("teams:")
        for i, team in enumerate(self.teams):
            lead = self.people[i % len(self.people)][0]
            lines += [f"  - id: {team}", f"    name: Team {i}", f"    lead: {lead}"]
        lines.append("people:")
        for i, (pid, name) in enumerate(self.people):
            lines += [f"  - id: {pid}", f"    name: {name}",
                      f"    roles: [{self.roles[i % len(self.roles)]}]",
                      f"    teams: [{self.teams[i % len(self.teams)]}]",
                      f"    email: {pid}@example.com"]
        return "\n".join(lines) + "\n"

    # ---- documents ----------------------------------------------------------------------
    def phrase(self, k):
        return " ".join(self.rng.choice(WORDS) for _ in range(k))

    def paragraph(self):
        return " ".join(self.phrase(self.rng.randint(6, 14)).capitalize() + "."
                        for _ in range(self.rng.randint(2, 5)))

    def owner(self):
        r = self.rng.random()
        if r < 0.7:
            return self.rng.choice(self.people)[0]
        if r < 0.85:
            return "role:" + self.rng.choice(self.roles)
        return "team:" + self.rng.choice(self.teams)

    def link_to(self, here):
        """A relative Markdown link from `here` to an existing document (maybe to a heading)."""
        folder = self.rng.choice([f for f in ("roadmap", "processes", "pages") if self.ids[f]])
        target = self.rng.choice(self.ids[folder])
        doc = self.docs[target]
        depth = here.count("/")
        rel = "../" * depth + target
        anchor = "#context" if doc["kind"] != "page" and self.rng.random() < 0.3 else ""
        return f"[{doc['title']}]({rel}{anchor})"

    def body(self, path, title, kind):
        parts = [f"# {title}", "", self.paragraph(), "", "## Context", "", self.paragraph()]
        if kind == "process":
            parts += ["", "## Steps", ""] + [f"{i}. {self.phrase(5).capitalize()}."
                                            for i in range(1, self.rng.randint(3, 6))]
        if any(self.ids.values()):
            parts += ["", "## Related", ""] + [f"- {self.link_to(path)}"
                                               for _ in range(self.rng.randint(1, 3))]
        parts += ["", "## Notes", "", self.paragraph()]
        return "\n".join(parts) + "\n"

    def new_doc(self, i):
        """The i-th document: its path and data (kind chosen by position, deterministically)."""
        r = self.rng
        slot = i % 25
        title = self.phrase(3).capitalize() + f" {i}"
        if slot < 10:
            path, kind = f"roadmap/item-{i:06d}.md", "roadmap-item"
            status = r.choices(STATUSES, [3, 2, 2, 3, 1])[0]
            fields = {"title": title, "status": status, "owner": self.owner(),
                      "team": r.choice(self.teams), "theme": r.choice(THEMES)}
            if status in ("next", "now", "shipped"):
                fields["target"] = r.choice(QUARTERS[:8])
            if status == "shipped":
                fields["shipped"] = f"2026-0{r.randint(1, 9)}-1{r.randint(0, 9)}"
            if status == "dropped":
                fields["dropped_reason"] = self.phrase(6).capitalize() + "."
            if r.random() < 0.5:
                fields["score"] = {"reach": r.randint(10, 5000), "impact": r.choice([0.5, 1, 2, 3]),
                                   "confidence": f"{r.choice([50, 80, 100])}%",
                                   "effort": r.randint(1, 8)}
            fields["outcome"] = self.phrase(8).capitalize() + "."
            if self.objectives and r.random() < 0.35:
                krs = {f"{r.choice(self.objectives)}#kr-{r.randint(1, 2)}"
                       for _ in range(r.randint(1, 2))}
                fields["key_results"] = sorted(krs)
            group = "roadmap"
        elif slot < 12:
            path, kind = f"processes/process-{i:06d}.md", "process"
            fields = {"title": title, "owner": self.owner(), "cadence": r.choice(CADENCES),
                      "participants": ["role:" + r.choice(self.roles)],
                      "inputs": [self.phrase(3)], "outputs": [self.phrase(3)]}
            if r.random() < 0.1:
                fields["last_reviewed"] = "2026-11-01"
            group = "processes"
        elif slot == 12 and len(self.ids["charters"]) < len(self.teams):
            team = self.teams[len(self.ids["charters"])]
            path, kind = f"charters/{team}.md", "charter"
            role = self.roles[len(self.ids["charters"]) % len(self.roles)]
            fields = {"title": f"Charter of {team}", "team": team,
                      "mission": self.phrase(10).capitalize() + ".", "roles": [role],
                      "last_reviewed": "2026-10-15",
                      "responsibilities": [{"id": "planning", "activity": "Quarterly planning",
                                            "A": role, "R": role}]}
            group = "charters"
        elif i % 100 == OBJECTIVE:
            path, kind = f"objectives/objective-{i:06d}.md", "objective"
            fields = self.objective_fields(title)
            group = "objectives"
        elif i % 250 == METRIC:
            path, kind = f"metrics/metric-{i:06d}.md", "metric"
            fields = {"title": title, "definition": self.phrase(12).capitalize() + ".",
                      "owner": self.owner(), "unit": r.choice(UNITS),
                      "direction": r.choice(["up", "up", "down"]),
                      "source": f"https://dashboards.example.com/metric-{i:06d}"}
            if r.random() < 0.7:
                fields["last_reviewed"] = "2026-10-01"
            group = "metrics"
        elif i % 50 == LAUNCH and self.ids["roadmap"]:
            path, kind = f"launches/launch-{i:06d}.md", "launch"
            fields = self.launch_fields(title, r.choice(self.ids["roadmap"]))
            self.launches_of.setdefault(fields["item"], []).append(path)
            group = "launches"
        else:
            folder = ["guides", "guides/howto", "reference", "notes"][i % 4]
            path, kind = f"{folder}/page-{i:06d}.md", "page"
            fields = {"title": title, "tags": [r.choice(WORDS)]}
            group = "pages"
        doc = {"kind": kind, "title": title, "fields": fields, "group": group}
        doc["body"] = self.body(path, title, kind)
        return path, doc

    def objective_fields(self, title):
        """An objective: past quarters closed, the current one active, every key result
        measured (so none of the objective rules fires)."""
        r = self.rng
        period = r.choice(QUARTERS[:8])
        status = "active" if period == "2026-Q4" else r.choice(["achieved", "missed", "dropped"])
        krs = []
        for k in range(1, r.randint(2, 3) + 1):
            baseline = r.randint(10, 60)
            target = baseline + r.randint(5, 40)
            kr = {"id": f"kr-{k}", "title": self.phrase(4).capitalize(),
                  "baseline": baseline, "target": target,
                  "current": r.randint(baseline, target), "unit": r.choice(UNITS)}
            if self.ids["metrics"] and r.random() < 0.5:
                kr["metric"] = Path(r.choice(self.ids["metrics"])).stem
            krs.append(kr)
        return {"title": title, "period": period, "status": status, "owner": self.owner(),
                "team": r.choice(self.teams), "key_results": krs}

    def launch_fields(self, title, item_path):
        """A launch of the roadmap item at `item_path`: launched when the item has shipped,
        cancelled when it was dropped, else planned (or ready, once every task is done), dated
        inside the item's target so that it is not late."""
        r = self.rng
        item = self.docs[item_path]["fields"]
        tasks = []
        for k in range(r.randint(2, 5)):
            tasks.append({"task": self.phrase(3).capitalize(), "owner": self.rng.choice(self.people)[0],
                          "due": f"2027-0{r.randint(1, 9)}-1{r.randint(0, 9)}",
                          "done": r.random() < 0.4})
        status = {"shipped": "launched", "dropped": "cancelled"}.get(item["status"], "planned")
        if status == "launched":
            for t in tasks:
                t["done"] = True
        elif status == "planned" and all(t["done"] for t in tasks):
            status = "ready"
        fields = {"title": title, "item": Path(item_path).stem, "tier": r.randint(1, 3),
                  "owner": self.owner(), "status": status}
        target = item.get("target")
        if target:
            year, quarter = target.split("-Q")
            fields["date"] = f"{year}-{(int(quarter) - 1) * 3 + 1:02d}-1{r.randint(0, 9)}"
        fields["checklist"] = tasks
        return fields

    def launch(self, item_id):
        """The item shipped: its launches that are not launched yet are, every task done;
        returns their paths."""
        changed = []
        for path in self.launches_of.get(item_id, []):
            f = self.docs[path]["fields"]
            if f["status"] in ("planned", "ready"):
                f["status"] = "launched"
                for t in f["checklist"]:
                    t["done"] = True
                changed.append(path)
        return changed

    def render(self, path):
        doc = self.docs[path]
        return "---\n" + yaml(doc["fields"]) + "---\n\n" + doc["body"]

    # ---- history ------------------------------------------------------------------------
    def change(self, path, when):
        """Change an existing document as people do; returns False when nothing applies."""
        r = self.rng
        doc = self.docs[path]
        f = doc["fields"]
        if doc["kind"] == "objective":
            kr = r.choice(f["key_results"])
            if kr["current"] < kr["target"] and r.random() < 0.8:
                kr["current"] = min(kr["target"], kr["current"] + r.randint(1, 5))
            else:
                doc["body"] += "\n" + self.paragraph() + "\n"
        elif doc["kind"] == "launch":
            open_tasks = [t for t in f["checklist"] if not t["done"]]
            if open_tasks and r.random() < 0.7:
                r.choice(open_tasks)["done"] = True
                if f["status"] == "planned" and len(open_tasks) == 1:
                    f["status"] = "ready"
            else:
                doc["body"] += "\n" + self.paragraph() + "\n"
        elif doc["kind"] == "roadmap-item":
            choice = r.random()
            order = STATUSES.index(f["status"])
            if choice < 0.4 and f["status"] in ("later", "next", "now"):
                f["status"] = STATUSES[order + 1]
                f.setdefault("target", r.choice(QUARTERS[:8]))
                if f["status"] == "shipped":
                    f["shipped"] = when
            elif choice < 0.6 and "target" in f:
                k = QUARTERS.index(f["target"])
                f["target"] = QUARTERS[min(k + 1, len(QUARTERS) - 1)]
            elif choice < 0.7:
                f["owner"] = self.owner()
            else:
                doc["body"] += "\n" + self.paragraph() + "\n"
        elif doc["kind"] == "process":
            if "last_reviewed" in f and r.random() < 0.5:
                f["last_reviewed"] = max(f["last_reviewed"], when)
            else:
                doc["body"] += "\n" + self.paragraph() + "\n"
        else:
            doc["body"] += "\n" + self.paragraph() + "\n"
        return True

    def history(self):
        """Yield (author, email, time, message, [(op, path, text or new path)]) per commit."""
        r = self.rng
        first = self.n // 5
        created = 0
        span = END - START
        for c in range(self.commits):
            when = START + span * c // max(1, self.commits - 1) + r.randint(0, 3600)
            day = day_of(when)
            ops = []
            target = first if c == 0 else first + (self.n - first) * c // max(1, self.commits - 1)
            if c == self.commits - 1:
                target = self.n
            new_paths = []
            while created < target:
                path, doc = self.new_doc(created)
                created += 1
                self.docs[path] = doc
                self.ids[doc["group"]].append(path)
                new_paths.append(path)
            for path in new_paths:
                ops.append(("M", path, self.render(path)))
            if c == 0:
                ops.append(("M", "org.yml", self.org_yml()))
                ops.append(("M", "opsbook.yml", "title: Benchmark handbook\n"
                                                "rules: {orphan-page: off}\n"))
            elif self.docs:
                pool = self.ids["roadmap"] or list(self.docs)
                for _ in range(r.randint(1, 3)):
                    path = r.choice(pool if r.random() < 0.6 else list(self.docs))
                    if path not in new_paths and self.change(path, day):
                        ops.append(("M", path, self.render(path)))
                        doc = self.docs[path]
                        if doc["kind"] == "roadmap-item" and doc["fields"]["status"] == "shipped":
                            # (A launch new in this commit is written again: the last wins.)
                            for launch in self.launch(Path(path).stem):
                                ops.append(("M", launch, self.render(launch)))
                if r.random() < 0.01 and self.ids["roadmap"]:
                    ops += self.rename(r.choice(self.ids["roadmap"]), new_paths)
            pid, name = self.people[c % len(self.people)]
            message = f"Handbook update {c + 1}"
            yield name, f"{pid}@example.com", when, message, ops

    def rename(self, path, new_paths):
        """Move a roadmap item, and fix the links to it in the same commit."""
        new = path.replace("item-", "item-moved-", 1)
        if new in self.docs or path in new_paths:
            return []
        self.docs[new] = self.docs.pop(path)
        group = self.ids["roadmap"]
        group[group.index(path)] = new
        ops = [("R", path, new)]
        # Its launches name it by id.
        old_id, new_id = Path(path).stem, Path(new).stem
        launches = self.launches_of.pop(old_id, [])
        if launches:
            self.launches_of[new_id] = launches
        for launch in launches:
            self.docs[launch]["fields"]["item"] = new_id
            ops.append(("M", launch, self.render(launch)))
        for other, doc in self.docs.items():
            if path in doc["body"]:
                doc["body"] = doc["body"].replace(path, new)
                ops.append(("M", other, self.render(other)))
        return ops


def day_of(ts):
    import datetime
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime("%Y-%m-%d")


def scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    s = str(v)
    if s and (s[0].isalnum()) and all(ch.isalnum() or ch in " -.,:%" for ch in s) \
            and ": " not in s and not s.endswith(":"):
        return s
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def yaml(fields, indent=""):
    out = []
    for k, v in fields.items():
        if isinstance(v, dict):
            if k == "score":
                inner = ", ".join(f"{a}: {scalar(b)}" for a, b in v.items())
                out.append(f"{indent}score:\n{indent}  rice: {{{inner}}}")
            else:
                out.append(f"{indent}{k}:\n" + yaml(v, indent + "  ").rstrip("\n"))
        elif isinstance(v, list):
            if v and isinstance(v[0], dict):
                out.append(f"{indent}{k}:")
                for item in v:
                    inner = ", ".join(f"{a}: {scalar(b)}" for a, b in item.items())
                    out.append(f"{indent}  - {{{inner}}}")
            else:
                out.append(f"{indent}{k}: [" + ", ".join(scalar(x) for x in v) + "]")
        else:
            out.append(f"{indent}{k}: {scalar(v)}")
    return "\n".join(out) + "\n"


def fast_import(repo, commits, prefix="", transform=lambda text: text):
    """Write `commits` into a new repository at `repo` with git fast-import, each path under
    `prefix` and each text through `transform`."""
    repo.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "--initial-branch=main", str(repo)], check=True)
    p = subprocess.Popen(["git", "-C", str(repo), "fast-import", "--quiet"], stdin=subprocess.PIPE)
    w = p.stdin

    def data(text):
        b = text.encode()
        w.write(b"data %d\n" % len(b))
        w.write(b)
        w.write(b"\n")

    for n, (name, email, when, message, ops) in enumerate(commits):
        w.write(b"commit refs/heads/main\n")
        w.write(f"author {name} <{email}> {when} +0000\n".encode())
        w.write(f"committer {name} <{email}> {when} +0000\n".encode())
        data(message)
        for op, path, arg in ops:
            if op == "M":
                w.write(f"M 100644 inline {prefix}{path}\n".encode())
                data(transform(arg))
            elif op == "R":
                w.write(f'R "{prefix}{path}" "{prefix}{arg}"\n'.encode())
        w.write(b"\n")
    w.close()
    if p.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "-C", str(repo), "checkout", "-q", "-f", "main"], check=True)


HUGO_CONFIG = """baseURL = "https://example.com/"
title = "Benchmark handbook"
disableKinds = ["taxonomy", "term", "RSS"]
[markup.goldmark.renderer]
unsafe = false
"""
HUGO_LAYOUTS = {
    "_default/baseof.html": "<!doctype html><html><head><title>{{ .Title }}</title></head>"
                            "<body><nav><a href=\"{{ .Site.Home.RelPermalink }}\">Home</a></nav>"
                            "{{ block \"main\" . }}{{ end }}</body></html>\n",
    "_default/single.html": "{{ define \"main\" }}<article><h1>{{ .Title }}</h1>"
                            "{{ with .GitInfo }}<p>Updated {{ .AuthorDate.Format \"2006-01-02\" }}"
                            " by {{ .AuthorName }} ({{ .AbbreviatedHash }})</p>{{ end }}"
                            "{{ .TableOfContents }}{{ .Content }}</article>{{ end }}\n",
    "_default/list.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}"
                          "<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a> "
                          "{{ .Params.status }}</li>{{ end }}</ul>{{ end }}\n",
    "index.html": "{{ define \"main\" }}<h1>{{ .Site.Title }}</h1><ul>{{ range .Sections }}"
                  "<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a> ({{ len .Pages }})</li>"
                  "{{ end }}</ul>{{ end }}\n",
}


def hugo_text(text):
    """`outputs` means output formats to Hugo: the process field gets another name there."""
    return text.replace("\noutputs: ", "\nprocess_outputs: ", 1)


def write_hugo(out, commits):
    fast_import(out, commits, prefix="content/", transform=hugo_text)
    (out / "hugo.toml").write_text(HUGO_CONFIG)
    for rel, text in HUGO_LAYOUTS.items():
        path = out / "layouts" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (out / "content" / "opsbook.yml").unlink(missing_ok=True)
    (out / "content" / "org.yml").unlink(missing_ok=True)


def write_mdbook(out, corpus):
    src = out / "src"
    src.mkdir(parents=True)
    (out / "book.toml").write_text('[book]\ntitle = "Benchmark handbook"\nsrc = "src"\n\n'
                                   '[output.html]\n')
    summary = ["# Summary", ""]
    folders = {}
    for path in sorted(corpus.docs):
        folders.setdefault(path.rsplit("/", 1)[0], []).append(path)
    for folder, paths in sorted(folders.items()):
        readme = f"{folder}/README.md"
        (src / readme).parent.mkdir(parents=True, exist_ok=True)
        (src / readme).write_text(f"# {folder}\n")
        summary.append(f"- [{folder}]({readme})")
        for path in paths:
            doc = corpus.docs[path]
            (src / path).write_text(doc["body"])
            summary.append(f"  - [{doc['title']}]({path})")
    (src / "SUMMARY.md").write_text("\n".join(summary) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=1000, help="number of Markdown documents")
    ap.add_argument("--commits", type=int, default=500, help="number of commits of history")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", required=True, type=Path, help="folder to write (must not exist)")
    ap.add_argument("--layouts", default="handbook,hugo,mdbook",
                    help="comma-separated: handbook, hugo, mdbook (default: all three)")
    ap.add_argument("--force", action="store_true", help="replace OUT when it exists")
    args = ap.parse_args()
    layouts = set(args.layouts.split(","))
    if layouts - {"handbook", "hugo", "mdbook"}:
        ap.error(f"unknown layouts: {', '.join(sorted(layouts - {'handbook', 'hugo', 'mdbook'}))}")
    if args.docs < 1 or args.commits < 1:
        ap.error("--docs and --commits must be at least 1")
    if args.out.exists():
        if not args.force:
            ap.error(f"{args.out} exists (use --force to replace it)")
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)

    corpus = Corpus(args.docs, args.commits, args.seed)
    commits = list(corpus.history())
    if "handbook" in layouts:
        fast_import(args.out / "handbook", commits)
    if "hugo" in layouts:
        write_hugo(args.out / "hugo", commits)
    if "mdbook" in layouts:
        write_mdbook(args.out / "mdbook", corpus)
    files = sum(len(ops) for *_, ops in commits)
    print(f"{args.out}: {len(corpus.docs)} documents, {len(commits)} commits, "
          f"{files} file changes ({', '.join(sorted(layouts))})")


if __name__ == "__main__":
    main()
