// A sitting in progress (docs/practice.md, "Sittings"): one question at a time, the server's
// verdict after each answer (practice, review) or none until the end (the daily challenge, and
// the exam with the server's deadline counted down here), then the score and a full review.

import { t } from "./i18n.js";
import { h, fill, ServerClock, everyTick, toast, sound } from "./common.js";
import { api, errorCode, problemText } from "./practice_api.js";
import { questionCard, keyBlock, withKey, responseText } from "./answer.js";
import { answerPad } from "./pads.js";
import { reportButton } from "./report_sheet.js";

/** The finished sitting's score as shown: exam 0–100, daily 10 a question, else right/asked. */
function scoreText(sitting) {
  if (sitting.mode === "exam" || sitting.mode === "daily") return t("w.pts", { n: sitting.score });
  return t("practice.correct_of", { n: sitting.correct, m: sitting.count });
}

export class SittingRunner {
  /** onClose(sitting): the player leaves a finished sitting; onFinished(sitting): it just ended. */
  constructor({ onClose, onFinished }) {
    this.onClose = onClose;
    this.onFinished = onFinished;
    this.sitting = null;
    this.feedback = null;
    this.busy = false;
    this.expiring = false;
    this.clock = new ServerClock();
    this.timer = h("span.runner-timer", { "data-testid": "exam-timer", hidden: true });
    this.title = h("span.runner-title");
    this.progress = h("span.runner-progress");
    this.endButton = h("button.btn.btn-sm.runner-end", {
      type: "button", "data-testid": "finish-sitting", onclick: () => this.finishEarly(),
    });
    this.body = h("div.runner-body");
    this.el = h("section.runner", { "data-testid": "sitting" },
      h("header.runner-head", this.title, this.progress, this.timer, this.endButton),
      this.body);
    everyTick(() => this.tick());
  }

  get active() {
    return this.sitting !== null;
  }

  /** Show a sitting as the server returned it. */
  open(sitting) {
    this.feedback = null;
    this.expiring = false;
    this.accept(sitting);
  }

  /** Forget the sitting (the player logged out); the server keeps it. */
  reset() {
    this.sitting = null;
    this.feedback = null;
  }

  close() {
    const sitting = this.sitting;
    this.sitting = null;
    this.feedback = null;
    this.onClose(sitting);
  }

  accept(sitting) {
    const wasFinished = this.sitting && this.sitting.id === sitting.id && this.sitting.finished;
    this.sitting = sitting;
    this.clock.sample(sitting.server_ms);
    this.el.dataset.mode = sitting.mode;
    this.el.dataset.sitting = String(sitting.id);
    if (sitting.finished && !wasFinished) this.onFinished(sitting);
    this.render();
  }

  async reload() {
    const answer = await api(`/api/practice/sittings/${this.sitting.id}`);
    if (answer.ok) this.accept(answer.data);
    else toast(problemText(answer));
  }

  render() {
    const s = this.sitting;
    if (!s) return;
    this.el.dataset.finished = s.finished ? "true" : "false";
    this.title.textContent = t(`practice.mode.${s.mode}`);
    this.progress.textContent = s.finished ? "" : t("practice.answered_of", { n: s.answered, m: s.count });
    this.endButton.textContent = s.mode === "exam" ? t("exam.hand_in") : t("practice.end");
    this.endButton.hidden = s.finished;
    this.timer.hidden = s.finished || s.deadline_ms === null || s.deadline_ms === undefined;
    if (this.feedback) fill(this.body, this.feedbackView());
    else if (s.finished) fill(this.body, this.summaryView());
    else if (s.question) fill(this.body, this.questionView());
    else {
      // Every question answered but the sitting still open: the player closes it.
      fill(this.body, h("div.runner-actions", h("button.btn.btn-primary.btn-lg.btn-block", {
        type: "button", "data-testid": "see-result", onclick: () => this.finish(),
      }, t("practice.see_result"))));
    }
    this.tick();
  }

  dots() {
    const s = this.sitting;
    const byPos = new Map((s.results || []).map((r) => [r.position, r.correct]));
    return h("ol.progress-dots", { "aria-hidden": "true" }, Array.from({ length: s.count }, (_, i) => {
      const seen = byPos.has(i);
      const right = byPos.get(i);
      const cls = !seen ? "" : right === true ? "is-right" : right === false ? "is-wrong" : "is-done";
      return h("li", { class: `${cls}${s.question && s.question.position === i ? " is-now" : ""}` });
    }));
  }

  questionView() {
    const s = this.sitting;
    const q = s.question;
    const panel = answerPad(q, (response) => this.answer(q, response));
    return [this.dots(), questionCard(q, { position: q.position, total: s.count }), panel.el];
  }

  async answer(q, response) {
    if (this.busy) return false;
    this.busy = true;
    const result = await api(`/api/practice/sittings/${this.sitting.id}/answers`, {
      method: "POST", body: { position: q.position, response },
    });
    this.busy = false;
    if (result.ok) {
      if (result.data.accepted) {
        this.accept(result.data.sitting);
      } else {
        if (result.data.correct) sound.correct(); else sound.wrong();
        this.feedback = { question: q, response, key: result.data };
        this.accept(result.data.sitting);
      }
      return true;
    }
    const code = errorCode(result);
    toast(problemText(result), code === "time_up" ? "info" : "error");
    if (result.data && result.data.sitting) this.accept(result.data.sitting);
    else if (["not_served", "already_answered", "finished", "time_up"].includes(code)) await this.reload();
    return false;
  }

  feedbackView() {
    const { question, response, key } = this.feedback;
    const keyed = withKey(question, key);
    const panel = answerPad(question, async () => false);
    panel.reveal(keyed, response);
    const s = this.sitting;
    const last = !s.question;
    return [
      this.dots(),
      questionCard(question, { position: question.position, total: s.count }),
      panel.el,
      h("section.feedback", {
        class: key.correct ? "is-right" : "is-wrong",
        "data-testid": "feedback",
        "data-correct": key.correct ? "true" : "false",
        role: "status",
      },
      h("div.feedback-verdict", h("span.feedback-mark", key.correct ? "✓" : "✗"),
        key.correct ? t("practice.right") : t("practice.wrong")),
      question.type === "fill" && !key.correct
        ? h("div.feedback-yours", t("practice.your_answer"), responseText(question, response)) : null,
      keyBlock(keyed),
      reportButton((body) => this.report(question.position, body))),
      h("div.runner-actions",
        h("button.btn.btn-primary.btn-lg.btn-block", {
          type: "button", "data-testid": "next-question",
          onclick: () => { this.feedback = null; this.render(); window.scrollTo(0, 0); },
        }, last ? t("practice.see_result") : t("practice.next"))),
    ];
  }

  summaryView() {
    const s = this.sitting;
    const percent = s.count ? Math.round((100 * s.correct) / s.count) : 0;
    const again = ["practice", "exam"].includes(s.mode);
    return [
      h("section.summary", { "data-testid": "summary" },
        h("div.summary-title", t(`practice.done.${s.mode}`)),
        h("div.summary-score", { "data-testid": "summary-score" }, scoreText(s)),
        h("div.summary-line", t("practice.accuracy", { p: percent }), " · ",
          t("practice.correct_of", { n: s.correct, m: s.count })),
        this.dots()),
      h("div.runner-actions",
        again ? h("button.btn.btn-lg", { type: "button", "data-testid": "sitting-again", onclick: () => this.again() },
          t("practice.again")) : null,
        h("button.btn.btn-primary.btn-lg", { type: "button", "data-testid": "sitting-done", onclick: () => this.close() },
          t("practice.finish_view"))),
      s.review && s.review.length ? h("h3.review-title", t("practice.review")) : null,
      h("ol.review-list", (s.review || []).map((entry) => this.reviewItem(entry))),
    ];
  }

  reviewItem(entry) {
    const q = entry.question;
    const keyed = withKey(q, q);
    return h("li.review-item", {
      class: entry.correct ? "is-right" : "is-wrong",
      "data-testid": "review-item",
      dataset: { questionId: q.id, correct: entry.correct ? "true" : "false" },
    },
    questionCard(q, { position: entry.position, total: this.sitting.count, testid: "review-question" }),
    h("div.review-yours", { class: entry.correct ? "pos" : "neg" },
      h("span", entry.correct ? "✓ " : "✗ "), t("practice.your_answer"), responseText(q, entry.response)),
    keyBlock(keyed),
    reportButton((body) => this.report(entry.position, body)));
  }

  /** A 纠错 of an answered question whose key was shown (docs/practice.md). */
  async report(position, { reason, note }) {
    const answer = await api(`/api/practice/sittings/${this.sitting.id}/reports`, {
      method: "POST", body: { position, reason, note },
    });
    return answer.ok ? answer.data : { ok: false, text: problemText(answer) };
  }

  async again() {
    const s = this.sitting;
    const body = { mode: s.mode, ...(s.config || {}), count: s.count };
    if (s.mode === "exam" && s.deadline_ms && s.started_ms) {
      body.minutes = Math.max(1, Math.round((s.deadline_ms - s.started_ms) / 60000));
    }
    const answer = await api("/api/practice/sittings", { method: "POST", body });
    if (answer.ok) this.open(answer.data);
    else toast(problemText(answer));
  }

  async finishEarly() {
    const s = this.sitting;
    const ask = s.mode === "exam" ? t("exam.confirm_hand_in", { n: s.count - s.answered }) : t("practice.confirm_end");
    if (!confirm(ask)) return;
    await this.finish();
  }

  async finish() {
    if (this.busy) return;
    this.busy = true;
    const answer = await api(`/api/practice/sittings/${this.sitting.id}/finish`, { method: "POST", body: {} });
    this.busy = false;
    this.feedback = null;
    if (answer.ok) this.accept(answer.data);
    else toast(problemText(answer));
  }

  /** The exam's countdown; at zero the server is asked again, and it finishes the exam. */
  tick() {
    const s = this.sitting;
    if (!s || s.finished || !s.deadline_ms || !this.el.isConnected) return;
    const left = Math.max(0, s.deadline_ms - this.clock.now());
    const seconds = Math.ceil(left / 1000);
    const text = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
    if (this.timer.textContent !== text) this.timer.textContent = text;
    this.timer.classList.toggle("is-low", left <= 60000);
    if (left === 0 && !this.expiring) {
      this.expiring = true;
      toast(t("exam.time_up"), "info");
      this.reload().then(() => {
        // A server a little behind this clock may not have closed the exam yet: ask again soon.
        setTimeout(() => { this.expiring = false; }, 2000);
      });
    }
  }
}
