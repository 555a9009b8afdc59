"""The Vietnamese names of the data contract's columns and the catalog's fixed names."""

from __future__ import annotations

# ---- column headers of the template and the data contract (also recognised in files) ----
HEADERS: dict[str, str] = {
    "period": "Kỳ báo cáo",
    "unit": "Đơn vị",
    "field": "Lĩnh vực",
    "procedure_code": "Mã TTHC",
    "procedure_name": "Tên TTHC",
    "received_online_full": "Tiếp nhận trực tuyến toàn trình",
    "received_online_partial": "Tiếp nhận trực tuyến một phần",
    "received_direct": "Tiếp nhận trực tiếp",
    "received_postal": "Tiếp nhận qua BCCI",
    "carried_over": "Từ kỳ trước chuyển sang",
    "resolved_early": "Đã giải quyết trước hạn",
    "resolved_on_time": "Đã giải quyết đúng hạn",
    "resolved_late": "Đã giải quyết quá hạn",
    "pending_in_time": "Đang giải quyết trong hạn",
    "pending_overdue": "Đang giải quyết quá hạn",
    "withdrawn": "Trả lại, rút hồ sơ",
    "returned_postal": "Trả kết quả qua BCCI",
    "results_digitized": "Kết quả được số hóa",
    "dossiers_digitized": "Hồ sơ được số hóa",
    "payments_total": "Giao dịch thanh toán phí, lệ phí",
    "payments_online": "Giao dịch thanh toán trực tuyến",
    "received_online": "Tiếp nhận trực tuyến",
    "received_direct_postal": "Tiếp nhận trực tiếp và BCCI",
    "received_new": "Tiếp nhận trong kỳ",
    "resolved": "Đã giải quyết",
    "pending": "Đang giải quyết",
}

# ---- words recognised in files ----
#: The catalog's field for figures not split by field (a name the files write and the pages show).
NO_FIELD = "Không phân lĩnh vực"

#: The procedure catalog's levels of online service (``online_level``), as stored (``procedures.md``).
ONLINE_LEVELS: tuple[str, ...] = ("toàn trình", "một phần", "không")

#: The words a yes/no cell may hold (``procedures.md``: the catalog's flags and the dossier list's cells),
#: folded (no case, no accents); any other word is an error, an empty cell is unknown (never "no").
YES_WORDS = frozenset({"co", "x", "1", "yes", "y", "dung", "true"})
NO_WORDS = frozenset({"khong", "0", "no", "n", "sai", "false"})
