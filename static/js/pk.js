// 1-v-1 PK on the self-test page (docs/practice.md, "1-v-1 PK"): wait in the queue on a
// Socket.IO connection of role "practice"; once paired (with a person, or after a few seconds a
// bot, always labelled as one), play the match as a seat of a real contest over a second
// connection (docs/protocol.md): five questions, a countdown each, both scores live, the key
// after each question and the result at the end.

import { t } from "./i18n.js";
import {
  h, keyed, connectArena, PauseTracker, everyTick, toast, errorText, ignoredText, sound,
} from "./common.js";
import { api } from "./practice_api.js";
import { questionCard, keyBlock, withKey } from "./answer.js";
import { answerPad } from "./pads.js";

const QUESTIONS = 5;
// The running match's code, so that a reload (or a phone that dropped the page) takes its seat
// again instead of losing the match.
const MATCH_KEY = "leitai.pk.match";

const storage = {
  get() { try { return sessionStorage.getItem(MATCH_KEY); } catch { return null; } },
  set(code) { try { sessionStorage.setItem(MATCH_KEY, code); } catch { /* private mode: no resume */ } },
  del() { try { sessionStorage.removeItem(MATCH_KEY); } catch { /* ignore */ } },
};

/** Whether a response matches a revealed key (the server's AnswerJudged is preferred). */
function matches(q, response) {
  if (response === undefined || response === null) return false;
  if (q.type === "truefalse") return response === q.answer;
  const key = q.answer_indices || [];
  if (q.type === "single") return key.length === 1 && response === key[0];
  const given = [].concat(response);
  const sorted = q.type === "multiple" ? [...given].sort((a, b) => a - b) : given;
  const want = q.type === "multiple" ? [...key].sort((a, b) => a - b) : key;
  return sorted.length === want.length && sorted.every((v, i) => v === want[i]);
}

/** The match is over and its scores are public (the podium is revealed, nothing is sealed). */
function isOver(view) {
  return view.phase === "finished" && !view.ranking_sealed;
}

export class PkPanel {
  /** user(): the logged-in user; onFinished(): a match just ended (history changed). */
  constructor(container, { user, onFinished }) {
    this.container = container;
    this.user = user;
    this.onFinished = onFinished;
    this.pause = new PauseTracker();
    this.reset();
    everyTick(() => this.tick());
    this.render();
  }

  reset() {
    this.phase = "idle";
    this.queue = null;
    this.botAt = null;
    this.match = null;
    this.conn = null;
    this.view = null;
    this.responses = new Map();
    this.judged = new Map();
    this.review = null;
    this.finishedNoted = false;
  }

  /** Leave the queue or the match (logout). */
  stop() {
    if (this.queue) this.queue.disconnect();
    if (this.conn) this.conn.close();
    storage.del();
    this.reset();
    this.render();
  }

  /** A match this tab was playing before a reload: take a fresh seat on the same side. */
  async resume() {
    const code = storage.get();
    if (!code || this.phase !== "idle") return false;
    const path = `/api/practice/pk/${encodeURIComponent(code)}`;
    const seat = await api(`${path}/seat`, { method: "POST", body: {} });
    if (!seat.ok) {
      storage.del();
      return false;
    }
    const summary = await api(path);
    const opponent = summary.ok ? summary.data.opponent || {} : {};
    this.matched({ ...seat.data, opponent: { name: opponent.name, detachment: "", bot: !!opponent.bot } });
    return true;
  }

  // -------------------------------------------------------------------------------------------
  // The queue

  find() {
    if (typeof window.io !== "function") {
      toast("socket.io client missing");
      return;
    }
    this.reset();
    this.phase = "searching";
    const queue = window.io({ auth: { role: "practice" }, transports: ["websocket", "polling"], forceNew: true });
    this.queue = queue;
    // On every (re)connection: a reconnect lost the server's queue entry, so ask again.
    queue.on("connect", () => this.askForMatch(queue));
    queue.on("connect_error", (err) => {
      const data = err && err.data;
      if (data && data.code === "unauthorized") {
        toast(errorText(data));
        this.stop();
      }
    });
    queue.on("pk_matched", (match) => this.matched(match));
    queue.on("pk_failed", (failure) => {
      toast(t("pk.failed", { message: (failure && failure.message) || "" }));
      this.stop();
    });
    this.render();
  }

  askForMatch(queue) {
    if (this.queue !== queue || this.phase !== "searching") return;
    queue.timeout(8000).emit("pk_find", {}, (err, ack) => {
      if (this.queue !== queue || this.phase !== "searching") return;
      if (err || !ack || !ack.ok) {
        toast(err ? t("conn.timeout") : errorText(ack));
        this.stop();
        return;
      }
      if (ack.matched) {
        this.matched(ack.matched);
        return;
      }
      this.botAt = typeof ack.bot_after_ms === "number" ? Date.now() + ack.bot_after_ms : null;
      this.render();
    });
  }

  cancel() {
    const queue = this.queue;
    if (queue && queue.connected) {
      queue.timeout(4000).emit("pk_cancel", {}, () => queue.disconnect());
    } else if (queue) {
      queue.disconnect();
    }
    this.queue = null;
    this.reset();
    this.render();
  }

  matched(match) {
    if (!match || (this.match && this.match.contest === match.contest)) return;
    this.match = match;
    this.phase = "playing";
    storage.set(match.contest);
    // Matchmaking is over; the match itself runs on the seat's own connection.
    if (this.queue) this.queue.disconnect();
    this.queue = null;
    sound.go();
    this.conn = connectArena({
      auth: { role: "team", seat: match.seat },
      forceNew: true,
      onSnapshot: (msg) => this.accept(msg.view, null, msg.server_ms),
      onUpdate: (msg) => this.accept(msg.view, msg.events, msg.server_ms),
      onRefused: (error) => {
        toast(errorText(error));
        this.stop();
      },
    });
    this.render();
  }

  // -------------------------------------------------------------------------------------------
  // The match

  accept(view, events, serverMs) {
    this.view = view;
    this.pause.observe(view, events, serverMs);
    const me = (view.you || {}).team;
    for (const ev of events || []) {
      if (ev.kind === "AnswerJudged" && ev.team === me) {
        this.judged.set(ev.question_id, { correct: ev.correct, delta: ev.delta });
        if (ev.correct) sound.correct(); else sound.wrong();
      }
    }
    // A finished match's scores are sealed until the referee reveals the podium (at once): the
    // result waits for that update, so the connection stays open until then.
    if (isOver(view) && !this.finishedNoted) {
      this.finishedNoted = true;
      this.phase = "finished";
      storage.del();
      if (this.conn) this.conn.close();
      this.onFinished();
      this.loadReview();
    }
    this.render();
  }

  async loadReview(tries = 5) {
    const contest = this.match && this.match.contest;
    if (!contest) return;
    const result = await api(`/api/practice/pk/${encodeURIComponent(contest)}`);
    if (!this.match || this.match.contest !== contest) return;
    if (result.ok && result.data.finished) {
      this.review = result.data;
      this.render();
    } else if (tries > 1) {
      // The server records the match just after its last update: ask again shortly.
      setTimeout(() => this.loadReview(tries - 1), 800);
    }
  }

  scores() {
    const view = this.view;
    const me = (view && view.you) || {};
    const standings = (view && view.standings) || [];
    const mine = standings.find((s) => s.team === me.team);
    const theirs = standings.find((s) => s.team !== me.team);
    return { mine: mine ? mine.score : 0, theirs: theirs ? theirs.score : 0 };
  }

  async send(q, response) {
    const ack = await this.conn.send("answer", { response });
    if (!ack.ok) {
      toast(errorText(ack));
      return false;
    }
    if (ack.ignored) {
      toast(ignoredText(ack.ignored), "info", 3000);
      return false;
    }
    this.responses.set(q.id, response);
    this.render();
    return true;
  }

  // -------------------------------------------------------------------------------------------
  // Drawing

  render() {
    const user = this.user() || {};
    this.container.dataset.phase = this.phase;
    if (this.phase === "idle") {
      keyed(this.container, `idle:${document.documentElement.lang}`, () => this.idleView());
    } else if (this.phase === "searching") {
      keyed(this.container, `searching:${document.documentElement.lang}:${this.botAt !== null}`, () => this.searchingView());
    } else {
      keyed(this.container, `match:${this.match.contest}:${document.documentElement.lang}`, () => this.matchView(user));
      this.renderMatch();
    }
    this.tick();
  }

  idleView() {
    return h("section.pk-idle",
      h("h2", t("pk.title")),
      h("p.muted", t("pk.intro")),
      h("ul.pk-rules", h("li", t("pk.rule.questions", { n: QUESTIONS })), h("li", t("pk.rule.speed")), h("li", t("pk.rule.bot"))),
      h("button.btn.btn-primary.btn-lg.btn-block.pk-find", {
        type: "button", "data-testid": "pk-find", onclick: () => this.find(),
      }, t("pk.find")));
  }

  searchingView() {
    return h("section.pk-searching", { "data-testid": "pk-searching" },
      h("div.pk-spinner", { "aria-hidden": "true" }),
      h("div.pk-searching-text", t("pk.searching")),
      h("div.pk-bot-hint.muted"),
      h("button.btn.btn-lg.btn-block", {
        type: "button", "data-testid": "pk-cancel", onclick: () => this.cancel(),
      }, t("w.cancel")));
  }

  matchView(user) {
    const opponent = this.match.opponent || {};
    const bot = !!opponent.bot;
    return [
      h("section.pk-board",
        h("div.pk-side.pk-me",
          h("span.pk-name", user.name || t("pk.you")),
          h("span.pk-org.muted", user.detachment || ""),
          h("span.pk-score", { "data-testid": "pk-my-score" }, "0")),
        h("div.pk-mid", h("span.pk-vs", "VS"), h("span.pk-timer", { "data-testid": "pk-timer" })),
        h("div.pk-side.pk-them", {
          "data-testid": "pk-opponent", "data-bot": bot ? "true" : "false",
        },
        h("span.pk-name", opponent.name || "?"),
        bot ? h("span.badge.badge-bot", t("pk.bot")) : h("span.pk-org.muted", opponent.detachment || ""),
        h("span.pk-score", { "data-testid": "pk-their-score" }, "0"))),
      h("div.pk-status", { "data-testid": "pk-status" }),
      h("div.pk-stage", { "data-testid": "pk-stage" }),
    ];
  }

  /** Scores and status every time; the question area only when what it shows changes. */
  renderMatch() {
    const view = this.view;
    const { mine, theirs } = this.scores();
    const myScore = this.container.querySelector('[data-testid="pk-my-score"]');
    const theirScore = this.container.querySelector('[data-testid="pk-their-score"]');
    myScore.textContent = String(mine);
    theirScore.textContent = String(theirs);
    const status = this.container.querySelector(".pk-status");
    const stage = this.container.querySelector(".pk-stage");
    if (!view) {
      status.textContent = t("conn.connecting");
      return;
    }
    const me = (view.you || {}).team;
    const play = view.question;
    const q = play && play.question;
    // The round's queue no longer holds the open question, so this is its number even after a
    // reconnection in the middle of the match.
    const left = view.round ? view.round.questions_left || 0 : 0;
    const n = Math.max(1, QUESTIONS - left);
    if (isOver(view)) {
      status.textContent = t("pk.over");
    } else if (!play) {
      status.textContent = view.phase === "round" ? t("pk.next") : t("pk.starting");
    } else {
      const theyAnswered = (play.submitted || []).some((team) => team !== me);
      status.textContent = [t("pk.question", { n, m: Math.max(QUESTIONS, n) }),
        play.step !== "closed" && theyAnswered ? t("pk.they_answered") : ""].filter(Boolean).join(" · ");
    }
    const lang = document.documentElement.lang;
    const answered = q ? this.responses.has(q.id) || (play.submitted || []).includes(me) : false;
    const mode = isOver(view) ? "finished" : view.phase === "finished" || !play ? "wait"
      : play.step === "closed" ? "closed" : answered ? "sent" : (view.you || {}).can_answer ? "answer" : "reading";
    const key = JSON.stringify([lang, mode, q && q.id, q && q.revealed, q && this.judged.get(q.id), !!this.review]);
    keyed(stage, key, () => this.stageView(mode, play, n, mine, theirs));
  }

  stageView(mode, play, n, mine, theirs) {
    if (mode === "finished") return this.resultView(mine, theirs);
    if (mode === "wait") return h("div.pk-wait", h("div.pk-spinner", { "aria-hidden": "true" }), t("pk.get_ready"));
    const q = play.question;
    const card = questionCard(q, { position: n - 1, total: Math.max(QUESTIONS, n) });
    if (mode === "answer") return [card, answerPad(q, (response) => this.send(q, response)).el];
    if (mode === "reading") return [card, h("div.pk-note", t("pk.get_ready"))];
    const panel = answerPad(q, async () => false);
    // After a reload this page did not send the answer; the view still carries it.
    const held = (play.submissions || []).find((sub) => sub.team === (this.view.you || {}).team);
    const given = this.responses.has(q.id) ? this.responses.get(q.id) : held && held.response;
    if (mode === "sent") {
      panel.lock();
      return [card, panel.el, h("div.pk-note", { "data-testid": "pk-sent" }, t("pk.sent"))];
    }
    if (!q.revealed) {
      panel.lock();
      return [card, panel.el];
    }
    const keyedQ = withKey(q, q);
    panel.reveal(keyedQ, given);
    const judged = this.judged.get(q.id);
    const right = judged ? judged.correct : matches(keyedQ, given);
    const verdict = given === undefined && !judged ? t("pk.no_answer")
      : right ? t("practice.right") : t("practice.wrong");
    return [card, panel.el, h("section.feedback", {
      class: right ? "is-right" : "is-wrong", "data-testid": "pk-reveal", "data-correct": right ? "true" : "false",
    },
    h("div.feedback-verdict", h("span.feedback-mark", right ? "✓" : "✗"), verdict,
      judged && judged.delta ? h("span.pk-delta", `+${judged.delta}`) : null),
    keyBlock(keyedQ))];
  }

  resultView(mine, theirs) {
    const outcome = mine > theirs ? "win" : mine < theirs ? "lose" : "draw";
    const review = this.review && this.review.review;
    return [
      h("section.pk-result", { "data-testid": "pk-result", "data-outcome": outcome, class: `is-${outcome}` },
        h("div.pk-result-word", t(`pk.${outcome}`)),
        h("div.pk-result-score", `${mine} : ${theirs}`)),
      h("button.btn.btn-primary.btn-lg.btn-block", {
        type: "button", "data-testid": "pk-again", onclick: () => this.find(),
      }, t("pk.again")),
      review && review.length ? h("h3.review-title", t("practice.review")) : null,
      review && review.length ? h("ol.review-list", review.map((entry, i) => this.reviewItem(entry, i))) : null,
    ];
  }

  reviewItem(entry, index) {
    const q = entry.question;
    const line = (who, result) => h("span.pk-review-side", { class: result && result.correct ? "pos" : "neg" },
      `${who} ${result && result.correct ? "✓" : "✗"} ${result && result.points ? `+${result.points}` : ""}`);
    return h("li.review-item", {
      class: entry.you && entry.you.correct ? "is-right" : "is-wrong", "data-testid": "review-item",
    },
    questionCard(q, { position: index, total: Math.max(QUESTIONS, index + 1), testid: "review-question" }),
    h("div.review-yours.pk-review-line", line(t("pk.you"), entry.you), line(t("pk.opponent"), entry.opponent)),
    keyBlock(withKey(q, q)));
  }

  tick() {
    if (this.phase === "searching") {
      const hint = this.container.querySelector(".pk-bot-hint");
      if (hint) {
        const left = this.botAt === null ? null : Math.max(0, Math.ceil((this.botAt - Date.now()) / 1000));
        const text = left === null ? "" : left > 0 ? t("pk.bot_in", { n: left }) : t("pk.bot_soon");
        if (hint.textContent !== text) hint.textContent = text;
      }
      return;
    }
    const timer = this.container.querySelector(".pk-timer");
    if (!timer || !this.view || !this.conn) return;
    const play = this.view.question;
    const deadline = play && play.step !== "closed" && this.view.phase !== "finished" ? play.deadline : null;
    const left = this.pause.remaining(deadline, this.conn.clock);
    const text = left === null ? "" : `${Math.ceil(left / 1000)}″`;
    if (timer.textContent !== text) timer.textContent = text;
    timer.classList.toggle("is-low", left !== null && left <= 5000);
  }
}
