// 审核队列: questions whose newest version waits for a second person's verdict (or was sent back
// to its author), each with the field-by-field difference from the served version, and the
// buttons 通过 / 退回 (with a note). Without a name for this login, the name comes first.
import { t, onLangChange } from "./i18n.js";
import { h, fill, errorText, pageData, withCsrf, toast } from "./common.js";

const data = pageData();
let staffName = data.staff_name || "";
const list = document.getElementById("queue-list");
const filter = document.getElementById("bank-filter");
let page = 0;
let last = null;

async function postJson(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: withCsrf({ "Content-Type": "application/json" }),
    body: JSON.stringify(body),
  });
  return response.json().catch(() => ({}));
}

function shown(value) {
  if (value === undefined || value === null) return "—";
  if (typeof value === "boolean") return value ? t("tf.true.long") : t("tf.false.long");
  if (Array.isArray(value)) return value.map(shown).join(" ｜ ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function changesTable(item) {
  if (!item.changes.length) return h("p.muted", t("review.no_changes"));
  return h("div.table-wrap", { tabindex: "0" }, h("table.table.review-diff",
    h("thead", h("tr",
      h("th", t("review.field")),
      h("th", item.served_version ? t("review.served", { version: item.served_version }) : t("review.before")),
      h("th", t("review.proposed", { version: item.version })))),
    h("tbody", item.changes.map((change) => h("tr", { dataset: { field: change.field } },
      h("th", { scope: "row" }, t(`field.${change.field}`)),
      h("td.diff-before", shown(change.before)),
      h("td.diff-after", shown(change.after)))))));
}

async function verdict(item, action, note) {
  const body = action === "reject" ? { note } : {};
  const answer = await postJson(`/api/review/${item.version_id}/${action}`, body);
  if (answer.error) {
    const box = document.getElementById(`refusal-${item.version_id}`);
    if (box) fill(box, h("p.form-error", { role: "alert", dataset: { code: answer.error.code } }, errorText(answer)));
    return;
  }
  toast(t(action === "approve" ? "review.approved" : "review.rejected", { qid: item.qid }), "ok");
  load();
}

function card(item) {
  const question = `/admin/banks/${encodeURIComponent(item.bank)}/questions/${encodeURIComponent(item.qid)}`;
  const noteId = `note-${item.version_id}`;
  const rejected = item.state === "rejected";
  return h("article.card.review-item", { dataset: { qid: item.qid, versionId: String(item.version_id), state: item.state } },
    h("h3", h("a", { href: question }, item.qid), " · ", item.bank_title, " · ",
      t("review.version", { version: item.version })),
    h("p.muted", t(item.kind === "edit" ? "review.kind_edit" : "review.kind_draft"), " · ",
      t("review.author"), " ", item.author || t("review.from_file"), " · ", item.at.replace("T", " ")),
    h("p", item.text),
    rejected
      ? h("p.form-error", t("review.sent_back", { reviewer: item.review.reviewer }), " ", item.review.note)
      : null,
    changesTable(item),
    h("div", { id: `refusal-${item.version_id}` }),
    rejected
      ? h("p", h("a.btn", { href: `${question}/edit` }, t("review.edit_again")))
      : h("div.review-actions",
        h("button.btn.btn-primary", { type: "button", dataset: { action: "approve" },
          onclick: () => verdict(item, "approve") }, t("review.approve")),
        h("label.field", h("span", t("review.note")),
          h("input", { type: "text", id: noteId, maxlength: 500 })),
        h("button.btn", { type: "button", dataset: { action: "reject" },
          onclick: () => verdict(item, "reject", document.getElementById(noteId).value) }, t("review.reject"))));
}

function render() {
  if (!last) return;
  document.getElementById("queue-count").textContent = String(last.waiting);
  fill(list, last.items.length ? last.items.map(card) : h("p.muted#queue-empty", t("review.empty")));
  document.getElementById("prev-page").hidden = page === 0;
  document.getElementById("next-page").hidden = (page + 1) * last.page_size >= last.total;
}

async function load() {
  const query = new URLSearchParams({ page: String(page) });
  if (filter.value) query.set("bank", filter.value);
  const response = await fetch(`/api/review/queue?${query}`);
  const answer = await response.json().catch(() => ({}));
  if (answer.error) {
    fill(list, h("p.form-error", errorText(answer)));
    return;
  }
  last = answer;
  render();
}

document.getElementById("name-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const answer = await postJson("/api/staff/name", { name: document.getElementById("staff-name").value });
  if (answer.error) {
    toast(errorText(answer));
    return;
  }
  staffName = answer.name;
  document.getElementById("signed-as").textContent = staffName;
  document.getElementById("signed-line").hidden = false;
  document.getElementById("name-card").hidden = true;
  load();
});
filter.addEventListener("change", () => { page = 0; load(); });
document.getElementById("prev-page").addEventListener("click", () => { page -= 1; load(); });
document.getElementById("next-page").addEventListener("click", () => { page += 1; load(); });
onLangChange(render);
load();
