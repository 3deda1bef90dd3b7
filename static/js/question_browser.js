// The bank browser: search as you type (debounced), filters whose values come from the data,
// paging, and each result linking to its question's page. Matches are marked from the spans
// the server sends (docs/bank-admin.md), so question text is never parsed as HTML.
import { t, label, onLangChange } from "./i18n.js";
import { h, fill, pageData, errorText } from "./common.js";

const LIMIT = 50;
const DEBOUNCE_MS = 250;
const form = document.getElementById("qb-form");
const query = document.getElementById("qb-q");
const count = document.getElementById("qb-count");
const results = document.getElementById("qb-results");
const prev = document.getElementById("qb-prev");
const next = document.getElementById("qb-next");
const pageLabel = document.getElementById("qb-page");
const selects = {
  bank: document.getElementById("qb-bank"),
  tag: document.getElementById("qb-tag"),
  type: document.getElementById("qb-type"),
  difficulty: document.getElementById("qb-difficulty"),
  status: document.getElementById("qb-status"),
};
const facets = pageData().facets || {};
let offset = 0;
let last = null;
let timer = null;
let asked = 0;

function fillSelects() {
  const choices = {
    bank: (facets.banks || []).map((b) => [b.id, `${b.title} (${b.id})`]),
    tag: (facets.tags || []).map((tag) => [tag, tag]),
    type: (facets.types || []).map((type) => [type, label("type", type)]),
    difficulty: (facets.difficulties || []).map((d) => [String(d), t("qb.level", { n: d })]),
    status: (facets.statuses || []).map((s) => [s, label("qb.state", s)]),
  };
  for (const [name, select] of Object.entries(selects)) {
    const chosen = select.value;
    fill(select, h("option", { value: "" }, t("qb.any")),
      choices[name].map(([value, text]) => h("option", { value }, text)));
    select.value = chosen;
  }
}

function params() {
  const found = new URLSearchParams();
  if (query.value.trim()) found.set("q", query.value.trim());
  for (const [name, select] of Object.entries(selects)) if (select.value) found.set(name, select.value);
  return found;
}

/** The snippet's text with its match spans wrapped in <mark>. */
function marked(snippet) {
  const parts = [];
  let at = 0;
  for (const [start, end] of snippet.marks) {
    if (start > at) parts.push(snippet.text.slice(at, start));
    parts.push(h("mark", snippet.text.slice(start, end)));
    at = end;
  }
  parts.push(snippet.text.slice(at));
  return [snippet.clipped_start ? "…" : null, parts, snippet.clipped_end ? "…" : null];
}

function questionUrl(q) {
  return `/admin/banks/${encodeURIComponent(q.bank)}/questions/${encodeURIComponent(q.qid)}`;
}

function render() {
  if (!last) return;
  const data = last;
  count.textContent = t("qb.count", { n: data.total });
  fill(results, data.questions.map((q) => h("li",
    h("a", { href: questionUrl(q), "data-testid": "qb-hit" },
      h("span.qb-stem", marked(q.snippet)),
      h("span.qb-meta",
        h("code", `${q.bank} · ${q.qid}`),
        h("span", label("type", q.type)),
        h("span", t("qb.level", { n: q.difficulty })),
        h("span", label("qb.state", q.status)),
        q.tags.length ? h("span", q.tags.join("、")) : null)))));
  const pages = Math.max(1, Math.ceil(data.total / LIMIT));
  pageLabel.textContent = t("qb.page", { page: Math.floor(data.offset / LIMIT) + 1, pages });
  prev.disabled = data.offset <= 0;
  next.disabled = data.offset + LIMIT >= data.total;
}

async function load() {
  const mine = ++asked;
  const search = params();
  search.set("offset", String(offset));
  search.set("limit", String(LIMIT));
  try {
    const response = await fetch(`/api/questions?${search}`, { headers: { Accept: "application/json" } });
    const data = await response.json().catch(() => ({}));
    if (mine !== asked) return; // a newer search has been sent; this answer is stale
    if (!response.ok || data.error) {
      count.textContent = errorText(data.error || { code: "unknown" });
      return;
    }
    last = data;
    render();
    const shown = params().toString();
    history.replaceState(null, "", shown ? `?${shown}` : location.pathname);
  } catch (error) {
    if (mine === asked) count.textContent = errorText({ code: "network", message: String(error) });
  }
}

function restart() {
  offset = 0;
  load();
}

function fromAddress() {
  const given = new URLSearchParams(location.search);
  query.value = given.get("q") || "";
  for (const [name, select] of Object.entries(selects)) {
    const value = given.get(name) || "";
    if ([...select.options].some((option) => option.value === value)) select.value = value;
  }
}

function soon() {
  clearTimeout(timer);
  timer = setTimeout(restart, DEBOUNCE_MS);
}

// While a Chinese input method composes, the box holds pinyin letters: search once the
// characters are chosen, not for each letter typed.
query.addEventListener("input", (event) => { if (!event.isComposing) soon(); });
query.addEventListener("compositionend", soon);
form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(timer);
  restart();
});
for (const select of Object.values(selects)) select.addEventListener("change", restart);
prev.addEventListener("click", () => { offset = Math.max(0, offset - LIMIT); load(); });
next.addEventListener("click", () => { offset += LIMIT; load(); });
onLangChange(() => { fillSelects(); render(); });

fillSelects();
fromAddress();
load();
