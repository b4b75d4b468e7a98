"""Hand-written SVG charts for the benchmark report (Python 3 standard library only).

Two charts:
  * distribution_chart: per trace and back-end, a whisker from min to max, a box from the median
    to the p99 and a bold tick at the median, on a log-scale y axis (instruction counts span
    tens to tens of thousands);
  * fill_chart: grouped bars of fill at failure (first / min / mean) per back-end, one panel per
    trace, with optional target notches.

Every element a test may count carries a class: `box` groups (data-trace, data-backend, and the
four statistics as data-*), `bar` rects (data-panel, data-backend, data-metric, data-value),
`legend-item` groups, `ytick` groups, `target` lines. parse_counts() reads them back.
"""
import math
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

SVG_NS = "http://www.w3.org/2000/svg"
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"

# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
BACKEND_COLOURS = {
    "llff": "#0072B2",
    "tlsf": "#D55E00",
    "newlib-nano": "#009E73",
    "newlib": "#CC79A7",
    "llff-cm": "#56B4E9",
    "tlsf-cm": "#E69F00",
}
FALLBACK_COLOURS = ["#000000", "#999999", "#F0E442", "#56B4E9", "#E69F00"]
METRIC_COLOURS = {"first": "#0072B2", "min": "#E69F00", "mean": "#009E73"}


def colour_for(backend, index=0):
    return BACKEND_COLOURS.get(backend, FALLBACK_COLOURS[index % len(FALLBACK_COLOURS)])


class Svg:
    """An SVG document built as a list of lines."""

    def __init__(self, width, height, title):
        self.width = width
        self.height = height
        self.parts = []
        self.title = title

    def add(self, text):
        self.parts.append(text)

    def text(self, x, y, s, size=12, anchor="start", weight="normal", fill="#222", cls=None,
             rotate=None, baseline=None):
        attrs = 'x="%.1f" y="%.1f" font-size="%g" text-anchor="%s"' % (x, y, size, anchor)
        if weight != "normal":
            attrs += ' font-weight="%s"' % weight
        if fill != "#222":
            attrs += ' fill="%s"' % fill
        if cls:
            attrs += ' class="%s"' % cls
        if rotate is not None:
            attrs += ' transform="rotate(%g %.1f %.1f)"' % (rotate, x, y)
        if baseline:
            attrs += ' dominant-baseline="%s"' % baseline
        self.add("<text %s>%s</text>" % (attrs, escape(s)))

    def line(self, x1, y1, x2, y2, stroke="#222", width=1.0, dash=None, cls=None, extra=""):
        attrs = 'x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="%g"' % (
            x1, y1, x2, y2, stroke, width)
        if dash:
            attrs += ' stroke-dasharray="%s"' % dash
        if cls:
            attrs += ' class="%s"' % cls
        self.add("<line %s%s/>" % (attrs, extra))

    def rect(self, x, y, w, h, fill, stroke="none", width=1.0, cls=None, extra="", opacity=None):
        attrs = 'x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"' % (x, y, max(w, 0), max(h, 0), fill)
        if stroke != "none":
            attrs += ' stroke="%s" stroke-width="%g"' % (stroke, width)
        if opacity is not None:
            attrs += ' fill-opacity="%g"' % opacity
        if cls:
            attrs += ' class="%s"' % cls
        self.add("<rect %s%s/>" % (attrs, extra))

    def render(self):
        head = ('<svg xmlns="%s" width="%d" height="%d" viewBox="0 0 %d %d" font-family=%s>\n'
                % (SVG_NS, self.width, self.height, self.width, self.height, quoteattr(FONT)))
        head += "<title>%s</title>\n" % escape(self.title)
        head += '<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>\n' % (self.width, self.height)
        return head + "\n".join(self.parts) + "\n</svg>\n"


def data_attrs(**kv):
    return "".join(" data-%s=%s" % (k.replace("_", "-"), quoteattr(str(v))) for k, v in kv.items())


# ---- log scale ---------------------------------------------------------------------------------

def log_domain(values):
    """Decade bounds that hold every positive value."""
    positive = [v for v in values if v and v > 0]
    if not positive:
        return 1.0, 10.0
    lo = 10.0 ** math.floor(math.log10(min(positive)))
    hi = 10.0 ** math.ceil(math.log10(max(positive)))
    if hi <= lo:
        hi = lo * 10
    return lo, hi


def log_ticks(lo, hi):
    """1-2-5 ticks inside [lo, hi]: (value, is_decade)."""
    ticks = []
    decade = lo
    while decade <= hi * 1.0001:
        for m in (1, 2, 5):
            v = decade * m
            if v <= hi * 1.0001:
                ticks.append((v, m == 1))
        decade *= 10
    return ticks


def fmt_count(v):
    if v >= 1000000:
        return "%gM" % (v / 1000000)
    if v >= 10000:
        return "%gk" % (v / 1000)
    return "%g" % v


# ---- the legend --------------------------------------------------------------------------------

def legend(svg, x, y, items, max_width):
    """items: (kind, colour, label) with kind 'box', 'swatch', 'dash' or 'glyph'. Wraps lines."""
    cx, cy = x, y
    for kind, colour, label in items:
        w = 22 + 6.6 * len(label) + 18
        if cx + w > x + max_width and cx > x:
            cx = x
            cy += 20
        svg.add('<g class="legend-item"%s>' % data_attrs(label=label))
        if kind == "dash":
            svg.line(cx, cy, cx + 16, cy, stroke=colour, width=2, dash="5 3")
        elif kind == "glyph":
            # the distribution glyph explained: whisker, box, median tick
            svg.line(cx + 8, cy - 7, cx + 8, cy + 7, stroke="#444", width=1)
            svg.rect(cx + 3, cy - 4, 10, 7, fill="#bbbbbb", stroke="#444", width=1)
            svg.line(cx + 1, cy + 3, cx + 15, cy + 3, stroke="#000", width=2.5)
        else:
            svg.rect(cx, cy - 6, 16, 12, fill=colour, stroke="#444" if kind == "box" else "none", width=0.6)
        svg.text(cx + 22, cy + 4, label, size=12)
        svg.add("</g>")
        cx += w
    return cy


# ---- distribution chart (log y) ----------------------------------------------------------------

def distribution_chart(title, subtitle, traces, backends, stats, targets=(), ylabel="instructions per call (log scale)"):
    """stats[(trace, backend)] = {"min","median","p99","max", "calls", optional "max_line"}.

    traces: x groups in order; backends: glyphs per group in order; targets: (value, label,
    colour) horizontal dashed lines. Missing pairs leave an empty slot.
    """
    width = 1120
    plot_left, plot_right = 84, width - 170
    top = 96
    plot_top, plot_bottom = top + 30, 560
    height = plot_bottom + 120
    svg = Svg(width, height, title)
    svg.text(plot_left, 28, title, size=17, weight="bold")
    svg.text(plot_left, 48, subtitle, size=12, fill="#555")

    items = [("box", colour_for(b, i), b) for i, b in enumerate(backends)]
    items.append(("glyph", "#444", "whisker: min to max · box: median to p99 · bold tick: median"))
    for value, label, colour in targets:
        items.append(("dash", colour, label))
    legend(svg, plot_left, 72, items, plot_right - plot_left + 150)

    values = []
    for s in stats.values():
        values += [s["min"], s["median"], s["p99"], s["max"]]
    values += [t[0] for t in targets]
    lo, hi = log_domain(values)
    span = math.log10(hi) - math.log10(lo)

    def ypos(v):
        v = max(v, lo)
        return plot_bottom - (math.log10(v) - math.log10(lo)) / span * (plot_bottom - plot_top)

    # grid and y ticks
    for v, decade in log_ticks(lo, hi):
        y = ypos(v)
        svg.add('<g class="ytick"%s>' % data_attrs(value=v))
        svg.line(plot_left, y, plot_right, y, stroke="#cfcfcf" if decade else "#ececec", width=1)
        svg.line(plot_left - 5, y, plot_left, y, stroke="#222")
        svg.text(plot_left - 8, y + 4, fmt_count(v), size=11 if decade else 10, anchor="end",
                 fill="#222" if decade else "#666")
        svg.add("</g>")
    svg.line(plot_left, plot_top, plot_left, plot_bottom, stroke="#222")
    svg.line(plot_left, plot_bottom, plot_right, plot_bottom, stroke="#222")
    mid = (plot_top + plot_bottom) / 2
    svg.text(24, mid, ylabel, size=13, anchor="middle", rotate=-90)

    group_w = (plot_right - plot_left) / max(len(traces), 1)
    slot_w = group_w * 0.84 / max(len(backends), 1)
    glyph_w = min(slot_w * 0.7, 16)
    for ti, trace in enumerate(traces):
        gx = plot_left + ti * group_w
        if ti % 2 == 1:
            # every other trace on a faint band, drawn over the grid, so the groups read apart
            svg.rect(gx, plot_top, group_w, plot_bottom - plot_top, fill="#000000", opacity=0.035, cls="band")
        for bi, backend in enumerate(backends):
            s = stats.get((trace, backend))
            if not s or not s.get("calls"):
                continue
            cx = gx + group_w * 0.08 + slot_w * (bi + 0.5)
            col = colour_for(backend, bi)
            tip = "%s on %s: %d calls; min %d, median %d, p99 %d, max %d" % (
                backend, trace, s["calls"], s["min"], s["median"], s["p99"], s["max"])
            if s.get("max_line"):
                tip += " (slowest at trace line %d)" % s["max_line"]
            svg.add('<g class="box"%s><title>%s</title>' % (
                data_attrs(trace=trace, backend=backend, min=s["min"], median=s["median"], p99=s["p99"],
                           max=s["max"]), escape(tip)))
            svg.line(cx, ypos(s["max"]), cx, ypos(s["min"]), stroke=col, width=1.4, cls="whisker")
            svg.line(cx - glyph_w * 0.3, ypos(s["max"]), cx + glyph_w * 0.3, ypos(s["max"]), stroke=col, width=1.4)
            svg.line(cx - glyph_w * 0.3, ypos(s["min"]), cx + glyph_w * 0.3, ypos(s["min"]), stroke=col, width=1.4)
            y_p99, y_med = ypos(s["p99"]), ypos(s["median"])
            svg.rect(cx - glyph_w / 2, y_p99, glyph_w, max(y_med - y_p99, 1.5), fill=col, stroke=col,
                     width=1, opacity=0.35, cls="iqr")
            svg.line(cx - glyph_w / 2 - 1, y_med, cx + glyph_w / 2 + 1, y_med, stroke="#000", width=2.5, cls="median")
            svg.add("</g>")
        lx = gx + group_w / 2
        svg.text(lx + 4, plot_bottom + 14, trace, size=12, anchor="end", rotate=-35, cls="xlabel")
    for value, label, colour in targets:
        y = ypos(value)
        svg.line(plot_left, y, plot_right, y, stroke=colour, width=1.5, dash="6 4", cls="target",
                 extra=data_attrs(value=value))
        svg.text(plot_right + 6, y + 4, label, size=11, fill=colour)
    svg.text((plot_left + plot_right) / 2, height - 10, "trace (each group: one trace, one glyph per back-end)",
             size=13, anchor="middle")
    return svg.render()


# ---- fill chart (grouped bars) -----------------------------------------------------------------

def fill_chart(title, subtitle, panels, backends, fills, targets=None, target_backends=()):
    """panels: trace names (one panel each); fills[(trace, backend)] = {"first","min","mean"} as
    fractions, or None when nothing failed. targets[trace][metric] = fraction: a notch over that
    metric's bar for each back-end in target_backends."""
    targets = targets or {}
    metrics = ["first", "min", "mean"]
    labels = {"first": "fill at the first failure", "min": "lowest fill at a failure",
              "mean": "mean fill over all failures"}
    width = 1120
    left, right = 80, width - 30
    plot_top, plot_bottom = 150, 540
    height = plot_bottom + 90
    svg = Svg(width, height, title)
    svg.text(left, 28, title, size=17, weight="bold")
    svg.text(left, 48, subtitle, size=12, fill="#555")
    items = [("swatch", METRIC_COLOURS[m], labels[m]) for m in metrics]
    if targets:
        items.append(("dash", "#000000", "target (issue #3, for llff and tlsf)"))
    legend(svg, left, 76, items, right - left)

    gap = 40
    panel_w = (right - left - gap * (len(panels) - 1)) / max(len(panels), 1)

    def ypos(frac):
        return plot_bottom - frac * (plot_bottom - plot_top)

    for pi, trace in enumerate(panels):
        px = left + pi * (panel_w + gap)
        svg.text(px + panel_w / 2, plot_top - 22, trace, size=14, anchor="middle", weight="bold")
        for pct in range(0, 101, 10):
            y = ypos(pct / 100)
            svg.add('<g class="ytick"%s>' % data_attrs(panel=trace, value=pct))
            svg.line(px, y, px + panel_w, y, stroke="#d0d0d0" if pct % 50 == 0 else "#ececec")
            svg.text(px - 6, y + 4, "%d%%" % pct, size=10, anchor="end")
            svg.add("</g>")
        svg.line(px, plot_top, px, plot_bottom, stroke="#222")
        svg.line(px, plot_bottom, px + panel_w, plot_bottom, stroke="#222")
        group_w = panel_w / max(len(backends), 1)
        bar_w = min(group_w * 0.8 / len(metrics), 40)
        for bi, backend in enumerate(backends):
            gx = px + bi * group_w + (group_w - bar_w * len(metrics)) / 2
            svg.text(px + bi * group_w + group_w / 2, plot_bottom + 18, backend, size=12, anchor="middle",
                     cls="xlabel")
            f = fills.get((trace, backend))
            if not f:
                svg.text(px + bi * group_w + group_w / 2, plot_bottom - 10, "no failure", size=11,
                         anchor="middle", fill="#777", cls="nofail")
                continue
            for mi, metric in enumerate(metrics):
                v = f.get(metric)
                if v is None:
                    continue
                x = gx + mi * bar_w
                tip = "%s on %s: %s %.2f%%" % (backend, trace, labels[metric], v * 100)
                svg.add('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" class="bar"%s>'
                        '<title>%s</title></rect>' % (
                            x + 1, ypos(v), bar_w - 2, plot_bottom - ypos(v), METRIC_COLOURS[metric],
                            data_attrs(panel=trace, backend=backend, metric=metric, value="%.6f" % v),
                            escape(tip)))
                svg.text(x + bar_w / 2, ypos(v) + 13, "%.1f" % (v * 100), size=9.5, anchor="middle",
                         fill="#ffffff", rotate=None, cls="barlabel")
                t = targets.get(trace, {}).get(metric)
                if t is not None and backend in target_backends:
                    svg.line(x - 1, ypos(t), x + bar_w + 1, ypos(t), stroke="#000", width=2, dash="4 2",
                             cls="target", extra=data_attrs(value=t))
    svg.text(22, (plot_top + plot_bottom) / 2, "live requested bytes / arena at a failed allocation",
             size=13, anchor="middle", rotate=-90)
    svg.text((left + right) / 2, height - 12,
             "back-end (each group: fill at the first failure, the lowest and the mean over all failures)",
             size=13, anchor="middle")
    return svg.render()


# ---- reading a chart back (the self-check) -----------------------------------------------------

def parse_counts(path_or_text, is_text=False):
    """Parse an SVG with xml.etree; return counts of the classed elements and the boxes' data."""
    root = ET.fromstring(path_or_text) if is_text else ET.parse(path_or_text).getroot()
    if root.tag != "{%s}svg" % SVG_NS:
        raise ValueError("root element is %s, not svg" % root.tag)
    counts = {}
    boxes, bars, targets = [], [], []
    for el in root.iter():
        cls = el.get("class")
        if not cls:
            continue
        counts[cls] = counts.get(cls, 0) + 1
        if cls == "box":
            boxes.append(el)
        elif cls == "bar":
            bars.append(el)
        elif cls == "target":
            targets.append(el)
    title = root.find("{%s}title" % SVG_NS)
    return {"root": root, "counts": counts, "boxes": boxes, "bars": bars, "targets": targets,
            "title": title.text if title is not None else None,
            "width": float(root.get("width")), "height": float(root.get("height"))}
