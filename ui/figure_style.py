"""What every plotly figure of the pages shares: the font, the colours, the layout and small helpers."""

from __future__ import annotations

import plotly.graph_objects as go

FONT = "Inter, Segoe UI, Roboto, Arial, sans-serif"
TARGET_COLOR = "#37474f"
ROADMAP_COLOR = "#6a1b9a"
BASELINE_COLOR = "#90a4ae"
SCENARIO_COLOR = "#1f5fa8"


def layout(fig: go.Figure, height: int, **kw: object) -> go.Figure:
    """``fig`` with the pages' font, Vietnamese number separators, white plot and a legend on top."""
    kw.setdefault("margin", {"l": 10, "r": 10, "t": 40, "b": 10})
    fig.update_layout(
        height=height,
        font={"family": FONT, "size": 13},
        separators=",.",  # Vietnamese: decimal comma, dot for thousands
        hoverlabel={"font_family": FONT},
        plot_bgcolor="white",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        **kw,
    )
    return fig


def wrap_label(text: str, width: int = 13) -> str:
    """Break a long label into lines of about ``width`` characters (``<br>`` for plotly)."""
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    if line:
        lines.append(line)
    return "<br>".join(lines)
