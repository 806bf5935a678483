"""The GitHub Actions workflows: valid by GitHub's schema, and doing what the course promises.

* ``.github/workflows/ci.yml``: on every push and pull request, ``bash .ci/run``
  (the README's set-up and test commands) on Python 3.11, with the dataset
  download folder cached under a key tied to the dataset registry.
* ``.github/workflows/gpu-full.yml``: on the self-hosted GPU runner, by hand
  (chapters to choose) or weekly, the full profile of the chapters, the book
  built in the full profile, and four artifacts: ``results/full.jsonl``,
  ``results/timings-full.jsonl``, the HTML book and the Colab notebooks.

Schema validation uses ``check-jsonschema --builtin-schema
vendor.github-workflows``: the schema ships inside that package, so the test
needs no network.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
CI = WORKFLOWS / "ci.yml"
GPU = WORKFLOWS / "gpu-full.yml"

# Current major versions of the actions the workflows use.
ACTION_VERSIONS = {
    "actions/checkout": "v4",
    "actions/setup-python": "v5",
    "actions/cache": "v4",
    "actions/upload-artifact": "v4",
}


def check_workflow_schema(*paths: Path) -> subprocess.CompletedProcess[str]:
    """Run check-jsonschema on ``paths`` against GitHub's workflow schema (offline)."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def load(path: Path) -> dict:
    workflow = yaml.safe_load(path.read_text())
    # YAML 1.1 (PyYAML) reads the bare key `on` as the boolean True.
    if True in workflow:
        workflow["on"] = workflow.pop(True)
    return workflow


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def run_scripts(workflow: dict) -> str:
    return "\n".join(step["run"] for step in steps(workflow) if "run" in step)


def environment_names(workflow: dict) -> set[str]:
    """Every variable set in an ``env:`` block, at any level, or written to $GITHUB_ENV by a
    script."""
    blocks = [workflow, *workflow["jobs"].values(), *steps(workflow)]
    names = {name for block in blocks for name in block.get("env", {})}
    return names | {
        line.split("=")[0].split()[-1].strip("'\"")
        for line in run_scripts(workflow).splitlines()
        if "GITHUB_ENV" in line
    }


def action_steps(workflow: dict, action: str) -> list[dict]:
    return [step for step in steps(workflow) if step.get("uses", "").split("@")[0] == action]


# --- GitHub's workflow schema ---------------------------------------------------------

A_VALID_WORKFLOW = """\
name: minimal
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - uses: actions/checkout@v4
      - run: echo hello
"""

BROKEN_WORKFLOWS = {
    "job without runs-on": A_VALID_WORKFLOW.replace("    runs-on: ubuntu-latest\n", ""),
    "misspelt steps key": A_VALID_WORKFLOW.replace("    steps:\n", "    step:\n"),
    "timeout that is not a number": A_VALID_WORKFLOW.replace(
        "timeout-minutes: 5", "timeout-minutes: [5]"
    ),
    "unknown trigger": A_VALID_WORKFLOW.replace("on: [push]", "on: [pushed]"),
}


@pytest.mark.parametrize("path", [CI, GPU], ids=lambda path: path.name)
def test_workflow_is_valid_by_the_github_workflow_schema(path):
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing"
    result = check_workflow_schema(path)
    assert result.returncode == 0, (
        f"{path.name} is not a valid workflow:\n{result.stdout}\n{result.stderr}"
    )


def test_the_schema_check_accepts_a_minimal_valid_workflow(tmp_path):
    """The control for the test below: the broken workflows differ from this one in one place
    each."""
    path = tmp_path / "valid.yml"
    path.write_text(A_VALID_WORKFLOW)
    result = check_workflow_schema(path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("defect", BROKEN_WORKFLOWS)
def test_the_schema_check_rejects_a_broken_workflow(tmp_path, defect):
    path = tmp_path / "broken.yml"
    path.write_text(BROKEN_WORKFLOWS[defect])
    result = check_workflow_schema(path)
    assert result.returncode == 1, (
        f"a workflow with a {defect} passed:\n{result.stdout}\n{result.stderr}"
    )
    assert "broken.yml" in result.stdout + result.stderr  # a validation error, not a crash


# --- both workflows --------------------------------------------------------------------


@pytest.mark.parametrize("path", [CI, GPU], ids=lambda path: path.name)
def test_workflow_uses_current_action_versions(path):
    workflow = load(path)
    used = [step["uses"] for step in steps(workflow) if "uses" in step]
    assert used
    for uses in used:
        action, _, version = uses.partition("@")
        assert action in ACTION_VERSIONS, f"{path.name}: unexpected action {uses}"
        assert version == ACTION_VERSIONS[action], (
            f"{path.name}: {uses}, expected @{ACTION_VERSIONS[action]}"
        )


@pytest.mark.parametrize("path", [CI, GPU], ids=lambda path: path.name)
def test_workflow_has_timeouts_and_a_concurrency_group(path):
    workflow = load(path)
    assert workflow.get("concurrency", {}).get("group"), f"{path.name}: no concurrency group"
    for name, job in workflow["jobs"].items():
        assert isinstance(job.get("timeout-minutes"), int), (
            f"{path.name}: job {name} has no timeout-minutes"
        )


@pytest.mark.parametrize("path", [CI, GPU], ids=lambda path: path.name)
def test_workflow_runs_python_3_11_and_only_reads_the_repository(path):
    """3.11 for the book and the tests; 3.13, Colab's, for the Colab notebooks."""
    workflow = load(path)
    assert [
        step["with"]["python-version"] for step in action_steps(workflow, "actions/setup-python")
    ] == ["3.13", "3.11"]
    assert workflow.get("permissions") == {"contents": "read"}


# --- CI ----------------------------------------------------------------------------------


def test_ci_runs_on_every_push_and_pull_request():
    triggers = load(CI)["on"]
    assert "push" in triggers and "pull_request" in triggers
    # No branch or path filters: every push, every pull request.
    assert not (triggers.get("push") or triggers.get("pull_request"))


def test_ci_runs_the_ci_script():
    """The set-up and test commands come from README.md through .ci/run, never a copy of them."""
    workflow = load(CI)
    assert [script.strip() for script in run_scripts(workflow).splitlines()] == ["bash .ci/run"]
    assert (ROOT / ".ci" / "run").is_file()
    job = next(iter(workflow["jobs"].values()))
    assert job["runs-on"] == "ubuntu-latest"


def test_ci_caches_the_download_folder_by_the_registry_hash():
    workflow = load(CI)
    job = next(iter(workflow["jobs"].values()))
    (cache,) = action_steps(workflow, "actions/cache")
    assert "hashFiles('course/data/registry.py')" in cache["with"]["key"]
    data_home = job["env"]["COURSE_DATA_HOME"]
    assert data_home == "${{ github.workspace }}/" + cache["with"]["path"], (
        "the cache must hold COURSE_DATA_HOME"
    )
    # The cache step comes before the step that fills it.
    names = [step.get("uses", step.get("run", "")) for step in job["steps"]]
    assert names.index(cache["uses"]) < names.index("bash .ci/run")


def test_ci_leaves_downloads_on():
    """On GitHub there is a network: COURSE_DATA_OFFLINE must not be set.

    Any non-empty value, "0" too, is offline.
    """
    workflow = load(CI)
    assert "COURSE_DATA_HOME" in environment_names(workflow)  # the helper sees env blocks
    assert "COURSE_DATA_OFFLINE" not in environment_names(workflow)
    assert "COURSE_DATA_OFFLINE" not in run_scripts(workflow)


# --- the GPU runner ------------------------------------------------------------------------


def test_gpu_workflow_runs_on_the_self_hosted_gpu_runner():
    jobs = load(GPU)["jobs"]
    assert jobs["full"]["runs-on"] == ["self-hosted", "gpu"]
    assert jobs["colab-container"]["runs-on"] == ["self-hosted", "gpu"]


def test_gpu_workflow_offers_colabs_own_runtime_image():
    workflow = load(GPU)
    job = workflow["jobs"]["colab-container"]
    assert job["container"]["image"] == "us-docker.pkg.dev/colab-images/public/runtime"
    assert "--gpus all" in job["container"]["options"]
    assert job["if"] == "${{ inputs.colab_container }}"
    assert workflow["on"]["workflow_dispatch"]["inputs"]["colab_container"]["type"] == "boolean"
    scripts = "\n".join(step.get("run", "") for step in job["steps"])
    assert "python -m bookbuild.verify_colab --profile full --no-book-cache" in scripts


def test_gpu_workflow_is_started_by_hand_with_chapters_or_weekly():
    triggers = load(GPU)["on"]
    assert set(triggers) == {"workflow_dispatch", "schedule"}
    chapters = triggers["workflow_dispatch"]["inputs"]["chapters"]
    assert chapters["default"] == "all" and chapters["type"] == "string"
    (schedule,) = triggers["schedule"]
    minute, hour, day_of_month, month, day_of_week = schedule["cron"].split()
    assert (day_of_month, month) == ("*", "*") and day_of_week.isdigit(), "not weekly"


def test_gpu_workflow_never_puts_the_chapters_input_into_a_script():
    """The input reaches the script through the environment only (no script injection)."""
    workflow = load(GPU)
    assert "inputs." not in run_scripts(workflow)
    for job in workflow["jobs"].values():
        assert "inputs.chapters" in job["env"]["CHAPTERS"]


def test_gpu_workflow_installs_the_gpu_tensorflow_build():
    scripts = run_scripts(load(GPU))
    install = scripts.index("pip install -r requirements.txt")
    remove_cpu_build = scripts.index("pip uninstall -y tensorflow-cpu")
    gpu_build = scripts.index('pip install "tensorflow[and-cuda]"')
    assert install < remove_cpu_build < gpu_build


def test_gpu_workflow_keeps_the_data_on_the_runner():
    workflow = load(GPU)
    assert "COURSE_DATA_HOME" in environment_names(workflow)
    assert not action_steps(workflow, "actions/cache"), (
        "a persistent runner keeps its data folder itself"
    )
    assert "COURSE_DATA_OFFLINE" not in environment_names(workflow)
    assert "COURSE_DATA_OFFLINE" not in run_scripts(workflow)


def test_gpu_workflow_runs_the_full_profile_then_builds_the_book_in_it():
    workflow = load(GPU)
    job = workflow["jobs"]["full"]
    assert job["env"]["COURSE_PROFILE"] == "full"
    scripts = run_scripts(workflow)
    execute = scripts.index(
        'python -m bookbuild.verify_colab --profile full --tensorflow "tensorflow[and-cuda]" '
        '"${chapters[@]}"'
    )
    build = scripts.index("COURSE_PROFILE=full jupyter-book build . --warningiserror --keep-going")
    assert execute < build


def test_gpu_workflow_uploads_the_four_artifacts_after_the_runs():
    workflow = load(GPU)
    job = workflow["jobs"]["full"]
    uploads = [
        step for step in job["steps"] if step.get("uses", "").startswith("actions/upload-artifact")
    ]
    paths = {step["with"]["path"]: step for step in uploads}
    for path in [
        "results/full.jsonl",
        "results/timings-full.jsonl",
        "_build/html",
        "_build/colab",
    ]:
        assert path in paths, f"{path} is not uploaded"
    names = [step["with"]["name"] for step in uploads]
    assert len(set(names)) == len(names), "artifact names must differ"
    # The book and the Colab notebooks only from a build that passed; the results even from a
    # failed one.
    for path in ["_build/html", "_build/colab"]:
        assert "if" not in paths[path] and paths[path]["with"]["if-no-files-found"] == "error"
    last_run = max(index for index, step in enumerate(job["steps"]) if "run" in step)
    assert all(job["steps"].index(step) > last_run for step in uploads)
