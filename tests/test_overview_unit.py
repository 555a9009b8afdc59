"""With a unit chosen, the Overview judges that unit by its own target (targets.toml [kpi.X.units])."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import ROOT, app_test


def test_a_units_own_target_on_its_cards(
    sample_db_url: str, app_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    targets = tmp_path / "targets.toml"
    text = (ROOT / "targets.toml").read_text(encoding="utf-8")
    targets.write_text(text + '\n[kpi.online_full.units]\n"Thanh tra Sở" = 0.5\n', encoding="utf-8")
    app_env.setenv("TARGETS_FILE", str(targets))
    at = app_test(sample_db_url, app_env)
    at.run()
    at.session_state["f_unit"] = "Thanh tra Sở"
    at.run()
    assert not at.exception
    body = " ".join(h.proto.body for h in at.html)
    card = body[body.index('data-kpi="online_full"') :][:3000]
    assert "Chỉ tiêu 50,0 %" in card  # the unit's own 50 %, not the department's 90 %
    other = body[body.index('data-kpi="online_payment"') :][:3000]
    assert "Chỉ tiêu 45,0 %" in other  # no unit target there: the plan's
