"""Run the shell steps of action.yml as the GitHub runner would, on this machine.

    action_run.py ACTION_DIR WORKSPACE RELEASES_URL KEY=VALUE...

Each `run:` step runs with bash -eo pipefail in WORKSPACE, with its `env:` evaluated and the
runner's files (GITHUB_OUTPUT, GITHUB_PATH) honoured; `uses:` steps (actions/cache) are
skipped, as a cache miss. Expressions are the few the action uses: inputs.X, steps.ID.outputs.X,
github.X, runner.X, and `A == 'v'` / `A != 'v'` in `if:`. KEY=VALUE pairs are the inputs.
Prints each step's output; exits with the first failing step's code.
"""
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

action_dir, workspace, releases = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
given = dict(a.split("=", 1) for a in sys.argv[4:])
action = yaml.safe_load((action_dir / "action.yml").read_text())
inputs = {k: given.get(k, str(v.get("default", ""))) for k, v in action["inputs"].items()}
unknown = set(given) - set(inputs)
if unknown:
    sys.exit(f"not inputs of the action: {', '.join(sorted(unknown))}")
outputs = {}
tmp = Path(tempfile.mkdtemp())
path_extra = []
context = {
    "github": {"action_ref": "", "action_repository": "", "action_path": str(action_dir),
               "token": "", "sha": "0" * 40},
    "runner": {"tool_cache": str(tmp / "toolcache"), "os": "Linux", "arch": "X64"},
}


def value(expr):
    expr = expr.strip()
    m = re.fullmatch(r"'([^']*)'", expr)
    if m:
        return m.group(1)
    parts = expr.split(".")
    if parts[0] == "inputs":
        return inputs[parts[1]]
    if parts[0] == "steps":
        return outputs.get(parts[1], {}).get(parts[3], "")
    if parts[0] in context:
        return context[parts[0]][parts[1]]
    raise SystemExit(f"unsupported expression: {expr}")


def evaluate(expr):
    m = re.fullmatch(r"(.+?)\s*(==|!=)\s*(.+)", expr.strip())
    if m:
        a, op, b = value(m.group(1)), m.group(2), value(m.group(3))
        return (a == b) == (op == "==")
    return value(expr)


def substitute(text):
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: str(evaluate(m.group(1))), str(text))


for step in action["runs"]["steps"]:
    name = step.get("name") or step.get("id")
    cond = step.get("if")
    if cond is not None and not evaluate(re.sub(r"^\$\{\{(.*)\}\}$", r"\1", cond.strip())):
        print(f"-- {name}: skipped ({cond})")
        continue
    if "uses" in step:
        print(f"-- {name}: skipped ({step['uses']}: a cache miss here)")
        continue
    out_file, path_file = tmp / "output", tmp / "path"
    out_file.write_text("")
    path_file.write_text("")
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join(path_extra + [env["PATH"]])
    env.update({k: substitute(v) for k, v in (step.get("env") or {}).items()})
    env.update(GITHUB_OUTPUT=str(out_file), GITHUB_PATH=str(path_file),
               GITHUB_ACTION_PATH=str(action_dir), OPSBOOK_RELEASES=releases)
    print(f"-- {name}")
    done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                           substitute(step["run"])], cwd=workspace, env=env)
    if done.returncode != 0:
        print(f"-- {name}: exit {done.returncode}")
        sys.exit(done.returncode)
    if "id" in step:
        outputs[step["id"]] = dict(line.split("=", 1) for line in out_file.read_text().splitlines()
                                   if "=" in line)
    path_extra = [p for p in path_file.read_text().splitlines() if p] + path_extra
print("-- outputs: " + ", ".join(f"{k}={substitute(v['value'])}"
                                for k, v in action.get("outputs", {}).items()))
