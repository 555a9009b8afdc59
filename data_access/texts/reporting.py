"""The Vietnamese texts of the reporting cut-off (``REPORTING_CUTOFF_DAY``): the setting's error and the
names of the two month rules used in the official II.06a reader's messages."""

from __future__ import annotations

# ---- a strict setting whose value is refused (data_access.settings.SettingError) ----
SETTING_INVALID = (
    "Thiết lập không hợp lệ: {origin} = '{value}'. Cần một số nguyên từ {low} đến {high}, "
    "hoặc để trống ({meaning})"
)
FROM_CLI = "giá trị ở dòng lệnh"
FROM_ENV = "biến môi trường {env}"
FROM_SECRETS = "[{section}] {key} trong secrets.toml"
#: What a strict setting means, by setting name (shown after the allowed values).
SETTING_MEANINGS = {
    "reporting_cutoff_day": "ngày chốt số liệu của tháng báo cáo, ví dụ 14: tháng 3 tính từ ngày 15/02 "
    "đến ngày 14/03; để trống: tháng theo lịch",
}

# ---- the month rule, named in the official reader's period messages ----
RULE_CALENDAR = "tháng theo lịch, REPORTING_CUTOFF_DAY chưa đặt"
RULE_CUTOFF = "tháng báo cáo chốt số liệu ngày {day} theo REPORTING_CUTOFF_DAY"
