// 纠错报告 on /admin/review: players' open reports grouped by question (newest first), each with
// its count, the tally of reasons and every note with its reporter, source and time; links to
// the question's page and editor, and 处理完毕 resolving all of a question's open reports.
import { t, onLangChange } from "./i18n.js";
import { h, fill, errorText, withCsrf, toast } from "./common.js";

const list = document.getElementById("reports-list");
const empty = document.getElementById("reports-empty");
let last = null;

async function load() {
  try {
    const response = await fetch("/api/review/reports", { headers: { Accept: "application/json" } });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      fill(list, h("p.form-error", errorText(data.error || { code: `http_${response.status}` })));
      return;
    }
    last = data;
    render();
  } catch (error) {
    fill(list, h("p.form-error", errorText({ code: "network", message: String(error) })));
  }
}

function render() {
  if (!last) return;
  empty.hidden = last.questions.length > 0;
  fill(list, last.questions.map(entry));
}

function when(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

function source(report) {
  return report.source === "contest"
    ? t("reports.source.contest", { code: report.contest || "" })
    : t("reports.source.selftest");
}

function entry(question) {
  const base = `/admin/banks/${encodeURIComponent(question.bank)}/questions/${encodeURIComponent(question.qid)}`;
  const older = [...new Set(question.reports.map((r) => r.version))]
    .filter((v) => v !== question.current_version);
  const noteId = `resolve-note-${question.question_id}`;
  const note = h(`input#${noteId}.resolve-note`, { type: "text", maxlength: "200" });
  const resolve = h("button.btn.btn-primary", {
    type: "button",
    "data-testid": "report-resolve",
    onclick: async () => {
      resolve.disabled = true;
      const response = await fetch(`/api/review/reports/${question.question_id}/resolve`, {
        method: "POST",
        headers: withCsrf({ "Content-Type": "application/json", Accept: "application/json" }),
        body: JSON.stringify({ note: note.value.trim() }),
      }).catch(() => null);
      const data = response ? await response.json().catch(() => ({})) : { error: { code: "network" } };
      if (!response || !response.ok) {
        toast(errorText(data.error || data));
        resolve.disabled = false;
        return;
      }
      toast(t("reports.resolved", { n: data.resolved }), "ok", 4000);
      await load();
    },
  }, t("reports.resolve"));
  return h("article.report-entry", { "data-testid": "report-entry", dataset: { bank: question.bank, qid: question.qid } },
    h("h3.report-head",
      h("code", `${question.bank}/${question.qid}`), " ",
      h("span.report-total", { "data-testid": "report-count" }, t("reports.count", { n: question.count }))),
    h("p.report-stem", question.text),
    h("ul.report-reasons", Object.entries(question.reasons).map(([reason, n]) =>
      h("li.chip.chip-light", `${t(`report.reason.${reason}`)} × ${n}`))),
    older.length
      ? h("p.report-version", older.map((v) => t("reports.version", { asked: v, current: question.current_version })).join("；"))
      : null,
    h("ol.report-notes", question.reports.map((report) => h("li.report-note-item", { "data-testid": "report-note" },
      h("span.report-reason", t(`report.reason.${report.reason}`)), " ",
      h("span.report-text", report.note || t("reports.no_note")),
      h("div.muted.report-meta", `${report.reporter} · ${source(report)} · ${when(report.at)}`)))),
    h("div.btn-row",
      h("a.btn", { href: base }, t("reports.view")),
      h("a.btn", { href: `${base}/edit` }, t("reports.edit"))),
    h("div.resolve-row",
      h("label", { for: noteId }, t("reports.resolve_note")),
      note,
      resolve));
}

onLangChange(render);
load();
