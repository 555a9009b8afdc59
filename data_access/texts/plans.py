"""The Vietnamese texts of each year's plan (:mod:`data_access.plans`): the notice and the refusal."""

from __future__ import annotations

#: A year without a plan of its own, judged by the current plan (every page, one line).
NO_OWN_PLAN = "Chưa có kế hoạch năm {year}: đang so với chỉ tiêu năm {plan_year}"
#: ``--targets`` / ``TARGETS_FILE`` names one file for every year, and its plan is of another year.
ONE_FILE_FOR_ALL = (
    "Tệp chỉ tiêu {file} được chọn cho mọi năm: năm {year} đang so với chỉ tiêu năm {plan_year}"
)
#: ``targets/2023.toml`` whose ``[plan] year`` is not 2023.
YEAR_MISMATCH = "{file}: [plan] year = {declared} khác năm của tên tệp ({year})"
#: A plan's name given a year when it names none (``Kế hoạch … năm 2023``).
NAME_WITH_YEAR = "{name} năm {year}"
