"""Lint and run the CI snippets of the README and docs/; run by ci-snippets.sh."""

import os
import pathlib
import re
import shutil
import subprocess
import sys

import yaml

BIN = pathlib.Path(sys.argv[1]).resolve()
WORK = pathlib.Path(sys.argv[2])
ROOT = pathlib.Path(__file__).resolve().parents[2]
failures = []


def check(ok, what, detail=""):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        print(detail)
        failures.append(what)


def run(cmd, cwd, env=None):
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env)


def snippets():
    """(target path, text) of every ```yaml block whose first line is `# <path>`."""
    for doc in [ROOT / "README.md"] + sorted((ROOT / "docs").glob("*.md")):
        if not doc.exists():
            continue
        for block in re.findall(r"```yaml\n(.*?)```", doc.read_text(), re.S):
            first = block.splitlines()[0]
            m = re.match(r"# (\S+)", first)
            if m and ("/" in m.group(1) or m.group(1).startswith(".")):
                yield str(doc.relative_to(ROOT)), m.group(1), block


ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
TEMPLATE = ROOT / "ci" / "gitlab" / "opsbook.gitlab-ci.yml"


def action_lines(label, step):
    """The commands the opsbook action runs for a step `uses: opsbook/opsbook@…`, after
    checking that every `with:` key is an input of action.yml."""
    given = {k: str(v).lower() if isinstance(v, bool) else str(v)
             for k, v in (step.get("with") or {}).items()}
    unknown = set(given) - set(ACTION["inputs"])
    check(not unknown, f"{label}: `with:` keys are inputs of action.yml", f"unknown: {unknown}")
    inputs = {k: given.get(k, str(v.get("default", ""))) for k, v in ACTION["inputs"].items()}
    strict = " --strict" if inputs["strict"] == "true" else ""
    lines = [f"opsbook check --root '{inputs['root']}' --format github{strict} {inputs['args']}"]
    if inputs["build"] == "true":
        base = f" --base-url '{inputs['base-url']}'" if inputs["base-url"] else ""
        lines.append(f"opsbook build --root '{inputs['root']}' --out '{inputs['out']}'{strict}{base}")
    return lines


def fake_tools(bindir):
    """`opsbook` is the binary built here; `curl … install.sh | sh` and `cargo install` copy it
    into ~/.cargo/bin (on the job's PATH), wherever they were asked to put it."""
    fake_cargo(bindir)
    bindir.mkdir(parents=True, exist_ok=True)
    (bindir / "opsbook").unlink(missing_ok=True)
    (bindir / "opsbook").symlink_to(BIN)
    script = bindir / "curl"
    script.write_text(f"""#!/usr/bin/env bash
# fake curl: the install script, as a script that installs the opsbook built here
case "$*" in
  *install.sh*) printf '%s\\n' 'mkdir -p "$HOME/.cargo/bin" && cp "{BIN}" "$HOME/.cargo/bin/opsbook"' ;;
  *) echo "fake curl: $*" >&2; exit 1 ;;
esac
""")
    script.chmod(0o755)


def fake_cargo(bindir):
    """A `cargo` whose `install ... [--root DIR] opsbook` copies the opsbook built here."""
    bindir.mkdir(parents=True, exist_ok=True)
    script = bindir / "cargo"
    script.write_text(f"""#!/usr/bin/env bash
[ "$1" = install ] || {{ echo "fake cargo: only install" >&2; exit 1; }}
root="${{CARGO_HOME:-$HOME/.cargo}}"
while [ $# -gt 0 ]; do [ "$1" = --root ] && root="$2"; shift; done
mkdir -p "$root/bin" && cp "{BIN}" "$root/bin/opsbook"
""")
    script.chmod(0o755)


def supported(line):
    m = re.search(r"(?:^|[\s;&|])opsbook ([a-z]+)\b", line)
    return not m or run([str(BIN), m.group(1), "--help"], ROOT).returncode == 0


def run_lines(label, lines, env):
    """Run shell lines in a git copy of example-repo, as a CI job would."""
    repo = WORK / "job"
    shutil.rmtree(repo, ignore_errors=True)
    shutil.copytree(ROOT / "example-repo", repo)
    run(["git", "init", "-q"], repo)
    script = []
    for line in lines:
        if supported(line):
            script.append(line)
        else:
            print(f"     skipped (not in this build): {line}")
    p = run(["bash", "-euo", "pipefail", "-c", "\n".join(script)], repo, env)
    check(p.returncode == 0, f"{label}: its commands run ({len(script)} lines)", p.stdout + p.stderr)


def job_env(home):
    env = dict(os.environ)
    fake = WORK / "fake-bin"
    fake_tools(fake)
    env["HOME"] = str(home)
    env["PATH"] = f"{home}/.cargo/bin:{fake}:{env['PATH']}"
    env["SOURCE_DATE_EPOCH"] = "1795392000"  # 2026-11-23: example-repo is reviewed as of then
    return env


def github(label, path, text):
    repo = WORK / "gh"
    shutil.rmtree(repo, ignore_errors=True)
    target = repo / path
    target.parent.mkdir(parents=True)
    target.write_text(text)
    run(["git", "init", "-q"], repo)
    p = run(["actionlint", "-shellcheck=", "-oneline", path], repo)
    check(p.returncode == 0, f"{label}: actionlint {path}", p.stdout + p.stderr)
    p = run(["check-jsonschema", "--builtin-schema", "vendor.github-workflows", path], repo)
    check(p.returncode == 0, f"{label}: GitHub workflow schema {path}", p.stdout + p.stderr)
    workflow = yaml.safe_load(text)
    for name, job in workflow["jobs"].items():
        lines = []
        for step in job.get("steps", []):
            if "run" in step:
                lines.append(step["run"])
            elif re.match(r"opsbook/opsbook@v\d", step.get("uses", "")):
                lines += action_lines(f"{label}: job {name}", step)
        if lines:
            run_lines(f"{label}: job {name}", lines, job_env(WORK / f"home-{name}"))


def gitlab(label, path, text):
    target = WORK / "gitlab-ci.yml"
    target.write_text(text)
    p = run(["check-jsonschema", "--builtin-schema", "vendor.gitlab-ci", str(target)], WORK)
    check(p.returncode == 0, f"{label}: GitLab CI schema {path}", p.stdout + p.stderr)
    config = yaml.safe_load(text)
    variables = {}
    if any("opsbook.gitlab-ci.yml" in str(i) for i in config.get("include", [])):
        template = yaml.safe_load(TEMPLATE.read_text())
        variables.update(template.get("variables", {}))
        config = {**template, **config}
    variables.update(config.get("variables", {}))

    def resolved(job):
        """The job with its `extends` chain merged in, as GitLab does (deep for variables)."""
        parent = config.get(job.get("extends", ""), {})
        base = resolved(parent) if parent else {}
        merged = {**base, **job}
        merged["variables"] = {**base.get("variables", {}), **job.get("variables", {})}
        return merged

    for name, job in config.items():
        if name.startswith(".") or not isinstance(job, dict):
            continue
        job = resolved(job)
        if "script" not in job:
            continue
        if "image" in job and "before_script" in job and "apt-get" in " ".join(job["before_script"]):
            job["before_script"] = [l for l in job["before_script"] if "apt-get" not in l]
        lines = job.get("before_script", []) + job["script"]
        env = job_env(WORK / f"home-{name}")
        env.update({k: str(v) for k, v in {**variables, **job["variables"]}.items()})
        run_lines(f"{label}: job {name}", lines, env)


def pre_commit(label, path, text):
    target = WORK / "pre-commit-config.yaml"
    target.write_text(text)
    p = run(["pre-commit", "validate-config", str(target)], WORK)
    check(p.returncode == 0, f"{label}: pre-commit validate-config", p.stdout + p.stderr)


def init_workflow_matches_readme(blocks):
    book = WORK / "init"
    run([str(BIN), "init", str(book)], ROOT)
    written = (book / ".github/workflows/handbook.yml").read_text()
    github("opsbook init", ".github/workflows/handbook.yml", written)
    pre_commit("opsbook init", ".pre-commit-config.yaml", (book / ".pre-commit-config.yaml").read_text())

    def body(t):
        return "\n".join(line for line in t.splitlines() if not line.startswith("#")).strip()

    shown = [t for _, p, t in blocks if p == ".github/workflows/handbook.yml"]
    check(bool(shown) and all(body(t) == body(written) for t in shown),
          "the docs' handbook.yml is the workflow `opsbook init` writes")


blocks = list(snippets())
check(len(blocks) >= 5, f"{len(blocks)} CI snippets found")
for doc, path, text in blocks:
    label = f"{doc} {path}"
    if path.startswith(".github/workflows/"):
        github(label, path, text)
    elif path == ".gitlab-ci.yml":
        gitlab(label, path, text)
    elif path.startswith(".pre-commit-config.yaml"):
        pre_commit(label, path, text)
init_workflow_matches_readme(blocks)
if failures:
    sys.exit(f"{len(failures)} failed")
print("all CI snippets passed")
