"""Saving the official targets: only quan_tri, previous version kept, atomic, audited."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from data_access.auth import Actor, PermissionDenied, add_user, cli_actor, read_audit
from data_access.targets_file import history_dir, save_targets_file
from kpi.targets import dump_targets_toml, load_targets, with_overrides
from tests.helpers import ROOT

ADMIN = Actor("qt", "quan_tri")


def test_save_keeps_previous_version_and_audits(engine: sa.Engine, tmp_path: Path) -> None:
    # a web actor must be a stored account (data_access.account_check)
    add_user(engine, cli_actor(), ADMIN.username, "mat-khau-dai", ADMIN.role)
    path = tmp_path / "targets.toml"
    base = (ROOT / "targets.toml").read_text(encoding="utf-8")
    path.write_text(base, encoding="utf-8")
    plan = load_targets(path)
    scenario = with_overrides(plan, targets={"online_payment": 0.6})
    new_text = dump_targets_toml(scenario, base)
    keep = save_targets_file(
        engine,
        ADMIN,
        path,
        new_text,
        old_targets={"online_payment": 0.45},
        new_targets={"online_payment": 0.6},
    )
    assert load_targets(path).kpis["online_payment"].target == 0.6
    assert keep.parent == history_dir(path) and keep.read_text(encoding="utf-8") == base
    assert "# " in path.read_text(encoding="utf-8")  # the plan's comments are still there
    log = read_audit(engine, ADMIN)
    row = log.iloc[0]
    assert row["action"] == "save_targets" and row["username"] == "qt"
    detail = json.loads(row["detail"])
    assert detail["old"] == {"online_payment": 0.45} and detail["new"] == {"online_payment": 0.6}
    assert not list(tmp_path.glob(".targets-*"))  # no temporary file left behind


@pytest.mark.parametrize("role", ["lanh_dao", "van_phong"])
def test_only_an_administrator_may_save(engine: sa.Engine, tmp_path: Path, role: str) -> None:
    path = tmp_path / "targets.toml"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(PermissionDenied):
        save_targets_file(engine, Actor("u", role), path, "y", old_targets={}, new_targets={})
    assert path.read_text(encoding="utf-8") == "x"
    assert not history_dir(path).exists()
