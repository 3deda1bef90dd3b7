// One question on the self-test page: its card (text, Tibetan under it, type and difficulty), the
// key block after an answer and a response in words. Used by practice, exam, review, the daily
// challenge and PK; the answer input itself is the shared pad of pads.js.

import { t, label } from "./i18n.js";
import { h, localize, questionTextNodes } from "./common.js";
import { responseWords } from "./pads.js";

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

/** A response as the player gave it, in words (for reviews); its pad says how it reads. */
export function responseText(q, response) {
  if (response === null || response === undefined) return t("practice.no_answer");
  return responseWords(q, response);
}

/** The key, explanation and source under a question (after an answer, in a review). */
export function keyBlock(keyed) {
  const lq = localize(keyed);
  return h("div.key-block",
    h("div.key-line", h("strong", t("play.answer_was")), keyText(keyed)),
    lq.explanation ? h("div.key-expl", h("span.key-label", t("w.explanation")), lq.explanation) : null,
    keyed.source ? h("div.key-source", h("span.key-label", t("w.source")), keyed.source) : null);
}
