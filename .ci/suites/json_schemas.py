"""Validate opsbook's JSON outputs against JSON Schemas; run by json-schemas.sh."""

import copy
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

import yaml
from jsonschema import Draft4Validator, Draft202012Validator, FormatChecker

BIN = str(pathlib.Path(sys.argv[1]).resolve())
ROOT = pathlib.Path(__file__).resolve().parents[2]
TODAY = "2026-11-23"
FOLDERS = {"roadmap": "roadmap-item", "charters": "charter", "processes": "process",
           "people": "person", "roles": "role", "teams": "team", "objectives": "objective",
           "metrics": "metric", "launches": "launch"}
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def opsbook(*args, cwd=ROOT, codes=(0,)):
    p = subprocess.run([BIN, *args], cwd=cwd, capture_output=True, text=True)
    if p.returncode not in codes:
        sys.exit(f"opsbook {' '.join(args)} exited {p.returncode}: {p.stderr}")
    return p.stdout


class Loader(yaml.SafeLoader):
    """YAML as opsbook reads it: dates stay strings, only true/false are booleans."""


Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Loader.add_implicit_resolver("tag:yaml.org,2002:bool",
                             re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def frontmatter(text):
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].rstrip() != "---":
        return None
    for i, line in enumerate(lines[1:], 1):
        if line.rstrip() in ("---", "..."):
            return yaml.load("\n".join(lines[1:i]), Loader=Loader) or {}
    raise ValueError("unterminated frontmatter")


def documents(root):
    """(label, kind, fields) for every frontmatter and org.yml entry under root."""
    for path in sorted(root.rglob("*.md")):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts):
            continue
        fields = frontmatter(path.read_text())
        if fields is None:
            continue
        kind = fields.get("kind") or (FOLDERS.get(rel.parts[0], "page") if len(rel.parts) > 1 else "page")
        yield str(rel), kind, fields
    org = root / "org.yml"
    if org.exists():
        data = yaml.load(org.read_text(), Loader=Loader) or {}
        yield "org.yml", "org", data
        for key, kind in (("people", "person"), ("roles", "role"), ("teams", "team")):
            for entry in data.get(key) or []:
                yield f"org.yml {key}/{entry.get('id')}", kind, entry


def errors(validator, instance):
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(instance)]


def sarif():
    schema = json.loads((ROOT / "tests/sarif-schema-2.1.0.json").read_text())
    Draft4Validator.check_schema(schema)
    validator = Draft4Validator(schema, format_checker=FormatChecker())
    with tempfile.TemporaryDirectory() as tmp:
        odd = pathlib.Path(tmp) / "odd"
        shutil.copytree(ROOT / "tests/fixtures/ci-findings", odd)
        (odd / "guides").mkdir(exist_ok=True)
        (odd / "guides/ünïcode & spaces.md").write_text("# Café\n\n[x](nowhere.md)\n")
        (odd / "roadmap/latin1.md").write_bytes(b"---\ntitle: caf\xe9\n---\n")
        for label, root, at_least in (("example-repo", ROOT / "example-repo", 0),
                                      ("ci-findings", ROOT / "tests/fixtures/ci-findings", 5),
                                      ("odd file names", odd, 7)):
            log = json.loads(opsbook("check", "--root", str(root), "--format", "sarif",
                                     "--today", TODAY, codes=(0, 1)))
            found = errors(validator, log)
            results = log["runs"][0]["results"]
            check(not found and len(results) >= at_least,
                  f"SARIF of {label} is valid 2.1.0 ({len(results)} results) {found[:3]}")
        # The validator does reject what the schema forbids.
        results[0]["level"] = "fatal"
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "a b"
        check(len(errors(validator, log)) == 2, "a SARIF log with a bad level and URI is rejected")


def frontmatter_schema():
    schema = json.loads(opsbook("schema"))
    Draft202012Validator.check_schema(schema)
    root_validator = Draft202012Validator(schema)

    def of(kind):
        return Draft202012Validator({"$defs": schema["$defs"], "$ref": f"#/$defs/{kind}"})

    with tempfile.TemporaryDirectory() as tmp:
        init = pathlib.Path(tmp) / "init"
        opsbook("init", str(init), "--today", TODAY)
        for root in (ROOT / "example-repo", init):
            count = 0
            for label, kind, fields in documents(root):
                count += 1
                found = errors(of(kind), fields)
                if kind != "org":
                    found += errors(root_validator, fields)
                alone = json.loads(opsbook("schema", kind))
                Draft202012Validator.check_schema(alone)
                found += errors(Draft202012Validator(alone), fields)
                if found:
                    check(False, f"{root.name}/{label} ({kind}) validates: {found}")
            check(count > 5, f"{count} frontmatters of {root.name} validate against `opsbook schema`")

    # Broken documents: the schema rejects them, and `opsbook check` flags them too.
    item = ("roadmap/sso-okta.md", "roadmap-item")
    charter = ("charters/platform.md", "charter")
    process = ("processes/feedback-triage.md", "process")
    broken = [
        (item, "status typo", lambda f: f.update(status="nwo")),
        (item, "unknown field", lambda f: f.update(ownr="ana")),
        (item, "impossible date", lambda f: f.update(shipped="2026-02-31x")),
        (item, "now without owner", lambda f: (f.update(status="now"), f.pop("owner"))),
        (item, "owner of a wrong kind", lambda f: f.update(owner="charter:platform")),
        (item, "RICE effort 0", lambda f: f["score"]["rice"].update(effort=0)),
        (charter, "no mission", lambda f: f.pop("mission")),
        (charter, "two accountable", lambda f: f["responsibilities"][0].update(A=["a", "b"])),
        (process, "cadence typo", lambda f: f.update(cadence="weekley")),
        (process, "on-demand without trigger", lambda f: f.update(cadence="on-demand")),
        (process, "review_every in words", lambda f: f.update(review_every="3 months")),
    ]
    for (rel, kind), what, mutate in broken:
        text = (ROOT / "example-repo" / rel).read_text()
        fields = copy.deepcopy(frontmatter(text))
        mutate(fields)
        rejected = bool(errors(of(kind), fields))
        with tempfile.TemporaryDirectory() as tmp:
            copy_root = pathlib.Path(tmp) / "book"
            shutil.copytree(ROOT / "example-repo", copy_root)
            body = text.split("\n---\n", 1)[1]
            dumped = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True)
            (copy_root / rel).write_text(f"---\n{dumped}---\n{body}")
            report = json.loads(opsbook("check", "--root", str(copy_root), "--format", "json",
                                        "--today", TODAY, str(copy_root / rel), codes=(0, 1)))
        flagged = [d["rule"] for d in report["diagnostics"] if d["severity"] in ("error", "warning")]
        check(rejected and flagged, f"{what}: schema rejects it, check flags it {flagged}")


EXPORT_CONTRACT = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["docs", "diagnostics"],
    "properties": {
        "docs": {"type": "array", "items": {
            "type": "object",
            "required": ["path", "kind", "id", "title", "fields", "computed", "git", "freshness",
                         "history"],
            "properties": {
                "path": {"type": "string"},
                "kind": {"enum": ["roadmap-item", "charter", "process", "person", "role", "team",
                                  "objective", "metric", "launch", "page"]},
                "id": {"type": "string"},
                "title": {"type": "string"},
                "fields": {"type": "object"},
                "computed": {"anyOf": [{"type": "null"}, {"type": "object"}]},
                "git": {"anyOf": [{"type": "null"}, {
                    "type": "object",
                    "required": ["commit", "updated", "author", "created", "commits", "approximate"],
                    "additionalProperties": False,
                    "properties": {
                        "commit": {"type": "string", "pattern": "^[0-9a-f]{40,64}$"},
                        "updated": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                        "author": {"type": "string"},
                        "created": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                        "commits": {"type": "integer", "minimum": 1},
                        "approximate": {"type": "boolean"},
                    }}]},
                "freshness": {"anyOf": [{"type": "null"}, {
                    "type": "object", "required": ["state", "reviewed", "source", "due"],
                    "properties": {
                        "state": {"enum": ["fresh", "due-soon", "overdue", "stale"]},
                        "reviewed": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                        "source": {"enum": ["frontmatter", "git"]},
                        "due": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                    }}]},
                "history": {"type": "array", "items": {
                    "type": "object",
                    "required": ["commit", "date", "author", "changes"],
                    "properties": {
                        "commit": {"type": "string"},
                        "date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                        "author": {"type": "string"},
                        "changes": {"type": "object", "additionalProperties": {
                            "type": "array", "minItems": 2, "maxItems": 2}},
                    }}},
            }}},
        "diagnostics": {"type": "array", "items": {
            "type": "object",
            "required": ["path", "line", "column", "end_line", "end_column", "severity", "rule",
                         "message", "help"],
            "properties": {"severity": {"enum": ["error", "warning", "info"]}}}},
    },
}


def export():
    for root in (ROOT / "example-repo", ROOT / "tests/fixtures/ci-findings"):
        data = json.loads(opsbook("export", "--root", str(root), "--today", TODAY))
        found = errors(Draft202012Validator(EXPORT_CONTRACT), data)
        check(not found and data["docs"], f"export of {root.name} keeps the contract {found[:3]}")


sarif()
frontmatter_schema()
export()
if failures:
    sys.exit(f"{len(failures)} failed")
print("all JSON schema checks passed")
