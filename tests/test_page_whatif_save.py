"""Saving a what-if scenario as the official targets from the page (quan_tri only, confirmed, audited)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data_access.auth import add_user, cli_actor, read_audit
from data_access.store import open_engine
from kpi.targets import load_targets
from tests.helpers import ROOT


def _signed_in(url: str, env: pytest.MonkeyPatch, role: str, tmp_path: Path) -> tuple[AppTest, Path]:
    targets = tmp_path / "targets.toml"
    shutil.copyfile(ROOT / "targets.toml", targets)
    env.setenv("TARGETS_FILE", str(targets))
    env.setenv("DATABASE_URL", url)
    add_user(open_engine(url), cli_actor(), "nguoi", "mat-khau-dai", role)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.text_input(key="signin_user").input("nguoi")
    at.text_input(key="signin_password").input("mat-khau-dai")
    at.button[0].click().run()
    assert not at.exception, at.exception
    at.switch_page("pages/whatif.py").run()
    assert not at.exception, at.exception
    return at, targets


def test_administrator_saves_scenario_as_official(
    sample_db_url: str, app_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    at, targets = _signed_in(sample_db_url, app_env, "quan_tri", tmp_path)
    at.text_input(key="target_online_payment").set_value("60").run()
    assert load_targets(targets).kpis["online_payment"].target == 0.45  # nothing written yet
    at.button(key="whatif_save").click().run()
    assert any("Lưu chỉ tiêu giả định thành chỉ tiêu chính thức" in w.value for w in at.warning)
    assert load_targets(targets).kpis["online_payment"].target == 0.45  # still nothing before confirming
    at.button(key="whatif_save_confirm").click().run()
    assert not at.exception, at.exception
    assert load_targets(targets).kpis["online_payment"].target == 0.6
    assert "#" in targets.read_text(encoding="utf-8")  # comments kept
    kept = list((tmp_path / "targets_history").glob("targets-*.toml"))
    assert len(kept) == 1 and load_targets(kept[0]).kpis["online_payment"].target == 0.45
    assert any("Đã lưu chỉ tiêu chính thức" in s.value for s in at.success)
    # the inputs now start from the new official target
    assert at.text_input(key="target_online_payment").value == "60,0"
    log = read_audit(open_engine(sample_db_url), cli_actor())
    row = log[log["action"] == "save_targets"].iloc[0]
    detail = json.loads(row["detail"])
    assert row["username"] == "nguoi"
    assert (
        detail["old"]["online_payment"]["target"] == 0.45 and detail["new"]["online_payment"]["target"] == 0.6
    )


@pytest.mark.parametrize("role", ["lanh_dao", "van_phong"])
def test_other_roles_cannot_save(
    sample_db_url: str, app_env: pytest.MonkeyPatch, tmp_path: Path, role: str
) -> None:
    at, targets = _signed_in(sample_db_url, app_env, role, tmp_path)
    at.text_input(key="target_online_payment").set_value("60").run()
    assert not [b for b in at.button if b.key in ("whatif_save", "whatif_save_confirm")]
    assert load_targets(targets).kpis["online_payment"].target == 0.45
