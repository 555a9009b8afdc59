"""The Vietnamese texts of the office's pages (Nhập số liệu, Quản trị): the upload page's messages, the
tables' headers and words, the audit trail's words and the admin page's labels."""

from __future__ import annotations

# ---------------------------------------------------------------- the upload page (keys used by ui.upload_*)

T = {
    "title": "Nhập số liệu",
    "intro": "Tải lên tệp Excel (.xlsx) thuộc một trong ba loại, trang tự nhận ra: **tệp số liệu theo mẫu** "
    "(trang SoLieu), **biểu II.06a** (Biểu 06a), hoặc **danh sách hồ sơ** xuất từ Hệ thống thông tin giải "
    "quyết TTHC (mỗi dòng một hồ sơ; số liệu từng tháng, từng TTHC được tính từ danh sách, đơn vị, lĩnh "
    "vực và mức độ của TTHC lấy theo **danh mục TTHC** đang áp dụng). Tệp danh mục TTHC (trang "
    "DanhMucTTHC) và bảng điểm 766 chính thức cũng tải lên ở đây. Tệp được đọc và kiểm tra trước; chỉ "
    "được lưu khi bấm nút Lưu.",
    "template_title": "Mẫu nhập liệu",
    "template_text": "Mẫu Excel có trang **SoLieu** (ghi số liệu từ dòng 2), danh sách đơn vị và lĩnh vực "
    "thả xuống, và trang **HuongDan** giải thích từng cột kèm một dòng ví dụ.",
    "template_button": "Tải mẫu Excel",
    "uploader": "Tệp số liệu (.xlsx)",
    "uploader_hint": "Kéo thả tệp vào ô phía trên hoặc bấm vào ô để chọn tệp · chỉ nhận tệp .xlsx, tối đa {limit} MB "
    "mỗi tệp · có thể chọn nhiều tệp.",
    "uploader_help": "Chọn một hoặc nhiều tệp. Mỗi tệp là một lần nhập; các tệp được kiểm tra cùng lúc "
    "và chỉ lưu khi tất cả đều hợp lệ.",
    "unit": "Đơn vị báo cáo (chỉ cho biểu II.06a theo lĩnh vực)",
    "unit_placeholder": "Không chọn",
    "unit_help": "Biểu II.06a lập theo lĩnh vực thuộc về một đơn vị: chọn đơn vị đó. Tệp theo mẫu "
    "tự ghi đơn vị từng dòng nên không cần chọn.",
    "waiting": "Chọn tệp để bắt đầu. Số liệu chưa được lưu cho đến khi bạn xem trước và bấm Lưu số liệu.",
    "too_large": "Tệp '{name}' quá lớn: {size} MB, giới hạn là {limit} MB. Chưa đọc tệp nào; "
    "hãy bỏ tệp này hoặc chia nhỏ.",
    "reading": "Đang đọc và kiểm tra tệp {i}/{n}: {name}…",
    "checking": "Đang đối chiếu với số liệu đã lưu…",
    "refused": "Tệp bị từ chối: {n} lỗi",
    "refused_detail": "Không có số liệu nào được lưu. Sửa các lỗi dưới đây trong tệp rồi tải lên lại.",
    "unit_needed": "Tệp theo biểu II.06a lập theo lĩnh vực: hãy chọn **Đơn vị báo cáo** ở ô phía trên, "
    "tệp sẽ được kiểm tra lại.",
    "unit_only": "Tệp '{names}' là biểu II.06a lập theo lĩnh vực, chưa biết của đơn vị nào: hãy chọn **Đơn vị "
    "báo cáo** ở ô phía trên (không cần sửa tệp). Tệp sẽ được kiểm tra lại ngay khi chọn.",
    "blank_kpis": "**Sau khi lưu, {n} chỉ tiêu của {unit} tháng {month} sẽ không có giá trị**, vì tệp không có "
    "các cột số liệu của chúng (biểu II.06a không có các cột này): {kpis}.",
    "blank_kpis_replace": " Giá trị của các chỉ tiêu này từ lần nhập trước (#{current}) sẽ không còn được hiển thị.",
    "annotated": "Tải bản có đánh dấu ô lỗi – {name}",
    "annotated_help": "Bản sao của tệp đã gửi: ô lỗi tô đỏ, nội dung lỗi ghi trong chú thích của ô, "
    "và trang KiemTra liệt kê mọi lỗi.",
    "annotate_failed": "Không tạo được bản đánh dấu cho '{name}' ({detail}).",
    "warnings": "{n} cảnh báo: xem lại trước khi lưu (vẫn có thể lưu).",
    "warnings_table": "Danh sách cảnh báo",
    "accepted": "Tệp hợp lệ: {rows} dòng, {pairs} cặp tháng × đơn vị. Xem trước rồi bấm Lưu số liệu.",
    # a list of dossiers: what it gave, in one line, and which figures stayed unknown and why
    "dossier_summary": "Danh sách hồ sơ '{file}': {dossiers} hồ sơ, {months}, {units} đơn vị, {procedures} TTHC.",
    "dossier_known": "Mọi số liệu đều tính được từ danh sách (không ô nào cần thiết bị trống).",
    "dossier_unknown_title": "Số liệu chưa rõ (ô cần thiết bị trống, không tính là “không”)",
    "dossier_unknown": "**{figure}**: chưa rõ ở {n} dòng tháng × TTHC – {reason}.",
    "period_span": "Kỳ báo cáo {start}–{end} → {month} (tệp {file})",
    "preview_title": "Xem trước: số liệu sẽ được lưu",
    "preview_caption": "Mỗi dòng là một tháng của một đơn vị. Chỉ tiêu của đơn vị trong tháng: "
    "trước → sau khi lưu (– là chưa có số liệu).",
    "preview_detail": "Tất cả chỉ tiêu: trước → sau",
    "plan_error": "Không tính được chỉ tiêu để xem trước (tệp chỉ tiêu có lỗi: {error}).",
    "save": "Lưu số liệu",
    "saved_preview_title": "Đã lưu: chỉ tiêu trước → sau",
    "saved": "Đã lưu {uploads}: {months}; {rows} dòng. Các trang khác hiển thị số liệu mới.",
    "saved_again": "Số liệu này đã được lưu ({uploads}); không lưu lại lần nữa.",
    "save_failed": "Chưa lưu được: {error}",
    "same_file": "Tệp trùng nội dung với tệp đã nhập trước đây",
    "multi_file_pair": "Tháng {month} của '{unit}' có trong nhiều tệp: tệp nhập sau cùng ('{file}') sẽ "
    "được dùng.",
    "history_title": "Lịch sử nhập số liệu",
    "history_empty": "Chưa có lần nhập nào.",
    "history_pick": "Xem một lần nhập",
    "parts_title": "Các tháng × đơn vị của lần nhập #{id}",
    "figures_title": "Số liệu của lần nhập #{id} ({rows} dòng)",
    "restore_pick": "Tháng × đơn vị cần khôi phục (chọn một, nhiều hoặc tất cả)",
    "restore_pick_empty": "Chọn ít nhất một tháng × đơn vị",
    "restore_all": "Chọn tất cả ({n})",
    "restore_none": "Mọi tháng × đơn vị của lần nhập này đang được dùng: không có gì để khôi phục.",
    "restore_start": "Khôi phục…",
    "restore_question": "Khôi phục số liệu **{month}** của **{unit}** từ lần nhập #{id}? Số liệu đang dùng "
    "(lần nhập #{current}) sẽ được thay thế; bản đó vẫn giữ trong lịch sử.",
    "restore_question_many": "Khôi phục **{n} tháng × đơn vị** từ lần nhập #{id} trong một lần: {parts}? Số liệu "
    "đang dùng sẽ được thay thế (các bản đó vẫn giữ trong lịch sử); nếu một phần không khôi phục được thì "
    "không phần nào được ghi.",
    "restore_confirm": "Xác nhận khôi phục",
    "restore_cancel": "Hủy",
    "restore_done": "Đã khôi phục {month} của '{unit}' từ lần nhập #{source} (ghi thành lần nhập #{id}).",
    "restore_done_many": "Đã khôi phục {n} tháng × đơn vị từ lần nhập #{source} (ghi thành lần nhập #{id}).",
    "restore_failed": "Không khôi phục được: {error}",
}

#: Why a figure computed from a list of dossiers stays unknown for a (month, procedure): the cells it
#: needs that some dossier of it leaves empty (``dossier-list.md``).
DOSSIER_UNKNOWN_REASONS = {
    "received_online_full": "hồ sơ trực tuyến không ghi ô Toàn trình và danh mục TTHC không cho biết mức độ",
    "received_online_partial": "hồ sơ trực tuyến không ghi ô Toàn trình và danh mục TTHC không cho biết mức độ",
    "resolved_early": "hồ sơ đã giải quyết không có Hạn xử lý",
    "resolved_on_time": "hồ sơ đã giải quyết không có Hạn xử lý",
    "resolved_late": "hồ sơ đã giải quyết không có Hạn xử lý",
    "pending_in_time": "hồ sơ đang giải quyết cuối tháng không có Hạn xử lý",
    "pending_overdue": "hồ sơ đang giải quyết cuối tháng không có Hạn xử lý",
    "returned_postal": "hồ sơ đã giải quyết để trống ô Trả kết quả qua BCCI",
    "results_digitized": "hồ sơ đã giải quyết để trống ô Kết quả điện tử",
    "dossiers_digitized": "hồ sơ tiếp nhận trong tháng để trống ô Số hóa hồ sơ",
    "payments_total": "hồ sơ tiếp nhận trong tháng để trống ô Phải nộp phí, lệ phí",
    "payments_online": "hồ sơ phải nộp phí để trống ô Thanh toán trực tuyến (hoặc ô Phải nộp phí, lệ phí)",
}
#: The months of a list in the summary line: one month, a run within a year, a run over years.
DOSSIER_MONTHS_ONE = "tháng {month}/{year}"
DOSSIER_MONTHS_YEAR = "tháng {first}–{last}/{year}"
DOSSIER_MONTHS_YEARS = "tháng {first}–{last}"

#: A procedure catalog (danh mục TTHC) uploaded on the page.
CATALOG = {
    "title": "Danh mục TTHC '{file}'",
    "read": "Tệp là danh mục TTHC: {n} TTHC. Chọn tháng bắt đầu áp dụng rồi bấm Lưu danh mục; danh mục "
    "áp dụng cho tháng đó và các tháng sau (đến khi có danh mục mới hơn).",
    "refused": "Danh mục TTHC bị từ chối: {n} lỗi. Không có gì được lưu.",
    "effective": "Áp dụng từ tháng",
    "in_force": "Đang áp dụng cho {month}: danh mục lần nhập #{id} ({n} TTHC, áp dụng từ {since}).",
    "none_in_force": "Chưa có danh mục nào áp dụng cho {month}.",
    "save": "Lưu danh mục",
    "saved": "Đã lưu danh mục #{id}: {n} TTHC, áp dụng từ {month}.",
    "changes": "So với danh mục đang áp dụng trước đó: {added} TTHC thêm, {removed} bỏ, {changed} thay đổi.",
    "no_changes": "Không khác danh mục đang áp dụng trước đó.",
    "save_failed": "Chưa lưu được danh mục: {error}",
}
CATALOG_CHANGE_WORDS = {"added": "Thêm", "removed": "Bỏ", "changed": "Thay đổi"}
CATALOG_CHANGE_HEADERS = {
    "procedure_code": "Mã TTHC",
    "procedure_name": "Tên TTHC",
    "change": "Thay đổi",
    "columns": "Cột thay đổi",
}

#: The official 766 scores (bảng điểm chính thức) uploaded on the page.
SCORES = {
    "title": "Bảng điểm 766 chính thức '{file}'",
    "read": "Tệp là bảng điểm 766 chính thức: {rows} điểm, kỳ {periods}. Bấm Lưu điểm để ghi lại.",
    "refused": "Bảng điểm bị từ chối: {n} lỗi. Không có gì được lưu.",
    "save": "Lưu điểm",
    "saved": "Đã lưu bảng điểm (lần nhập #{id}): {rows} điểm, kỳ {periods}.",
    "save_failed": "Chưa lưu được bảng điểm: {error}",
}

#: An upload's status in the preview: a new (month, unit), or one replacing an earlier upload.
STATUS_NEW = "Mới"
STATUS_REPLACE = "Thay thế lần nhập #{n}"
#: What a save stored, in the "saved" message: each upload, then each month.
SAVED_UPLOAD = "lần nhập #{id} ({file})"
SAVED_MONTH = "tháng {month}"
#: The help of each KPI's column of the preview.
PREVIEW_KPI_HELP = "{kpi}: trước → sau khi lưu"

# ---------------------------------------------------------------- history and an upload's parts

KIND_LABELS = {"import": "Nhập", "restore": "Khôi phục", "external": "Nguồn ngoài"}
ACTIVE_LABELS = {"active": "Đang dùng", "partly": "Dùng một phần", "replaced": "Đã thay thế"}
#: Whether one (month, unit) part of an upload is in use ({now}: the upload in use, "?" when unknown).
PART_STATES = {
    "active": "Đang dùng",
    "via_restore": "Đang dùng (qua lần khôi phục #{now})",
    "replaced": "Đã thay thế (đang dùng lần nhập #{now})",
}

# ---------------------------------------------------------------- table headers of the office's pages

HEADER = {
    # errors and warnings of a check
    "file": "Tệp",
    "sheet": "Trang",
    "row": "Dòng",
    "column": "Cột",
    "value": "Giá trị",
    "message": "Nội dung",
    # the preview and its detail
    "month": "Tháng",
    "unit": "Đơn vị",
    "kind": "Loại",
    "rows": "Số dòng",
    "dossiers": "Số hồ sơ",
    "kpi": "Chỉ tiêu",
    "before": "Trước",
    "after": "Sau",
    "change": "Thay đổi",
    "target": "Mục tiêu",
    "status_after": "Đánh giá (sau)",
    # the history and an upload's parts
    "upload": "Lần nhập",
    "time": "Thời gian",
    "uploader": "Người nhập",
    "restored_from": "Khôi phục từ",
    "state": "Trạng thái",
    # users and the audit trail
    "username": "Tên đăng nhập",
    "full_name": "Họ tên",
    "role": "Vai trò",
    "created": "Tạo lúc",
    "last_login": "Đăng nhập gần nhất",
    "locked_until": "Khóa đến",
    "failed": "Số lần sai",
    "actor": "Người thực hiện",
    "action": "Hành động",
    "result": "Kết quả",
    "detail": "Chi tiết",
}

# ---------------------------------------------------------------- the audit trail and the users table

AUDIT_ACTIONS = {
    "sign_in": "Đăng nhập",
    "sign_out": "Đăng xuất",
    "session_resume": "Tiếp tục phiên",
    "upload": "Nhập số liệu",
    "restore": "Khôi phục",
    "external": "Đồng bộ nguồn ngoài",
    "save_targets": "Lưu chỉ tiêu",
    "user_add": "Thêm tài khoản",
    "user_remove": "Xóa tài khoản",
    "user_passwd": "Đổi mật khẩu",
    "user_role": "Đổi vai trò",
}
AUDIT_DETAIL_KEYS = {
    "reason": "lý do",
    "role": "vai trò",
    "failed": "số lần sai liên tiếp",
    "via": "qua",
    "user": "tài khoản",
    "old": "trước",
    "new": "sau",
    "upload_id": "lần nhập",
    "from_upload": "từ lần nhập",
    "period": "tháng",
    "unit": "đơn vị",
    "parts": "tháng × đơn vị",
    "file": "tệp",
    "sha256": "SHA-256",
    "months": "tháng",
    "rows": "số dòng",
    "previous_version": "bản trước",
    "source": "nguồn",
}
#: The words of the detail values the app writes (the roles' names are added from data_access.auth).
AUDIT_DETAIL_VALUES = {
    "bad_password": "sai mật khẩu",
    "unknown_user": "tên đăng nhập không có",
    "locked": "tài khoản đang khóa",
    "idle": "hết thời gian không hoạt động",
    "removed": "tài khoản đã bị xóa",
    "user": "người dùng đăng xuất",
    "role": "vai trò đã đổi",
    "password": "mật khẩu đã đổi",
    "unknown": "phiên không còn",
    "web": "trang web",
    "cli": "dòng lệnh",
    "demo": "chế độ dùng thử",
    "oidc": "tài khoản cơ quan",
}
AUDIT_RESULT = {True: "Thành công", False: "Thất bại"}
NEVER_SIGNED_IN = "chưa đăng nhập"

# ---------------------------------------------------------------- the Quản trị page

ADMIN = {
    "title": "Quản trị",
    "users_tab": "Tài khoản",
    "audit_tab": "Nhật ký",
    "add_title": "Thêm tài khoản",
    "username": "Tên đăng nhập",
    "full_name": "Họ tên",
    "full_name_placeholder": "vd. Nguyễn Thị Lan",
    "password": "Mật khẩu (≥ 8 ký tự)",
    "role": "Vai trò",
    "add": "Thêm",
    "added": "Đã thêm tài khoản '{username}'",
    "change_title": "Đổi mật khẩu, vai trò hoặc xóa tài khoản",
    "account": "Tài khoản",
    "new_password": "Mật khẩu mới (để trống: không đổi)",
    "role_unchanged": "(không đổi)",
    "remove": "Xóa tài khoản này",
    "apply": "Thực hiện",
    "self_remove": "Không thể tự xóa tài khoản đang đăng nhập",
    "removed": "Đã xóa tài khoản '{username}'",
    "updated": "Đã cập nhật tài khoản '{username}'",
    "audit_download": "Tải nhật ký (CSV)",
}
