// Bank upload: validate (problems as line:column severity message, with the source line and a
// caret), preview the questions, then import and show what changed.
import { t, onLangChange, label, getLang } from "./i18n.js";
import { h, fill, errorText, LETTERS, withCsrf } from "./common.js";

const input = document.getElementById("bank-file");
const fileLabel = document.getElementById("file-label");
const validateBtn = document.getElementById("validate-btn");
const importBtn = document.getElementById("import-btn");
const out = document.getElementById("bank-result");
const dropzone = document.getElementById("dropzone");
let sourceLines = [];
let last = null;

async function post(path) {
  const file = input.files && input.files[0];
  if (!file) {
    fill(out, h("p.form-error", t("banks.pick")));
    return null;
  }
  sourceLines = (await file.text()).split(/\r?\n/);
  const body = new FormData();
  body.append("file", file, file.name);
  body.append("lang", getLang());
  try {
    const response = await fetch(path, { method: "POST", headers: withCsrf(), body });
    const data = await response.json().catch(() => ({}));
    if (data.error) {
      fill(out, h("p.form-error", errorText(data.error)));
      return null;
    }
    return data;
  } catch (error) {
    fill(out, h("p.form-error", errorText({ code: "network", message: String(error) })));
    return null;
  }
}

function problemList(problems) {
  if (!problems || !problems.length) return h("p.ok-line", "✓ " + t("banks.no_problems"));
  return h("ol.problems", problems.map((p) => {
    // A workbook cell or a Word paragraph has a place of its own (题库.xlsx!题目!D7) and no
    // source line to quote; a text file's place ends in its line and column.
    const cell = p.place && !p.place.endsWith(`:${p.line}:${p.column}`);
    const line = cell ? undefined : sourceLines[(p.line || 0) - 1];
    return h(`li.problem.sev-${p.severity}`,
      h("div.problem-head",
        h("code.problem-pos", cell ? p.place : `${p.line}:${p.column}`),
        h(`span.sev.sev-${p.severity}`, t(`banks.sev_${p.severity}`)),
        // Each problem comes in both languages, so a switch re-renders without asking again.
        h("span.problem-msg", inLang(p)),
        p.code ? h("code.problem-code.muted", p.code) : null),
      line !== undefined
        ? h("pre.excerpt", h("span.excerpt-no", String(p.line).padStart(4, " ") + " │ "), line,
          "\n", " ".repeat(7 + Math.max(0, (p.column || 1) - 1)), h("span.caret", "^"))
        : null);
  }));
}

function answerCell(q) {
  if (typeof q.answer === "boolean") return q.answer ? t("tf.true") : t("tf.false");
  const answers = [].concat(q.answer ?? []);
  if (q.options && q.type !== "fill") {
    return answers.map((a) => {
      const i = q.options.indexOf(a);
      return i >= 0 ? `${LETTERS[i]}. ${a}` : String(a);
    }).join(q.type === "order" ? " → " : "；");
  }
  return answers.join(" / ");
}

function previewTable(preview) {
  if (!preview || !preview.length) return null;
  return h("div.table-wrap", { tabindex: "0" },
    h("table.table.table-dense.preview",
      h("thead", h("tr",
        h("th", "ID"), h("th", t("banks.types")), h("th", t("w.question")), h("th", t("w.answer")),
        h("th.num", t("w.difficulty")), h("th", t("banks.status")))),
      h("tbody", preview.map((q) => h("tr",
        h("td", h("code", q.id)),
        h("td", label("type", q.type)),
        h("td",
          h("div", q.text),
          q.translations && q.translations.bo && q.translations.bo.text
            ? h("div.bo.small", { lang: "bo" }, q.translations.bo.text) : null,
          q.options && q.options.length
            ? h("ol.opt-preview", q.options.map((o) => h("li", o))) : null),
        h("td", answerCell(q)),
        h("td.num", String(q.difficulty ?? "")),
        h("td", h(`span.status.status-${q.status}`, q.status === "reviewed" ? t("banks.reviewed") : t("banks.draft"))))))));
}

const count = (v) => (Array.isArray(v) ? v.length : v ?? 0);
/** A problem's or a note's sentence in the current language (both come with the answer). */
const inLang = (item) => (item.text && item.text[getLang()]) || item.message;
const noteText = (note) => (typeof note === "string" ? note : inLang(note));

/** The dry run: what importing this file would do to the stored bank, with the ids concerned. */
function wouldBox(would) {
  const ids = (key, list) => (list && list.length
    ? h("p.would-ids", h("span.muted", t(key)), " ", list.slice(0, 50).join("、"),
      list.length > 50 ? ` …（${list.length}）` : "")
    : null);
  return h("div.would",
    h("p.would-line", t("banks.would", {
      bank: would.bank, added: count(would.added), changed: count(would.changed),
      unchanged: count(would.unchanged), retired: count(would.retired),
    })),
    ids("banks.would_changed", would.changed),
    ids("banks.would_retired", would.retired),
    [].concat(would.notes || []).length ? h("ul.notes", would.notes.map((n) => h("li", noteText(n)))) : null);
}

function renderValidation(data) {
  last = data;
  const problems = data.problems || [];
  const errors = problems.filter((p) => p.severity === "error");
  importBtn.disabled = !data.ok || errors.length > 0;
  fill(out, 
    h("h3", t("banks.problems"), " ", h("span.muted", `(${problems.length + (data.unlisted || 0)})`)),
    problemList(problems),
    data.unlisted ? h("p.muted", t("banks.unlisted", { n: data.unlisted })) : null,
    errors.length ? h("p.form-error", t("banks.errors_block")) : null,
    data.would ? wouldBox(data.would) : null,
    data.preview && data.preview.length
      ? h("h3", t("banks.preview"), " ", h("span.muted", t("banks.count", { n: data.questions ?? data.preview.length }))) : null,
    previewTable(data.preview));
}

validateBtn.addEventListener("click", async () => {
  validateBtn.disabled = true;
  const data = await post("/api/banks/validate");
  validateBtn.disabled = false;
  if (data) renderValidation(data);
});

importBtn.addEventListener("click", async () => {
  importBtn.disabled = true;
  const data = await post("/api/banks/import");
  if (!data) return;
  if (!data.ok) {
    renderValidation({ ok: false, problems: data.problems || [], unlisted: data.unlisted, preview: [] });
    return;
  }
  const r = data.result || {};
  fill(out, 
    h("div.import-result",
      h("p.ok-line", "✓ " + t("banks.result", {
        added: count(r.added), changed: count(r.changed), unchanged: count(r.unchanged), retired: count(r.retired),
      })),
      r.bank ? h("p", h("code", r.bank)) : null,
      [].concat(r.notes || []).length ? h("ul.notes", [].concat(r.notes).map((n) => h("li", noteText(n)))) : null),
    last && last.preview ? previewTable(last.preview) : null);
});

input.addEventListener("change", () => {
  const file = input.files && input.files[0];
  fileLabel.textContent = file ? `${file.name} · ${(file.size / 1024).toFixed(1)} KB` : ".yaml";
  importBtn.disabled = true;
  if (file) validateBtn.click();
});
for (const type of ["dragenter", "dragover"]) {
  dropzone.addEventListener(type, (e) => { e.preventDefault(); dropzone.classList.add("is-over"); });
}
for (const type of ["dragleave", "drop"]) {
  dropzone.addEventListener(type, () => dropzone.classList.remove("is-over"));
}
dropzone.addEventListener("drop", (e) => {
  e.preventDefault();
  if (e.dataTransfer && e.dataTransfer.files.length) {
    input.files = e.dataTransfer.files;
    input.dispatchEvent(new Event("change"));
  }
});
onLangChange(() => { if (last) renderValidation(last); });
