// One question on the self-test page: its card (text, Tibetan under it, type and difficulty) and
// the answer panel with big option buttons. Used by practice, exam, review, the daily challenge
// and PK, so every mode answers the same way and carries the same test hooks
// (option-<index>, fill-input, submit-answer).

import { t, label } from "./i18n.js";
import { h, localize, questionTextNodes, LETTERS, toast } from "./common.js";

/** The question card: its number, type, difficulty and text (with the Tibetan under it). */
export function questionCard(q, { position = null, total = null, testid = "question" } = {}) {
  const lq = localize(q);
  return h("article.pq-card", {
    "data-testid": testid,
    dataset: { questionId: q.id, position: position === null ? "" : String(position) },
  },
  h("div.pq-card-meta",
    total ? h("span.pq-count", t("practice.progress", { n: position + 1, m: total })) : null,
    h("span.badge", label("type", lq.type)),
    lq.difficulty ? h("span.badge.badge-diff", { title: t("w.difficulty") }, "★".repeat(lq.difficulty)) : null),
  h("div.pq-card-text", questionTextNodes(lq, "pq-card-q")));
}

/** An answer normalised for localize(): a truefalse key may arrive as [true]. */
export function withKey(q, key) {
  let answer = key.answer;
  if (q.type === "truefalse" && Array.isArray(answer) && answer.length === 1) answer = answer[0];
  return {
    ...q,
    answer,
    answer_indices: key.answer_indices || [],
    explanation: key.explanation ?? q.explanation,
    source: key.source ?? q.source,
    revealed: true,
  };
}

/** The key as text: "B. 遵义会议" / "正确" / "1921 / 一九二一". */
function keyText(q) {
  return localize(q).answerText || "";
}

/** A response as the player gave it, in words (for reviews). */
export function responseText(q, response) {
  if (response === null || response === undefined) return t("practice.no_answer");
  const lq = localize(q);
  if (q.type === "truefalse") return response ? t("tf.true.long") : t("tf.false.long");
  if (q.type === "fill") return String(response);
  const list = [].concat(response);
  const sep = q.type === "order" ? " → " : "、";
  return list.map((i) => `${LETTERS[i] ?? "?"}. ${lq.options[i] ?? ""}`).join(sep);
}

/** The option index a truefalse response points at (true is the first button). */
function tfIndex(value) {
  return value ? 0 : 1;
}

/**
 * The answer panel: option buttons (or a text box) and a submit button.
 * onSubmit(response) returns a promise; the panel stays locked while it runs and after success.
 * Returns {el, lock(), reveal(keyed question, response)}.
 */
export function answerPanel(q, onSubmit) {
  const lq = localize(q);
  const draft = { pick: [], order: [], text: "" };
  const panel = h("div.ans-panel", { class: `ans-${lq.type}` });
  const submit = h("button.btn.btn-primary.btn-lg.btn-block.ans-submit", {
    type: "button", "data-testid": "submit-answer",
  }, t("play.submit"));
  let locked = false;

  const ready = () => {
    switch (lq.type) {
      case "single": case "truefalse": return draft.pick.length === 1;
      case "multiple": return draft.pick.length >= 1;
      case "order": return draft.order.length === lq.options.length;
      case "fill": return draft.text.trim().length > 0;
      default: return false;
    }
  };
  const response = () => {
    switch (lq.type) {
      case "single": return draft.pick[0];
      case "truefalse": return draft.pick[0] === 0;
      case "multiple": return [...draft.pick].sort((a, b) => a - b);
      case "order": return [...draft.order];
      default: return draft.text.trim().slice(0, 200);
    }
  };
  const repaint = () => {
    for (const b of panel.querySelectorAll("[data-index]")) {
      const i = Number(b.dataset.index);
      const picked = lq.type === "order" ? draft.order.includes(i) : draft.pick.includes(i);
      b.classList.toggle("is-picked", picked);
      b.setAttribute("aria-pressed", picked ? "true" : "false");
      b.disabled = locked;
      const mark = b.querySelector(".ans-order");
      if (mark) mark.textContent = draft.order.includes(i) ? String(draft.order.indexOf(i) + 1) : "";
    }
    submit.disabled = locked || !ready();
  };

  if (lq.type === "fill") {
    const input = h("input.fill-input", {
      type: "text", maxlength: "200", autocomplete: "off", autocapitalize: "off", spellcheck: "false",
      enterkeyhint: "send", placeholder: t("play.fill.placeholder"), "data-testid": "fill-input",
    });
    input.addEventListener("input", () => { draft.text = input.value; repaint(); });
    input.addEventListener("keydown", (e) => { if (e.key === "Enter" && ready()) submit.click(); });
    panel.append(input);
  } else {
    if (lq.type === "multiple") panel.append(h("div.ans-hint", t("play.multi.hint")));
    if (lq.type === "order") {
      panel.append(h("div.ans-hint", t("play.order.hint"),
        h("button.btn.btn-sm", { type: "button", onclick: () => { if (!locked) { draft.order = []; repaint(); } } },
          t("play.order.clear"))));
    }
    panel.append(h("div.ans-options", lq.options.map((text, i) => h("button.ans-option", {
      type: "button",
      "data-testid": `option-${i}`,
      dataset: { index: String(i) },
      onclick: () => {
        if (locked) return;
        if (lq.type === "single" || lq.type === "truefalse") draft.pick = [i];
        else if (lq.type === "multiple") {
          draft.pick = draft.pick.includes(i) ? draft.pick.filter((x) => x !== i) : [...draft.pick, i];
        } else if (lq.type === "order" && !draft.order.includes(i)) draft.order.push(i);
        repaint();
      },
    },
    h("span.ans-letter", lq.type === "truefalse" ? (i === 0 ? "✓" : "✗") : LETTERS[i]),
    h("span.ans-text", String(text),
      lq.boOptions && lq.boOptions[i] ? h("span.bo.opt-bo", { lang: "bo" }, lq.boOptions[i]) : null),
    lq.type === "order" ? h("span.ans-order") : null))));
  }

  submit.addEventListener("click", async () => {
    if (locked) return;
    if (!ready()) {
      toast(t("play.choose"), "info", 2000);
      return;
    }
    locked = true;
    repaint();
    const accepted = await onSubmit(response());
    if (!accepted) locked = false;
    repaint();
  });
  panel.append(submit);
  repaint();

  return {
    el: panel,
    lock() {
      locked = true;
      repaint();
      submit.hidden = true;
    },
    /** Colour the options: the key green, a wrong pick red. */
    reveal(keyed, given) {
      locked = true;
      submit.hidden = true;
      repaint();
      const right = new Set(keyed.answer_indices || []);
      if (q.type === "truefalse" && typeof keyed.answer === "boolean") right.add(tfIndex(keyed.answer));
      const mine = new Set(q.type === "truefalse" && typeof given === "boolean" ? [tfIndex(given)]
        : [].concat(given ?? []).filter((x) => typeof x === "number"));
      for (const b of panel.querySelectorAll("[data-index]")) {
        const i = Number(b.dataset.index);
        b.classList.toggle("is-right", right.has(i));
        b.classList.toggle("is-wrong", mine.has(i) && !right.has(i));
      }
      const input = panel.querySelector(".fill-input");
      if (input) input.disabled = true;
    },
  };
}

/** The key, explanation and source under a question (after an answer, in a review). */
export function keyBlock(keyed) {
  const lq = localize(keyed);
  return h("div.key-block",
    h("div.key-line", h("strong", t("play.answer_was")), keyText(keyed)),
    lq.explanation ? h("div.key-expl", h("span.key-label", t("w.explanation")), lq.explanation) : null,
    keyed.source ? h("div.key-source", h("span.key-label", t("w.source")), keyed.source) : null);
}
