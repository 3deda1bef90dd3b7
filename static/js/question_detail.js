// One question for organisers: the current version as a player sees it (with its key,
// explanation, source and tags), the answer statistics with a bar of option picks, and every
// version with what changed field by field. The data is in the page (docs/bank-admin.md).
import { t, label, onLangChange } from "./i18n.js";
import { h, fill, pageData, LETTERS } from "./common.js";

const detail = pageData().detail;
const questionBox = document.getElementById("qd-question");
const statsBox = document.getElementById("qd-stats");
const versionsBox = document.getElementById("qd-versions");
// The fields a version's differences are listed by, in the bank format's order.
const FIELDS = ["type", "text", "options", "shuffle", "answer", "explanation", "source",
  "difficulty", "tags", "status", "points", "time_limit", "translations"];

function current() {
  return detail.versions.find((v) => v.version === detail.current_version)
    || detail.versions[detail.versions.length - 1];
}

function answerWords(content) {
  const answer = content.answer;
  if (typeof answer === "boolean") return answer ? t("tf.true.long") : t("tf.false.long");
  const list = [].concat(answer ?? []);
  const options = content.options || [];
  const lettered = list.map((text) => {
    const index = options.indexOf(text);
    return index >= 0 ? `${LETTERS[index]}. ${text}` : String(text);
  });
  return lettered.join(content.type === "order" ? " → " : "；");
}

function questionView(version) {
  const content = version.content;
  const bo = (content.translations || {}).bo || {};
  const keys = new Set([].concat(content.answer ?? []));
  const options = content.type === "truefalse"
    ? [[t("tf.true.long"), content.answer === true], [t("tf.false.long"), content.answer === false]]
    : (content.options || []).map((text) => [text, content.type !== "order" && keys.has(text)]);
  return [
    h("div.qd-stem", { lang: "zh-CN", "data-testid": "qd-stem" }, content.text),
    bo.text ? h("div.qd-stem-bo.bo", { lang: "bo" }, bo.text) : null,
    options.length ? h("ol.qd-options", options.map(([text, isKey], i) => h(
      `li${isKey ? ".is-key" : ""}`,
      `${LETTERS[i]}. `, text,
      bo.options && bo.options[i] ? h("div.bo", { lang: "bo" }, bo.options[i]) : null,
      isKey ? h("span.qd-key-mark", ` ✓ ${t("qd.key")}`) : null))) : null,
    h("dl.qd-fields",
      h("dt", t("qd.answer")), h("dd", { "data-testid": "qd-answer" }, answerWords(content)),
      h("dt", t("qd.explanation")), h("dd", content.explanation || "—"),
      h("dt", t("qd.source")), h("dd", content.source || "—"),
      h("dt", t("qb.tag")), h("dd", (content.tags || []).join("、") || "—"),
      h("dt", t("qb.type")), h("dd", label("type", content.type)),
      h("dt", t("qb.difficulty")), h("dd", t("qb.level", { n: content.difficulty })),
      h("dt", t("qb.status")), h("dd", label("qb.state", version.status)),
      h("dt", t("qd.version")), h("dd", t("qd.version.line",
        { version: version.version, bank_version: version.bank_version })),
      detail.retired ? h("dt", t("qd.retired")) : null,
      detail.retired ? h("dd", t("qd.retired.note")) : null),
  ];
}

function rate(stats) {
  return stats.correct_rate === null ? "—" : `${Math.round(stats.correct_rate * 1000) / 10}%`;
}

function numbers(stats) {
  const items = [
    ["qd.attempts", stats.attempts, "qd-attempts"],
    ["qd.rate", rate(stats), "qd-rate"],
    ["qd.median", stats.median_ms === null ? "—" : t("qd.seconds", { s: (stats.median_ms / 1000).toFixed(1) }), "qd-median"],
    ["qd.contests", stats.contests, "qd-contests"],
    ["qd.pk", stats.pk_matches, "qd-pk"],
  ];
  return h("dl.qd-numbers", items.map(([key, value, id]) =>
    h("div", h("dt", t(key)), h("dd", { "data-testid": id }, String(value)))));
}

const SVG = "http://www.w3.org/2000/svg";
function svg(name, attrs, ...children) {
  const el = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  el.append(...children);
  return el;
}

/** Bars of how often each option was picked; the key's bars are green. */
function pickBars(version) {
  const picks = version.stats.picks;
  if (!picks || !picks.length) return null;
  const content = version.content;
  const keys = new Set([].concat(content.answer ?? []));
  const names = content.type === "truefalse" ? [t("tf.true.long"), t("tf.false.long")] : content.options;
  const most = Math.max(1, ...picks);
  const row = 26;
  const width = 320;
  const bars = picks.map((n, i) => {
    const isKey = content.type === "truefalse" ? (i === 0) === (content.answer === true) : keys.has(names[i]);
    const length = Math.round((n / most) * 240);
    return svg("g", {},
      svg("text", { x: 0, y: i * row + 17 }, `${LETTERS[i]}`),
      svg("rect", { class: isKey ? "bar is-key" : "bar", x: 24, y: i * row + 4, width: Math.max(length, 1), height: 18, rx: 3 }),
      svg("text", { x: 32 + length, y: i * row + 17 }, String(n)));
  });
  const title = t("qd.picks.title", { version: version.version });
  const chart = svg("svg", { class: "qd-bars", viewBox: `0 0 ${width} ${picks.length * row + 4}`, role: "img", "aria-label": title, "data-testid": "qd-bars" }, ...bars);
  return [h("h3", title), chart,
    h("p.muted", names.map((name, i) => `${LETTERS[i]}. ${name}：${picks[i]}`).join("　"))];
}

function statsView() {
  const now = current();
  return [
    h("h3", t("qd.total")), numbers(detail.total),
    detail.versions.length > 1 ? [h("h3", t("qd.this_version", { version: now.version })), numbers(now.stats)] : null,
    pickBars(now),
    h("p.muted", t("qd.stats.note")),
  ];
}

function shown(value) {
  if (value === undefined || value === null) return "—";
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((item) => typeof item !== "object")) return value.join("；");
  return JSON.stringify(value, null, 1);
}

/** The fields whose values differ between two versions' contents. */
function differences(before, after) {
  const names = [...FIELDS, ...Object.keys(after).filter((k) => !FIELDS.includes(k) && k !== "id")];
  return names.filter((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name]));
}

function versionView(version, previous) {
  const changed = previous ? differences(previous.content, version.content) : [];
  if (previous && previous.status !== version.status && !changed.includes("status")) changed.push("status");
  return h("li", { "data-testid": "qd-version" },
    h("div.qd-version-head",
      h("strong", t("qd.version.line", { version: version.version, bank_version: version.bank_version })),
      h("span", label("qb.state", version.status)),
      h("time", { datetime: version.created_at }, version.created_at.replace("T", " ").replace("Z", " UTC")),
      version.version === detail.current_version ? h("span.chip.chip-light", t("qd.current")) : null),
    !previous ? h("p.muted", t("qd.first")) : changed.length === 0 ? h("p.muted", t("qd.same")) :
      h("div.table-wrap", { tabindex: "0" }, h("table.qd-diff",
        h("thead", h("tr", h("th", t("qd.field")), h("th", t("qd.was")), h("th", t("qd.now")))),
        h("tbody", changed.map((name) => h("tr", { "data-field": name },
          h("th", label("qd.f", name)),
          h("td.was", shown(name === "status" ? previous.status : previous.content[name])),
          h("td.now", shown(name === "status" ? version.status : version.content[name]))))))));
}

function render() {
  fill(questionBox, questionView(current()));
  fill(statsBox, statsView());
  fill(versionsBox, detail.versions.map((v, i) => versionView(v, detail.versions[i - 1])).reverse());
}

onLangChange(render);
render();
