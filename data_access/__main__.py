"""Command line: ``python -m data_access import|history|restore|sync|users|settings`` (see ``interfaces.md``).

Exit codes: 0 done, 1 refused (every error printed, database unchanged), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa

from data_access.auth import ROLES, AuthError, add_user, cli_actor, list_users, remove_user, set_password
from data_access.catalog import load_catalog
from data_access.cli_vi import VietnameseArgumentParser, add_db_option, add_format_option, integer
from data_access.external import MappingError, load_mapping, read_external, sync
from data_access.messages import IssueList
from data_access.readers import parse_period
from data_access.settings import database_url, describe, figures_source_path
from data_access.store import StoreError, _safe, history, import_files, open_engine, restore


def build_parser() -> argparse.ArgumentParser:
    p = VietnameseArgumentParser(prog="python -m data_access", description="Nhập và tra cứu số liệu DVCTT")
    sub = p.add_subparsers(dest="command", required=True, metavar="LỆNH", help="một trong các lệnh sau")
    imp = sub.add_parser("import", help="nhập một hoặc nhiều tệp Excel (một giao dịch)")
    imp.add_argument("files", nargs="+", metavar="TỆP", help="tệp Excel (.xlsx) theo mẫu hoặc biểu II.06a")
    add_db_option(imp)
    imp.add_argument("--unit", metavar="ĐƠN_VỊ", help="đơn vị của báo cáo theo lĩnh vực (biểu II.06a)")
    imp.add_argument("--user", default="cli", metavar="TÊN", help="người nhập (ghi vào lịch sử)")
    hist = sub.add_parser("history", help="liệt kê các lần nhập")
    add_db_option(hist)
    add_format_option(hist, "table", "json")
    res = sub.add_parser("restore", help="khôi phục số liệu một tháng, một đơn vị từ lần nhập cũ")
    res.add_argument("upload_id", type=integer, metavar="MÃ_LẦN_NHẬP", help="số # của lần nhập cũ (xem lệnh history)")
    res.add_argument("--period", required=True, metavar="YYYY-MM", help="tháng cần khôi phục (vd. 2024-06)")
    res.add_argument("--unit", required=True, metavar="ĐƠN_VỊ", help="đơn vị cần khôi phục (tên theo danh mục)")
    add_db_option(res)
    res.add_argument("--user", default="cli", metavar="TÊN", help="người khôi phục (ghi vào lịch sử)")
    syn = sub.add_parser("sync", help="đồng bộ số liệu từ nguồn ngoài (bảng/view theo tệp ánh xạ)")
    syn.add_argument("--mapping", metavar="TỆP", help="tệp ánh xạ (mặc định: FIGURES_SOURCE hoặc [figures_source] trong secrets)")
    add_db_option(syn)
    syn.add_argument("--check", action="store_true", help="chỉ kiểm tra ánh xạ và số liệu nguồn, không lưu")
    sett = sub.add_parser("settings", help="liệt kê các thiết lập, giá trị hiện tại và nguồn của chúng")
    add_format_option(sett, "table", "json")
    users = sub.add_parser("users", help="quản lý tài khoản đăng nhập (bcrypt)")
    usub = users.add_subparsers(dest="users_command", required=True, metavar="LỆNH", help="một trong các lệnh sau")
    for name, helptext in (("add", "thêm tài khoản"), ("passwd", "đổi mật khẩu"), ("remove", "xóa tài khoản"),
                           ("list", "liệt kê tài khoản")):
        u = usub.add_parser(name, help=helptext)
        if name != "list":
            u.add_argument("username", metavar="TÊN_ĐĂNG_NHẬP", help="tên đăng nhập của tài khoản")
        if name == "add":
            u.add_argument("--role", required=True, choices=["lanh_dao", "van_phong", "quan_tri"],
                           help="vai trò: " + "; ".join(f"{k} = {v}" for k, v in ROLES.items()))
            u.add_argument("--full-name", "--name", dest="full_name", default="", metavar="HỌ_TÊN",
                           help='họ tên của người dùng, vd. "Nguyễn Thị Lan" (--name: tên cũ của tùy chọn)')
        if name in ("add", "passwd"):
            u.add_argument("--password-stdin", action="store_true",
                           help="đọc mật khẩu từ dòng đầu của đầu vào chuẩn (không hỏi)")
        if name == "list":
            add_format_option(u, "table", "json")
        add_db_option(u)
        u.add_argument("--user", default="cli", metavar="TÊN", help="người thực hiện (ghi vào nhật ký)")
    return p


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    import getpass

    first = getpass.getpass("Mật khẩu: ")
    if getpass.getpass("Nhập lại mật khẩu: ") != first:
        raise AuthError("Hai lần nhập mật khẩu không khớp")
    return first


def _users(args: argparse.Namespace) -> int:
    engine = open_engine(database_url(args.db))
    actor = cli_actor(args.user)
    try:
        if args.users_command == "add":
            add_user(engine, actor, args.username, _password(args), args.role, full_name=args.full_name)
            print(f"Đã thêm tài khoản '{args.username}' ({ROLES[args.role]})")
        elif args.users_command == "passwd":
            set_password(engine, actor, args.username, _password(args))
            print(f"Đã đổi mật khẩu của '{args.username}'")
        elif args.users_command == "remove":
            remove_user(engine, actor, args.username)
            print(f"Đã xóa tài khoản '{args.username}'")
        else:
            users = list_users(engine)
            if args.format == "json":
                print(json.dumps([{"username": r.username, "role": r.role, "display_name": r.display_name,
                                   "full_name": r.full_name,
                                   "created_at": str(r.created_at), "locked": r.locked_until is not None}
                                  for r in users.itertuples()], ensure_ascii=False, indent=2))
            elif users.empty:
                print("Chưa có tài khoản nào (ứng dụng đang ở chế độ dùng thử, không cần đăng nhập).")
            else:
                for r in users.itertuples():
                    print(f"{r.username:20} {ROLES.get(r.role, r.role):26} {r.full_name or ''}".rstrip())
    except AuthError as exc:
        print(f"LỖI: {exc}", file=sys.stderr)
        return 1
    return 0


def _report(result: IssueList) -> bool:
    """Print the warnings, then every error and the refusal; ``True`` when there is no error."""
    for issue in result.warnings:
        print(issue.format(), file=sys.stderr)
    if result.ok:
        return True
    for issue in result.errors:
        print(issue.format(), file=sys.stderr)
    print(f"Từ chối: {len(result.errors)} lỗi; không có số liệu nào được lưu.", file=sys.stderr)
    return False


def _import(args: argparse.Namespace) -> int:
    engine = open_engine(database_url(args.db))
    missing = [f for f in args.files if not Path(f).is_file()]
    if missing:
        for f in missing:
            print(f"LỖI: {f}: không tìm thấy tệp", file=sys.stderr)
        return 1
    result = import_files(engine, [Path(f) for f in args.files], user=args.user, unit=args.unit)
    if not _report(result):
        return 1
    for u in result.uploads:
        months = ", ".join(f"{m[5:]}/{m[:4]}" for m in u.months)
        print(f"{u.file_name}: tháng {months}; {u.rows} dòng; lần nhập #{u.id}")
    return 0


def _history(args: argparse.Namespace) -> int:
    engine = open_engine(database_url(args.db))
    h = history(engine)
    if args.format == "json":
        records = [
            {"id": int(r.id), "time": r.created_at.isoformat(), "user": r.user, "file_name": r.file_name,
             "sha256": r.sha256, "months": list(r.months), "rows": int(r.rows), "kind": r.kind,
             "restored_from": None if r.restored_from is None or r.restored_from != r.restored_from
             else int(r.restored_from),
             "active": r.active == "active", "active_state": r.active}
            for r in h.itertuples()
        ]
        print(json.dumps(records, ensure_ascii=False, indent=2))
        return 0
    if h.empty:
        print("Chưa có lần nhập nào.")
        return 0
    state = {"active": "đang dùng", "partly": "dùng một phần", "replaced": "đã thay thế"}
    print(f"{'#':>4}  {'thời gian (UTC)':19}  {'người nhập':12}  {'dòng':>5}  {'trạng thái':14}  tệp / tháng / sha256")
    for r in h.itertuples():
        months = ",".join(r.months)
        print(f"{r.id:>4}  {r.created_at:%Y-%m-%d %H:%M:%S}  {r.user[:12]:12}  {r.rows:>5}  "
              f"{state.get(r.active, r.active):14}  {r.file_name} [{months}] {r.sha256[:12]}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    # the month as people type it (06/2024 as well as 2024-06), the unit by any catalog spelling
    period = parse_period(args.period.strip()) if isinstance(args.period, str) else None
    if period is None:
        print(f"Lỗi cú pháp lệnh: --period '{args.period}' không hợp lệ, cần YYYY-MM (vd. 2024-06)",
              file=sys.stderr)
        return 2
    unit = load_catalog().units.match(args.unit) or args.unit
    engine = open_engine(database_url(args.db))
    info = restore(engine, args.upload_id, period=period, unit=unit, actor=cli_actor(args.user))
    print(f"Đã khôi phục tháng {period[5:]}/{period[:4]} của '{unit}' từ lần nhập #{args.upload_id} "
          f"(lần nhập mới #{info.id}, {info.rows} dòng)")
    return 0


def _sync(args: argparse.Namespace) -> int:
    path = figures_source_path(args.mapping)
    if path is None:
        print("Lỗi cú pháp lệnh: chưa cấu hình nguồn số liệu ngoài (--mapping, FIGURES_SOURCE "
              "hoặc [figures_source] mapping trong .streamlit/secrets.toml)", file=sys.stderr)
        return 2
    try:
        mapping = load_mapping(path)
        result = read_external(mapping) if args.check else sync(open_engine(database_url(args.db)), mapping)
    except MappingError as exc:
        print(f"LỖI: {exc}", file=sys.stderr)
        return 1
    if not _report(result):
        return 1
    months = ", ".join(f"{m[5:]}/{m[:4]}" for m in result.months)
    if args.check:
        print(f"{mapping.label}: hợp lệ; tháng {months}; {len(result.frame)} dòng (chưa lưu)")
    elif result.unchanged:
        print(f"{mapping.label}: không có gì mới (đã đồng bộ: tháng {months}; {result.rows} dòng)")
    else:
        print(f"{mapping.label}: tháng {months}; {result.rows} dòng; lần nhập #{result.upload_id}")
    return 0


_SOURCE_VI = {"cli": "dòng lệnh", "env": "biến môi trường", "secrets": "secrets.toml", "default": "mặc định"}


def _settings(args: argparse.Namespace) -> int:
    rows = describe()
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    print(f"{'thiết lập':22} {'biến môi trường':22} {'nguồn':16} giá trị")
    for r in rows:
        value = r["value"]
        if value is None or isinstance(value, bool):
            value = {None: "(không có)", True: "bật", False: "tắt"}[value]
        print(f"{r['name']:22} {r['env']:22} {_SOURCE_VI[r['source']]:16} {value}")
        where = f"; secrets: {r['secrets']}" if r["secrets"] else ""
        print(f"{'':22} {r['help']}{where}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return {"import": _import, "history": _history, "restore": _restore, "users": _users,
                "sync": _sync, "settings": _settings}[args.command](args)
    except StoreError as exc:
        print(f"LỖI: {exc}", file=sys.stderr)
        return 1
    except sa.exc.SQLAlchemyError as exc:  # the transaction was rolled back: nothing was written
        print(f"LỖI: cơ sở dữ liệu: {_safe(exc)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
