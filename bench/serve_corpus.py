#!/usr/bin/env python3
"""A generated handbook for the `opsbook serve` rows of the benchmark.

Writes a handbook of N documents under OUT (a git repository with a short history, fixed
authors and dates, so the same arguments give the same bytes): roadmap items (most of it),
processes (a quarter), a charter per team, guides, and org.yml with people, roles and teams.
Items reference owners, teams, themes and earlier items; bodies have sections and links to
other documents, so an edit reaches a realistic part of the site.

Usage: python3 bench/serve_corpus.py --docs 1000 --out /tmp/serve-corpus-1000 [--seed 42]
"""
import argparse
import os
import random
import shutil
import subprocess
from pathlib import Path

AREAS = ["checkout", "onboarding", "billing", "search", "permissions", "audit log",
         "data export", "single sign-on", "notifications", "reporting", "webhooks",
         "mobile app", "pricing page", "feature flags", "public API", "localization"]
VERBS = ["Ship", "Launch", "Redesign", "Migrate", "Automate", "Simplify", "Harden", "Scale"]
THEMES = ["Enterprise readiness", "Self-serve growth", "Platform reliability", "Monetization",
          "Trust and safety", "Developer experience", "Activation", "Retention"]
TEAM_NAMES = ["billing", "growth", "platform", "identity", "payments", "search", "mobile",
              "data", "enterprise", "onboarding", "reliability", "security", "insights",
              "partners", "pricing", "infra", "notifications", "compliance", "api", "ledger"]
ROLES = ["product-lead", "eng-manager", "tech-lead", "designer", "engineer"]
WORDS = ("the team measures conversion latency rollout backlog cohort dashboard runbook alert "
         "segment experiment launch dependency milestone handoff quota contract integration "
         "approval checklist customers admins partners weekly quarterly reliable manual").split()
TODAY = "2026-11-23"


def sentence(r):
    n = r.randint(8, 16)
    return " ".join(r.choice(WORDS) for _ in range(n)).capitalize() + "."


def paragraph(r):
    return " ".join(sentence(r) for _ in range(r.randint(2, 5)))


def git(root, *args, day="2026-11-01"):
    env = dict(os.environ, GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.com",
               GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.com",
               GIT_AUTHOR_DATE=f"{day}T12:00:00+00:00", GIT_COMMITTER_DATE=f"{day}T12:00:00+00:00",
               GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null", HOME=str(root))
    subprocess.run(["git", *args], cwd=root, env=env, check=True, stdout=subprocess.DEVNULL)


def generate(n, out, seed=42):
    r = random.Random(seed)
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    teams = TEAM_NAMES[:max(3, min(len(TEAM_NAMES), n // 250))]
    people = [f"person-{i:04d}" for i in range(max(12, n // 25))]
    files = {"opsbook.yml": "title: Serve benchmark handbook\n"}
    org = ["roles:"]
    for role in ROLES:
        org += [f"  - id: {role}", f"    title: {role.replace('-', ' ').title()}",
                f"    responsibilities: [Owns {role} work]"]
    org.append("teams:")
    for k, t in enumerate(teams):
        org += [f"  - id: {t}", f"    name: {t.title()}", f"    lead: {people[k % len(people)]}"]
    org.append("people:")
    for k, p in enumerate(people):
        org += [f"  - id: {p}", f"    name: Person {k}", f"    roles: [{ROLES[k % len(ROLES)]}]",
                f"    teams: [{teams[k % len(teams)]}]"]
    files["org.yml"] = "\n".join(org) + "\n"
    n_process = n // 4
    n_guides = max(2, n // 50)
    n_items = max(1, n - n_process - len(teams) - n_guides)
    items = [f"rm-{i:05d}" for i in range(n_items)]
    processes = [f"pr-{i:05d}" for i in range(n_process)]
    for k, t in enumerate(teams):
        files[f"charters/{t}.md"] = (
            f"---\ntitle: {t.title()} charter\nteam: {t}\nmission: Make {r.choice(AREAS)} simple.\n"
            f"roles: [product-lead, engineer]\nlast_reviewed: 2026-10-01\nresponsibilities:\n"
            f"  - id: plan\n    activity: Plan the quarter\n    A: product-lead\n    R: [engineer]\n"
            f"---\n# {t.title()} charter\n\n{paragraph(r)}\n")
    for i, p in enumerate(processes):
        files[f"processes/{p}.md"] = (
            f"---\ntitle: Process {i} for {r.choice(AREAS)}\nowner: {r.choice(people)}\n"
            f"cadence: weekly\nparticipants: [{r.choice(ROLES)}]\nlast_reviewed: 2026-11-0{r.randint(1, 9)}\n"
            f"---\n# Process {i}\n\n## Purpose\n\n{paragraph(r)}\n\n## Steps\n\n1. {sentence(r)}\n"
            f"2. {sentence(r)}\n")
    statuses = ["shipped", "now", "next", "later"]
    for i, it in enumerate(items):
        st = statuses[i % 4]
        fm = [f"title: {r.choice(VERBS)} {r.choice(AREAS)} {i}", f"status: {st}",
              f"owner: {r.choice(people)}", f"team: {r.choice(teams)}", f"theme: {r.choice(THEMES)}"]
        if st == "shipped":
            fm.append(f"shipped: 2026-0{r.randint(1, 9)}-1{r.randint(0, 9)}")
        elif st != "later":
            fm.append("target: 2027-Q1")
        shipped_before = [items[j] for j in range(0, i, 4)][-50:]
        if st != "shipped" and shipped_before and r.random() < 0.5:
            fm.append(f"depends_on: [{r.choice(shipped_before)}]")
        fm.append(f"score:\n  rice: {{reach: {r.randint(1, 90) * 100}, impact: 1, confidence: 0.5, effort: 2}}")
        links = " ".join(f"See [{x}]({x}.md)." for x in r.sample(items, min(2, len(items))))
        body = "\n\n".join([f"# Item {i}", "## Context", paragraph(r), links, "## Goals",
                            paragraph(r), "## Proposed approach", paragraph(r), paragraph(r)])
        files[f"roadmap/{it}.md"] = "---\n" + "\n".join(fm) + "\n---\n" + body + "\n"
    for g in range(n_guides):
        targets = r.sample(items, min(3, len(items)))
        files[f"guides/guide-{g:03d}.md"] = (
            f"# Guide {g}\n\n{paragraph(r)}\n\n" + "\n".join(
                f"- [{t}](../roadmap/{t}.md#context)" for t in targets) + "\n")
    for rel, text in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    git(out, "init", "-q", "-b", "main")
    git(out, "add", "-A")
    git(out, "commit", "-q", "-m", "Start the handbook")
    # A short history: a few commits that each touch some items.
    for c in range(1, 6):
        for it in r.sample(items, min(20, len(items))):
            path = out / "roadmap" / f"{it}.md"
            path.write_text(path.read_text() + f"\nUpdate {c}.\n")
        git(out, "commit", "-q", "-am", f"Update {c}", day=f"2026-11-{10 + c:02d}")
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    generate(a.docs, a.out, a.seed)


if __name__ == "__main__":
    main()
