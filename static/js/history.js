// The history tab: accuracy of each finished sitting and PK match over time, as an inline SVG
// line chart drawn here (no chart library: the page fetches nothing from another site), then
// accuracy by tag, weakest first, as bars.

import { t, getLang } from "./i18n.js";
import { h, fill } from "./common.js";

const SVG = "http://www.w3.org/2000/svg";
const MODES = ["practice", "exam", "review", "daily", "pk"];

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  for (const child of children) {
    if (child === null || child === undefined) continue;
    el.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return el;
}

/** Right/asked as a fraction, from the counts (the counts are exact; a rounded rate is not). */
function rate(correct, asked) {
  return asked > 0 ? Math.max(0, Math.min(1, correct / asked)) : 0;
}

function percent(fraction) {
  return `${Math.round(fraction * 100)}%`;
}

function shortDate(ms) {
  const d = new Date(ms);
  return getLang() === "en" ? `${d.getDate()}/${d.getMonth() + 1}` : `${d.getMonth() + 1}/${d.getDate()}`;
}

function longDate(ms) {
  return new Date(ms).toLocaleString(getLang() === "en" ? "en-GB" : "zh-CN", {
    hour12: false, year: "numeric", month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit",
  });
}

/**
 * The accuracy chart. Points are evenly spaced in order rather than by time: several sittings
 * on one evening would otherwise sit on top of each other.
 */
function accuracyChart(points) {
  const width = 340;
  const height = 190;
  const pad = { left: 38, right: 12, top: 12, bottom: 26 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const x = (i) => pad.left + (points.length === 1 ? plotW / 2 : (plotW * i) / (points.length - 1));
  const y = (fraction) => pad.top + plotH * (1 - fraction);

  const chart = svg("svg", {
    viewBox: `0 0 ${width} ${height}`, class: "history-chart", role: "img",
    "data-testid": "history-chart", "data-points": points.length,
    "aria-label": t("history.chart_label", { n: points.length }),
  });
  for (const level of [0, 0.25, 0.5, 0.75, 1]) {
    chart.append(svg("line", {
      x1: pad.left, x2: width - pad.right, y1: y(level), y2: y(level),
      class: level === 0 ? "hc-axis" : "hc-grid",
    }));
    if (level % 0.5 === 0) {
      chart.append(svg("text", { x: pad.left - 6, y: y(level) + 4, class: "hc-label", "text-anchor": "end" },
        percent(level)));
    }
  }
  const coords = points.map((p, i) => [x(i), y(rate(p.correct, p.count))]);
  if (coords.length > 1) {
    chart.append(svg("polyline", { points: coords.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(" "), class: "hc-line" }));
  }
  points.forEach((p, i) => {
    const [cx, cy] = coords[i];
    const mode = MODES.includes(p.mode) ? p.mode : "practice";
    chart.append(svg("circle", { cx, cy, r: 4.5, class: `hc-point hc-${mode}`, "data-testid": "history-point" },
      svg("title", {}, `${longDate(p.finished_ms)} · ${t(`practice.mode.${mode}`)} · ${p.correct}/${p.count} (${percent(rate(p.correct, p.count))})`)));
  });
  const first = points[0];
  const last = points[points.length - 1];
  chart.append(svg("text", { x: pad.left, y: height - 6, class: "hc-label", "text-anchor": "start" }, shortDate(first.finished_ms)));
  if (points.length > 1) {
    chart.append(svg("text", { x: width - pad.right, y: height - 6, class: "hc-label", "text-anchor": "end" }, shortDate(last.finished_ms)));
  }
  return chart;
}

function legend(points) {
  const present = MODES.filter((mode) => points.some((p) => p.mode === mode));
  return h("ul.hc-legend", present.map((mode) => h("li", h(`span.hc-swatch.hc-${mode}`), t(`practice.mode.${mode}`))));
}

function tagRows(tags) {
  const rows = [...tags].sort((a, b) =>
    rate(a.correct, a.answered) - rate(b.correct, b.answered) || b.answered - a.answered);
  return h("ol.tag-bars", rows.map((row) => {
    const fraction = rate(row.correct, row.answered);
    const level = fraction < 0.6 ? "is-weak" : fraction < 0.8 ? "is-fair" : "is-good";
    return h("li.tag-row", { "data-testid": "tag-row", class: level, dataset: { tag: row.tag } },
      h("span.tag-name", row.tag),
      h("span.tag-bar", h("span.tag-fill", { style: { width: `${Math.max(2, Math.round(fraction * 100))}%` } })),
      h("span.tag-num", `${percent(fraction)} · ${row.correct}/${row.answered}`));
  }));
}

export function renderHistory(container, data) {
  const points = [...(data.points || [])].sort((a, b) => a.finished_ms - b.finished_ms);
  const tags = data.tags || [];
  const pk = data.pk || { played: 0, won: 0, lost: 0, drawn: 0 };
  const asked = points.reduce((sum, p) => sum + p.count, 0);
  const right = points.reduce((sum, p) => sum + p.correct, 0);
  fill(container,
    h("div.stat-row",
      h("div.stat", h("span.stat-num", String(points.length)), h("span.stat-name", t("history.sittings"))),
      h("div.stat", h("span.stat-num", asked ? percent(rate(right, asked)) : "—"), h("span.stat-name", t("history.overall"))),
      h("div.stat", { "data-testid": "history-pk" }, h("span.stat-num", `${pk.won}/${pk.played}`), h("span.stat-name", t("history.pk_won")))),
    h("section.card.history-card",
      h("h3", t("history.accuracy")),
      points.length ? [accuracyChart(points), legend(points)] : h("p.empty", t("history.empty"))),
    h("section.card.history-card",
      h("h3", t("history.by_tag")),
      h("p.muted.small", t("history.by_tag_hint")),
      tags.length ? tagRows(tags) : h("p.empty", t("history.no_tags"))),
    pk.played ? h("p.muted.small", t("history.pk_line", pk)) : null);
}
