"""Inline SVG line charts rendered on the server (no script, no CDN)."""

from collections.abc import Sequence
from datetime import datetime

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT, PAD = 640, 180, 32


def svg_line_chart(
    *, title: str, times: Sequence[datetime], series: Sequence[tuple[str, str, Sequence[float]]]
) -> SafeString:
    """One chart: a polyline per (label, colour, values) over `times`, with its maximum marked.
    The title is drawn too (not only for screen readers); times show in the site's time zone."""
    times = [timezone.localtime(t) if timezone.is_aware(t) else t for t in times]
    peak = max([max(values, default=0) for _label, _colour, values in series] + [1])
    count = max(len(times), 1)
    step = (WIDTH - 2 * PAD) / max(count - 1, 1)

    def point(i: int, value: float) -> str:
        x = PAD + i * step
        y = HEIGHT - PAD - (value / peak) * (HEIGHT - 2 * PAD)
        return f"{x:.1f},{y:.1f}"

    peak_label = _("maks %(peak)s") % {"peak": f"{peak:g}"}
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<text x="{PAD}" y="16" font-size="14" font-weight="600" fill="#1d2733">'
        f"{escape(title)}</text>",
        f'<line x1="{PAD}" y1="{PAD}" x2="{WIDTH - PAD}" y2="{PAD}" stroke="#d9e1e8" '
        'stroke-dasharray="4 4"/>',
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
        'stroke="#d9e1e8"/>',
        f'<text x="{WIDTH - PAD}" y="{PAD - 4}" font-size="12" fill="#52606d" '
        f'text-anchor="end">{escape(peak_label)}</text>',
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
        # Legend under the axis, one entry after another from the middle.
        parts.append(
            f'<text x="{WIDTH / 2 + 110 * (index - (len(series) - 1) / 2):.0f}" y="{HEIGHT - 8}" '
            f'font-size="12" font-weight="600" text-anchor="middle" fill="{escape(colour)}">'
            f"{escape(label)}</text>"
        )
    if times:
        parts.append(
            f'<text x="{PAD}" y="{HEIGHT - 8}" font-size="12" fill="#52606d">'
            f"{times[0]:%d-%m %H:%M}</text>"
        )
        parts.append(
            f'<text x="{WIDTH - PAD}" y="{HEIGHT - 8}" font-size="12" fill="#52606d" '
            f'text-anchor="end">{times[-1]:%d-%m %H:%M}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
