"""Database schema (SQLAlchemy Core). Alembic migrations in ``migrations/`` create and upgrade it."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from data_access.columns import COUNT_COLUMNS

metadata = MetaData()


def _month_unit(*, primary: bool = False) -> list[Column[object]]:
    """The upload, month and unit a row belongs to (the key of ``upload_part``, the start of the others)."""
    return [
        Column(
            "upload_id",
            Integer,
            ForeignKey("upload.id", ondelete="CASCADE"),
            primary_key=primary,
            nullable=False,
        ),
        Column("period", String(7), primary_key=primary, nullable=False),
        Column("unit", String(300), primary_key=primary, nullable=False),
    ]


#: One row per import or restore: who, when, which file, which months.
upload = Table(
    "upload",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("user_name", String(200), nullable=False),
    Column("file_name", String(500), nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("months", String(2000), nullable=False),  # comma-separated YYYY-MM
    Column("row_count", Integer, nullable=False),
    Column("kind", String(20), nullable=False, server_default="import"),  # import | restore
    Column("layout", String(20), nullable=False, server_default="canonical"),
    Column("restored_from", Integer, ForeignKey("upload.id"), nullable=True),
    Column("note", Text, nullable=True),
)

#: Which (month, unit) pairs an upload holds, with its row count there. The active version of
#: a (month, unit) is the pair with the highest upload id: resolved in SQL on this small table.
upload_part = Table(
    "upload_part",
    metadata,
    *_month_unit(primary=True),
    Column("row_count", Integer, nullable=False),
    Index("ix_upload_part_period_unit", "period", "unit", "upload_id"),
)

#: The figures, each with the upload it came from. NULL = unknown, never 0.
figure = Table(
    "figure",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    *_month_unit(),
    Column("field", String(300), nullable=False),
    Column("procedure_code", String(100), nullable=True),
    Column("procedure_name", String(1000), nullable=True),
    *[Column(c, BigInteger, nullable=True) for c in COUNT_COLUMNS],
    Index("ix_figure_upload_period_unit", "upload_id", "period", "unit"),
    Index("ix_figure_period_unit", "period", "unit"),
)

#: People who may sign in, with a bcrypt hash and a role (lanh_dao, van_phong, quan_tri).
app_user = Table(
    "app_user",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(100), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False, server_default=""),
    Column("full_name", String(200), nullable=True),  # "Họ tên"; NULL when not given (0004)
    Column("password_hash", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("failed_attempts", Integer, nullable=False, server_default="0"),
    Column("locked_until", DateTime(timezone=True), nullable=True),
    Column("last_login_at", DateTime(timezone=True), nullable=True),
)

#: Who did what, when: sign-ins, uploads, restores, target saves, user changes.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("username", String(100), nullable=False),
    Column("action", String(40), nullable=False, index=True),
    Column("success", Integer, nullable=False, server_default="1"),
    Column("detail", Text, nullable=False, server_default="{}"),  # JSON
)

#: Sums of the figures per (upload, month, unit, field) and pattern of known columns (``known_mask``:
#: bit i set = COUNT_COLUMNS[i] known in those rows). A KPI summed over the rows where all its columns
#: are known is the sum over the patterns that cover its bits: exact, and ~20× fewer rows to read.
figure_sum = Table(
    "figure_sum",
    metadata,
    *_month_unit(),
    Column("field", String(300), nullable=False),
    Column("known_mask", BigInteger, nullable=False),
    Column("row_count", Integer, nullable=False),
    *[Column(c, BigInteger, nullable=True) for c in COUNT_COLUMNS],
    Index("ix_figure_sum_upload_period_unit", "upload_id", "period", "unit"),
)

#: Signed-in browser sessions (``data_access.sessions``): the sha256 of a random token carried in a cookie,
#: never the token; ended by sign-out, idle time, or a change of the user's password or role.
web_session = Table(
    "web_session",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("username", String(100), nullable=False, index=True),
    Column("role", String(20), nullable=False),  # at creation: a different stored role ends the session
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True), nullable=True),
    Column("end_reason", String(20), nullable=True),  # user | idle | role | password | removed
    Column("state", Text, nullable=False, server_default="{}"),  # JSON: filters and what-if scenario
)


#: One row per procedure-catalog upload (``procedures.md``): the month it applies from, who, which file.
#: The catalog in force in a month is the latest upload (highest id) whose ``effective`` is not after it.
procedure_catalog_version = Table(
    "procedure_catalog_version",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("effective", String(7), nullable=False, index=True),  # YYYY-MM
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("user_name", String(200), nullable=False),
    Column("file_name", String(500), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("row_count", Integer, nullable=False),
    Column("note", Text, nullable=True),
)

#: The procedures of one catalog version; a yes/no attribute NULL = unknown (never "no").
procedure_catalog_entry = Table(
    "procedure_catalog_entry",
    metadata,
    Column(
        "version_id",
        Integer,
        ForeignKey("procedure_catalog_version.id", ondelete="CASCADE"),
        primary_key=True,
        nullable=False,
    ),
    Column("procedure_code", String(100), primary_key=True, nullable=False),
    Column("procedure_name", String(1000), nullable=False),
    Column("field", String(300), nullable=False),
    Column("unit", String(300), nullable=False),
    Column("online_level", String(20), nullable=False),  # toàn trình | một phần | không
    Column("full_online_eligible", Boolean, nullable=True),
    Column("on_national_portal", Boolean, nullable=True),
    Column("has_fee", Boolean, nullable=True),
    Column("postal_allowed", Boolean, nullable=True),
)

#: Uploads of the scores the national portal published (766 index, ``scoring.md``): who, when, which file.
official_score_upload = Table(
    "official_score_upload",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("user_name", String(200), nullable=False),
    Column("file_name", String(500), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("row_count", Integer, nullable=False),
)

#: One published score: a period (YYYY-MM, or a quarter code), a group of the index (or the total),
#: its points and, when given, the rank. The active score of (period, group) is the latest upload's.
official_score = Table(
    "official_score",
    metadata,
    Column(
        "upload_id",
        Integer,
        ForeignKey("official_score_upload.id", ondelete="CASCADE"),
        primary_key=True,
        nullable=False,
    ),
    Column("period", String(10), primary_key=True, nullable=False),
    Column("group_code", String(40), primary_key=True, nullable=False),
    Column("group_name", String(300), nullable=False),
    Column("points", Float, nullable=True),
    Column("rank", Integer, nullable=True),
    Index("ix_official_score_period", "period", "group_code"),
)

#: Reports mailed by ``kpi brief --send`` (``reports.md``): what was sent for which period, and the
#: fingerprint of the data it was made from, so an unchanged period is not sent twice.
report_send = Table(
    "report_send",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("report", String(40), nullable=False),  # e.g. "brief"
    Column("period", String(10), nullable=False),
    Column("unit", String(300), nullable=True),
    Column("data_key", String(64), nullable=False),
    Column("recipients", Text, nullable=False),
    Column("success", Integer, nullable=False),
    Column("detail", Text, nullable=False, server_default="{}"),  # JSON
    Index("ix_report_send_lookup", "report", "period", "unit"),
)
