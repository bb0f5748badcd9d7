#!/usr/bin/python3
"""Runs one job of a GitHub Actions workflow here, as the runner would.

usage: gha-local.py WORKFLOW JOB ARTIFACTS [NAME=VALUE...]

NAME=VALUE pairs are the job's matrix values (matrix.NAME) or, in upper
case, environment variables that replace the workflow's. Each "run:" step
runs with sh -e in the current directory (the checkout); of the actions,
checkout and cache have nothing to do here, and upload-artifact and
download-artifact copy files to and from the ARTIFACTS directory. Any other
expression or action is an error, so the test sees what it cannot run.
"""
import fnmatch
import glob
import os
import re
import shutil
import subprocess
import sys

import yaml


def expand(text, matrix):
    def one(m):
        expr = m.group(1).strip()
        if expr.startswith("matrix.") and expr[7:] in matrix:
            return matrix[expr[7:]]
        sys.exit(f"gha-local: cannot evaluate ${{{{ {expr} }}}}")
    return re.sub(r"\$\{\{(.*?)\}\}", one, str(text))


def main():
    workflow, job_name, artifacts = sys.argv[1:4]
    matrix, env_over = {}, {}
    for arg in sys.argv[4:]:
        name, value = arg.split("=", 1)
        (env_over if name.isupper() else matrix)[name] = value
    with open(workflow) as f:
        wf = yaml.safe_load(f)
    job = wf["jobs"][job_name]
    env = dict(os.environ)
    env.update({k: str(v) for k, v in (wf.get("env") or {}).items()})
    env.update(env_over)
    for k, v in (job.get("env") or {}).items():
        env[k] = expand(v, matrix)
    for step in job["steps"]:
        if "run" in step:
            cmd = expand(step["run"], matrix)
            print(f"gha-local: {job_name}: {cmd}", file=sys.stderr)
            rc = subprocess.run(["sh", "-ec", cmd], env=env).returncode
            if rc != 0:
                sys.exit(f"gha-local: step failed ({rc}): {cmd}")
            continue
        uses = step["uses"].split("@")[0]
        if uses in ("actions/checkout", "actions/cache"):
            continue
        args = {k: expand(v, matrix) for k, v in (step.get("with") or {}).items()}
        if uses == "actions/upload-artifact":
            dest = os.path.join(artifacts, args["name"])
            os.makedirs(dest, exist_ok=True)
            for path in glob.glob(os.path.expanduser(args["path"])):
                if os.path.isdir(path):
                    shutil.copytree(path, dest, dirs_exist_ok=True)
                else:
                    shutil.copy(path, dest)
        elif uses == "actions/download-artifact":
            for name in sorted(os.listdir(artifacts)):
                if fnmatch.fnmatch(name, args["pattern"]):
                    shutil.copytree(os.path.join(artifacts, name),
                                    os.path.join(args["path"], name),
                                    dirs_exist_ok=True)
        else:
            sys.exit(f"gha-local: cannot run {uses} here")


main()
