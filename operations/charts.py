"""Inline SVG line charts rendered on the server (no script, no CDN)."""

from collections.abc import Sequence
from datetime import datetime

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, PAD = 640, 180, 32


def svg_line_chart(
    *, title: str, times: Sequence[datetime], series: Sequence[tuple[str, str, Sequence[float]]]
) -> SafeString:
    """One chart: a polyline per (label, colour, values) over `times`, with its maximum marked."""
    peak = max([max(values, default=0) for _, _, values in series] + [1])
    count = max(len(times), 1)
    step = (WIDTH - 2 * PAD) / max(count - 1, 1)

    def point(i: int, value: float) -> str:
        x = PAD + i * step
        y = HEIGHT - PAD - (value / peak) * (HEIGHT - 2 * PAD)
        return f"{x:.1f},{y:.1f}"

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
        'stroke="#d9e1e8"/>',
        f'<text x="{PAD}" y="{PAD - 10}" font-size="11" fill="#5b6b7a">maks {peak:g}</text>',
    ]
    for index, (label, colour, values) in enumerate(series):
        if len(values) == 1:
            x, y = point(0, values[0]).split(",")
            parts.append(f'<circle cx="{x}" cy="{y}" r="3" fill="{escape(colour)}"/>')
        elif values:
            points = " ".join(point(i, v) for i, v in enumerate(values))
            parts.append(
                f'<polyline fill="none" stroke="{escape(colour)}" stroke-width="2" '
                f'points="{points}"/>'
            )
        parts.append(
            f'<text x="{WIDTH - PAD - 150 + 0}" y="{PAD - 10 + 14 * index}" font-size="11" '
            f'fill="{escape(colour)}">{escape(label)}</text>'
        )
    if times:
        parts.append(
            f'<text x="{PAD}" y="{HEIGHT - 8}" font-size="11" fill="#5b6b7a">'
            f"{times[0]:%d-%m %H:%M}</text>"
        )
        parts.append(
            f'<text x="{WIDTH - PAD}" y="{HEIGHT - 8}" font-size="11" fill="#5b6b7a" '
            f'text-anchor="end">{times[-1]:%d-%m %H:%M}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
