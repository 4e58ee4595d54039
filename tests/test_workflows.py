"""The GitHub Actions workflows as GitHub would read them: actionlint finds nothing wrong in them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

WORKFLOWS = Path(__file__).resolve().parents[1] / ".github" / "workflows"


def actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    binary = Path(sys.executable).with_name("actionlint")
    if not binary.is_file():
        pytest.fail("actionlint is missing: pip install -e '.[test]'", pytrace=False)
    return subprocess.run([str(binary), "-no-color", *map(str, files)], capture_output=True, text=True, timeout=120)


def test_workflows_pass_actionlint() -> None:
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert [f.name for f in files] == ["publish.yml", "test.yml"]
    proc = actionlint(*files)
    assert (proc.returncode, proc.stdout + proc.stderr) == (0, "")


def test_actionlint_reports_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / ".github" / "workflows" / "publish.yml"
    broken.parent.mkdir(parents=True)
    text = (WORKFLOWS / "publish.yml").read_text(encoding="utf-8")
    broken.write_text(text.replace("steps.changed.outputs.changed", "steps.chnaged.outputs.changed"), "utf-8")
    proc = actionlint(broken)
    assert proc.returncode == 1 and "chnaged" in proc.stdout


def test_publish_workflow_runs_hourly_on_dispatch_and_deploys_only_when_changed() -> None:
    workflow = yaml.safe_load((WORKFLOWS / "publish.yml").read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert "17 * * * *" in [s["cron"] for s in triggers["schedule"]]
    assert {"workflow_dispatch", "repository_dispatch"} <= set(triggers)
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    uses = [step.get("uses", "") for step in build["steps"] + deploy["steps"]]
    for action in ("actions/cache@", "actions/configure-pages@", "actions/upload-pages-artifact@",
                   "actions/deploy-pages@"):
        assert any(u.startswith(action) for u in uses), action
    runs = "\n".join(step.get("run", "") for step in build["steps"])
    assert "hubkb changed --manifest" in runs and "hubkb publish --to site" in runs
    assert deploy["if"] == "needs.build.outputs.changed == 'true'"


def test_test_workflow_runs_make_test_and_the_translation_check() -> None:
    steps = yaml.safe_load((WORKFLOWS / "test.yml").read_text(encoding="utf-8"))["jobs"]["test"]["steps"]
    runs = [step.get("run", "") for step in steps]
    assert "bash .ci/run" in runs and ".venv/bin/hubkb i18n check" in runs
