// The 纠错 sheet: a player reports a revealed question as wrong (reason chips, an optional note of
// at most 200 characters, 提交). Used by the phone (play.js, over the socket) and by self-test
// (sitting.js, over the practice API); `send` does the sending and says how it went.

import { t } from "./i18n.js";
import { h, toast } from "./common.js";

export const REASONS = ["answer", "stem", "options", "explanation", "other"];
export const MAX_NOTE = 200;

/**
 * A 纠错 button that opens the sheet. `send({reason, note})` resolves to {ok, replaced} or
 * {ok: false, text} (the refusal in the player's words).
 */
export function reportButton(send, { testid = "report-open" } = {}) {
  return h("button.btn.btn-report", {
    type: "button",
    "data-testid": testid,
    onclick: () => openReportSheet(send),
  }, t("report.open"));
}

/** Open the sheet (one at a time) at the bottom of the screen, where a thumb reaches. */
export function openReportSheet(send) {
  document.getElementById("report-sheet")?.remove();
  let reason = null;
  const chips = REASONS.map((code) => h("button.chip", {
    type: "button",
    "aria-pressed": "false",
    dataset: { reason: code },
    onclick: () => {
      reason = code;
      for (const chip of chips) chip.setAttribute("aria-pressed", String(chip.dataset.reason === code));
      submit.disabled = false;
    },
  }, t(`report.reason.${code}`)));
  const note = h("textarea#report-note.report-note", {
    maxlength: String(MAX_NOTE),
    rows: "3",
    placeholder: t("report.note_hint"),
  });
  const count = h("span.report-count", `0/${MAX_NOTE}`);
  note.addEventListener("input", () => { count.textContent = `${note.value.length}/${MAX_NOTE}`; });
  const problem = h("p.form-error", { role: "alert", hidden: true });
  const close = () => sheet.remove();
  const submit = h("button.btn.btn-primary", {
    type: "button",
    disabled: true,
    "data-testid": "report-submit",
    onclick: async () => {
      submit.disabled = true;
      const answer = await send({ reason, note: note.value.trim() });
      if (!answer.ok) {
        problem.textContent = answer.text;
        problem.hidden = false;
        submit.disabled = false;
        return;
      }
      close();
      toast(t(answer.replaced ? "report.replaced" : "report.sent"), "ok", 4000);
    },
  }, t("report.submit"));
  const sheet = h("div#report-sheet.report-sheet", {
    role: "dialog",
    "aria-modal": "true",
    "aria-labelledby": "report-title",
    onkeydown: (event) => { if (event.key === "Escape") close(); },
  },
  h("div.report-panel",
    h("h2#report-title.report-title", t("report.title")),
    h("p.report-hint", t("report.hint")),
    h("div.report-chips", { role: "group", "aria-label": t("report.reason") }, chips),
    h("label.report-label", { for: "report-note" }, t("report.note"), " ", count),
    note,
    problem,
    h("div.btn-row",
      h("button.btn", { type: "button", onclick: close }, t("report.cancel")),
      submit)));
  document.body.append(sheet);
  chips[0].focus();
  return sheet;
}
