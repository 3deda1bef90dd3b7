// The team page: one member's phone. A big buzzer at thumb reach (sent on pointerdown with the
// device's shown/pressed times), the question, answer input where the round asks for it, the
// team's score and rank, and clear states: waiting, armed, locked out, foul, your turn,
// answered, barred.

import { t, label, onLangChange } from "./i18n.js";
import {
  h, keyed, connectArena, ServerClock, PauseTracker, everyTick, toast, errorText, ignoredText, localize,
  questionTextNodes, teamName, signed, roundLabel, sound, secondsText, LETTERS, unlockAudioOnGesture,
} from "./common.js";
import { renderStandings, renderPodium, tiedRanks } from "./standings.js";
import { answerPad } from "./pads.js";
import { showReopened } from "./watchlib.js";
import { reportButton } from "./report_sheet.js";

const storage = {
  get(key) { try { return localStorage.getItem(key); } catch { return null; } },
  del(key) { try { localStorage.removeItem(key); } catch { /* ignore */ } },
};

const els = {
  team: document.getElementById("play-team"),
  player: document.getElementById("play-player"),
  score: document.getElementById("play-score"),
  scoreNum: document.getElementById("play-score-num"),
  rank: document.getElementById("play-rank"),
  status: document.getElementById("play-status"),
  q: document.getElementById("play-q"),
  action: document.getElementById("play-action"),
  paused: document.getElementById("play-paused"),
};

const clock = new ServerClock();
const pause = new PauseTracker();
let conn = null;
let view = null;
let me = { team: storage.get("leitai.team"), name: storage.get("leitai.name") };

const local = {
  raceKey: null,
  armedLocal: null,
  shownMs: null,
  visibleArmed: false,
  flipTimer: null,
  buzzedKey: null,
  foulUntil: 0,
  foulPenalty: 0,
  earlyUntil: 0,
  drafts: new Map(),
  submitted: new Set(),
  judged: new Map(),
  verdicts: new Map(),
  pressed: null,
  onPhone: new Set(),
  busy: false,
};

// ---------------------------------------------------------------------------------------------
// Start

const seat = storage.get("leitai.seat");
els.team.textContent = storage.get("leitai.team_name") || "";
els.player.textContent = me.name || "";
unlockAudioOnGesture();

if (!seat) {
  showNoSeat(t("play.noseat"));
} else {
  conn = connectArena({
    auth: { role: "team", seat },
    clock,
    onSnapshot(msg) {
      if (msg.me) me = { ...me, ...msg.me };
      accept(msg.view, null, msg.server_ms);
    },
    onUpdate(msg) {
      accept(msg.view, msg.events, msg.server_ms);
    },
    onNotice(notice) {
      // The host removed this seat (its token is dead) or moved it (it reconnects by itself).
      if (notice && notice.code === "seat_removed") {
        conn.close();
        storage.del("leitai.seat");
        showNoSeat(t("play.seat_removed"), storage.get("leitai.contest"));
      } else if (notice && notice.code === "seat_moved") {
        storage.del("leitai.team_name");
        els.team.textContent = "";
        toast(t("play.seat_moved"), "info", 10000);
      } else if (notice) toast(notice.message || notice.code, "info");
    },
    onRefused(error) {
      if (error.code === "unauthorized" || error.code === "unknown_contest") {
        const code = storage.get("leitai.contest");
        storage.del("leitai.seat");
        showNoSeat(t("play.unauthorized"), code);
      } else {
        toast(errorText(error));
      }
    },
  });
}

function showNoSeat(text, code) {
  els.status.replaceChildren();
  els.action.replaceChildren();
  els.action.className = "play-action";
  els.q.replaceChildren(h("div.card.noseat",
    h("p.noseat-text", text),
    h("a.btn.btn-primary.btn-lg.btn-block", { href: code ? `/join/${encodeURIComponent(code)}` : "/join" },
      code ? t("play.rejoin") : t("play.join"))));
}

// ---------------------------------------------------------------------------------------------
// Receiving views

function accept(next, events, serverMs) {
  const receivedAt = Date.now();
  view = next;
  pause.observe(view, events, serverMs);
  trackRace(receivedAt);
  if (events) react(events);
  render();
}

/** A new arming: when does it become visible here (shown_ms), and flip the button then. */
function trackRace(receivedAt) {
  const play = view.question;
  const race = play && play.race;
  if (!play || play.style !== "race" || !race || race.winner) {
    if (!race) {
      local.raceKey = null;
      clearTimeout(local.flipTimer);
    }
    return;
  }
  const key = `${play.question.id}:${race.armed_at}`;
  if (key === local.raceKey) return;
  local.raceKey = key;
  local.armedLocal = Math.round(clock.toLocal(race.armed_at));
  local.shownMs = Math.max(receivedAt, local.armedLocal);
  clearTimeout(local.flipTimer);
  const wait = local.armedLocal - Date.now();
  local.visibleArmed = wait <= 0;
  if (!local.visibleArmed) {
    local.flipTimer = setTimeout(() => {
      local.visibleArmed = true;
      paintBuzzer();
    }, wait);
  }
}

function react(events) {
  for (const ev of events) {
    if (ev.kind === "AnswerJudged") local.verdicts.set(ev.question_id, ev);
    if (ev.team !== me.team) continue;
    if (ev.kind === "FoulCommitted") {
      local.foulUntil = Date.now() + 3500;
      local.foulPenalty = ev.penalty;
      vibrate([200, 80, 200]);
      sound.foul();
      setTimeout(render, 3600);
    } else if (ev.kind === "AnswerJudged") {
      local.judged.set(ev.question_id, { correct: ev.correct, delta: ev.delta, by: ev.by });
      vibrate(ev.correct ? [60, 40, 60] : 300);
      if (ev.correct) sound.correct(); else sound.wrong();
      bigMark(ev.correct, ev.delta);
    } else if (ev.kind === "JudgementUndone") {
      local.judged.delete(ev.question_id);
    }
  }
}

function vibrate(pattern) {
  try { if (navigator.vibrate) navigator.vibrate(pattern); } catch { /* ignore */ }
}

function bigMark(correct, delta) {
  for (const old of document.querySelectorAll(".big-mark")) old.remove();
  const quick = !!(view && view.round && view.round.rapid);
  const mark = h(`div.big-mark.${correct ? "is-right" : "is-wrong"}${quick ? ".is-quick" : ""}`,
    h("span.big-mark-sign", correct ? "✓" : "✗"),
    delta ? h("span.big-mark-delta", signed(delta)) : null);
  document.body.append(mark);
  mark.animate([{ opacity: 0, transform: "scale(.6)" }, { opacity: 1, transform: "scale(1)", offset: 0.15 },
    { opacity: 1, offset: 0.8 }, { opacity: 0 }], { duration: quick ? 700 : 1500, easing: "ease-out" }).onfinish = () => mark.remove();
}

// ---------------------------------------------------------------------------------------------
// What the page shows

function myLane() {
  const rapid = view.round && view.round.rapid;
  return rapid ? (rapid.lanes || []).find((lane) => lane.team === me.team) || null : null;
}

/**
 * Spoken answers are judged by the host. The round view may say so (answer_input); if it does
 * not, buzzer and tie-break rounds in one hall (arrival fairness) are taken as spoken, and the
 * player can still switch to answering on the phone.
 */
function spokenRound() {
  const round = view.round;
  if (!round) return false;
  if (round.answer_input) return round.answer_input === "spoken";
  const play = view.question;
  if (play && local.onPhone.has(play.question.id)) return false;
  return ["buzzer", "tiebreak"].includes(round.kind) && round.fairness !== "compensated";
}

/** The "answer on this phone" switch, offered only when the round's input is a guess. */
function onPhoneSwitch() {
  const round = view.round;
  if (!round || round.answer_input || !view.question) return null;
  const id = view.question.question.id;
  return h("button.btn.btn-sm.on-phone", {
    type: "button",
    onclick: () => { local.onPhone.add(id); render(); },
  }, t("play.on_phone"));
}

/** The page's mode: which question, which action panel. */
function mode() {
  const phase = view.phase;
  const round = view.round;
  const play = view.question;
  const you = view.you || {};
  const team = me.team;
  if (phase === "lobby" || phase === "blank") return { name: "lobby" };
  if (phase === "finished") return { name: "finished" };
  if (phase === "between_rounds" || !round) return { name: "between" };
  if (round.rapid && (round.rapid.lanes || []).length) {
    const lane = myLane();
    if (lane && !lane.closed && lane.question) return { name: "rapid", lane, q: lane.question };
    if (lane && lane.closed) return { name: "rapid-done", lane };
    const running = (round.rapid.lanes || []).find((l) => !l.closed);
    return { name: "rapid-other", lane: running };
  }
  if (round.kind === "rapid") return { name: "rapid-wait" };
  if (round.kind === "risk" && round.turn && (!play || play.step === "closed")) {
    if (round.turn === team) return { name: "risk-choose" };
    if (!play || !(play.answering || []).includes(team)) return { name: "risk-wait" };
  }
  if (!play) return { name: "idle" };
  const q = play.question;
  if (play.step === "closed") return { name: "closed", q };
  if (play.style === "race") {
    if (you.your_turn && play.step === "answering" && you.can_answer && !spokenRound()) return { name: "answer", q };
    return { name: "race", q };
  }
  const mine = (play.answering || []).includes(team);
  if (!mine) return { name: "other", q };
  if (play.style === "parallel" && (play.submitted || []).includes(team)) return { name: "submitted", q };
  if ((play.tried || []).includes(team)) return { name: "answered", q };
  if (play.step === "reading") return { name: "prompt", q };
  if (play.step === "judging") return { name: "judging", q };
  if (play.step === "answering") return spokenRound() ? { name: "speak", q } : { name: "answer", q };
  return { name: "other", q };
}

function render() {
  if (!view) return;
  const you = view.you || {};
  me.team = me.team || you.team;
  els.team.textContent = teamName(view, me.team);
  els.player.textContent = me.name || "";
  els.score.hidden = typeof you.score !== "number";
  els.scoreNum.textContent = typeof you.score === "number" ? String(you.score) : "";
  els.rank.textContent = rankText();
  document.title = `${teamName(view, me.team)} · ${t("play.title")}`;
  // Paused: a full-width bar, and every control of the action panel is disabled (renderAction).
  if (els.paused) els.paused.hidden = !view.paused;
  showReopened(els.status, view);
  document.body.classList.toggle("is-paused", !!view.paused);

  const m = mode();
  renderStatus(m);
  renderQuestion(m);
  renderAction(m);
  tick();
}

/** "第 2 名", or "并列第 1 名" when teams share the score and nothing but seat order split them. */
function rankText() {
  const you = view.you || {};
  if (!you.rank) return "";
  const mine = tiedRanks(view.standings || []).get(me.team);
  return mine && mine.tied ? t("play.rank.tied", { n: mine.rank }) : t("play.rankn", { n: mine ? mine.rank : you.rank });
}

/** The phone's words for a judgement: a timeout is "time's up", never "wrong". */
function verdictText(judged) {
  const delta = judged.delta ? signed(judged.delta) : "";
  if (judged.correct) return t("play.correct", { delta });
  return t(judged.by === "timeout" ? "play.timeout" : "play.wrong", { delta });
}

function renderStatus(m) {
  const round = view.round;
  const play = view.question;
  keyed(els.status, JSON.stringify([document.documentElement.lang, view.phase, round && round.name,
    play && play.step, play && play.value, view.paused, view.standings_frozen, m.name]), () => [
    h("span.ps-round", round ? roundLabel(round) : label("phase", view.phase)),
    play && play.step !== "closed" ? h("span.ps-value", t("w.pts", { n: play.value })) : null,
    view.paused ? h("span.ps-paused", "‖ " + t("w.paused")) : null,
    view.standings_frozen ? h("span.ps-frozen", "❄") : null,
    h("span.ps-timer#play-timer"),
  ]);
}

function renderQuestion(m) {
  const q = m.q || null;
  const lang = document.documentElement.lang;
  const judged = q ? local.judged.get(q.id) : null;
  const key = JSON.stringify([lang, m.name, q && q.id, q && q.revealed, judged,
    m.name === "finished" || m.name === "between" || m.name === "lobby" || m.name === "idle" ? view.podium : null,
    m.lane && m.lane.correct, view.round && view.round.turn]);
  const changed = keyed(els.q, key, () => buildQuestion(m, q, judged));
  if (["finished", "between", "lobby", "idle", "risk-wait", "risk-choose"].includes(m.name)) {
    const box = els.q.querySelector(".play-standings");
    if (box) renderStandings(box, view.standings, { me: me.team, compact: true, limit: 12 });
  }
  if (changed) els.q.scrollTop = 0;
}

function buildQuestion(m, q, judged) {
  const you = view.you || {};
  const standingsBox = () => h("div.play-standings");
  switch (m.name) {
    case "lobby":
      return [h("div.play-card.welcome",
        h("div.welcome-title", (me.title || "")),
        h("div.welcome-team", teamName(view, me.team)),
        h("div.welcome-name", me.name || ""),
        h("div.welcome-msg", t("play.lobby"))), standingsBox()];
    case "finished":
    {
      let podium = null;
      if (view.podium) {
        podium = h("div.play-podium");
        renderPodium(podium, view);
      }
      return [h("div.play-card.final",
        h("div.final-title", t("play.finished")),
        view.ranking_sealed ? h("div.final-sealed", t("w.sealed")) : null,
        you.rank ? h("div.final-rank", rankText()) : null),
      podium, standingsBox()];
    }
    case "between":
      return [h("div.play-card", h("div.card-big", t("play.between"))), standingsBox()];
    case "idle":
      return [h("div.play-card", h("div.card-big", t("play.waiting"))), standingsBox()];
    case "risk-choose":
      return [h("div.play-card.is-turn", h("div.card-big", t("play.choose_tier"))), standingsBox()];
    case "risk-wait":
      return [h("div.play-card", h("div.card-big", t("play.risk_wait", { team: teamName(view, view.round.turn) }))), standingsBox()];
    case "rapid-wait":
      return [h("div.play-card", h("div.card-big", t("play.rapid.wait")))];
    case "rapid-done":
      return [h("div.play-card", h("div.card-big", t("play.rapid.done", { n: m.lane.correct })))];
    case "rapid-other":
      return [h("div.play-card", h("div.card-big",
        m.lane ? t("play.rapid.other", { team: teamName(view, m.lane.team) }) : t("play.rapid.wait")))];
    default:
      break;
  }
  if (!q) return [];
  const lq = localize(q);
  const showOptions = !["answer", "rapid"].includes(m.name);
  const nodes = [h("div.pq-meta", label("type", lq.type),
    m.name === "rapid" ? h("span.pq-rapid", t("screen.correct_n", { n: m.lane.correct })) : null)];
  nodes.push(h("div.pq", questionTextNodes(lq, "pq-text")));
  if (showOptions && lq.type !== "fill") {
    const right = new Set(lq.revealed ? lq.answerIndices : []);
    nodes.push(h("ol.pq-options", lq.options.map((text, i) => h("li", {
      class: right.has(i) || (lq.type === "truefalse" && lq.revealed && lq.answerText === text) ? "is-right" : "",
    }, h("span.pq-letter", lq.type === "truefalse" ? (i ? "✗" : "✓") : LETTERS[i]),
    h("span", text, lq.boOptions && lq.boOptions[i] ? h("span.bo.opt-bo", { lang: "bo" }, lq.boOptions[i]) : null)))));
  }
  if (m.name === "closed") {
    if (judged) {
      nodes.push(h(`div.pq-result.${judged.correct ? "is-right" : judged.by === "timeout" ? "is-timeout" : "is-wrong"}`,
        verdictText(judged)));
    } else if (view.question && view.question.outcome) {
      // Another team's result: say whose it was, so this phone never reads it as its own.
      const who = (view.question.answering || [])[0];
      const last = local.verdicts.get(q.id);
      const outcome = last && last.by === "timeout" && !last.correct ? "timeout" : view.question.outcome;
      nodes.push(h("div.pq-result", who ? `${teamName(view, who)} · ` : "", label("outcome", outcome)));
    }
    if (lq.revealed && lq.answerText) {
      nodes.push(h("div.pq-answer", h("strong", t("play.answer_was")), lq.answerText));
      if (lq.explanation) nodes.push(h("div.pq-expl", lq.explanation));
    }
    if (q.revealed) nodes.push(reportButton((body) => sendReport(q.id, body)));
  }
  return nodes;
}

/** A 纠错 of a revealed question: only the organisers' review queue hears of it. */
async function sendReport(question, { reason, note }) {
  const ack = await conn.send("report_question", { question, reason, note });
  return ack.ok ? ack : { ok: false, text: errorText(ack) };
}

// ---------------------------------------------------------------------------------------------
// The action panel: buzzer, answer input, tier choice, pass

function renderAction(m) {
  const play = view.question;
  const round = view.round;
  const lang = document.documentElement.lang;
  let key;
  switch (m.name) {
    case "race":
      key = JSON.stringify([lang, "race", play.question.id, play.rebounds]);
      break;
    case "answer":
    case "rapid":
      key = JSON.stringify([lang, m.name, m.q.id, answerKey(m), local.submitted.has(answerKey(m)), passOffer(m)]);
      break;
    case "risk-choose":
      key = JSON.stringify([lang, m.name, round.tiers]);
      break;
    default:
      key = JSON.stringify([lang, m.name, play && play.step, (view.you || {}).your_turn, passOffer(m),
        play && play.answering, m.q ? local.judged.get(m.q.id) || null : null]);
  }
  // A pause rebuilds the panel with every control disabled; the resume rebuilds it live again
  // (an unsent draft is kept in local.drafts).
  keyed(els.action, `${key}|${view.paused ? "paused" : "live"}`, () => buildAction(m));
  if (view.paused) {
    for (const control of els.action.querySelectorAll("button, input, textarea, select")) control.disabled = true;
  }
  els.action.className = `play-action mode-${m.name}${view.paused ? " is-paused" : ""}`;
  if (m.name === "race") paintBuzzer();
}

function answerKey(m) {
  if (m.name === "rapid") return `lane:${m.q.id}:${m.lane.served}`;
  const play = view.question;
  return `q:${play.question.id}:${play.rebounds}:${play.step}`;
}

/** Which pass the team may use now: risk 弃权, rapid 过, the arena defender's token. */
function passOffer(m) {
  const round = view.round;
  const play = view.question;
  if (!round) return null;
  if (m.name === "rapid") return "rapid";
  if (round.kind === "risk" && round.turn === me.team && (m.name === "risk-choose"
    || (play && play.step !== "closed" && play.step !== "judging" && (play.answering || []).includes(me.team)))) {
    return "risk";
  }
  const arena = round.arena;
  if (arena && play && arena.defender === me.team && (play.answering || [])[0] === me.team
    && ["reading", "answering"].includes(play.step) && (arena.passes_left || {})[me.team] > 0) {
    return "arena";
  }
  return null;
}

function note(text, cls = "") {
  return h(`div.action-note${cls ? "." + cls : ""}`, text);
}

function buildAction(m) {
  const play = view.question;
  const pass = passOffer(m);
  const passButton = pass ? h("button.btn.btn-pass", { type: "button", onclick: () => doPass(pass) },
    t(`play.pass.${pass}`)) : null;
  switch (m.name) {
    case "race":
      return buildBuzzer();
    case "answer":
    case "rapid": {
      const key = answerKey(m);
      if (local.submitted.has(key) && m.name === "answer") return note(t("play.answered"), "is-done");
      return [
        m.name === "answer" && play.style === "race" ? h("div.action-banner.is-won", t("play.buzz.won")) : null,
        m.name === "answer" && play.style !== "race" ? h("div.action-banner.is-turn", t("play.yourturn")) : null,
        buildAnswer(m.q, key),
        passButton,
      ];
    }
    case "speak":
      return [h("div.action-banner.is-turn", t("play.yourturn")), note(t("play.speak"), "is-turn"), onPhoneSwitch(), passButton];
    case "prompt":
      return [note(t("play.wait_prompt"), "is-turn"), passButton];
    case "submitted":
      return note(t("play.submitted"), "is-done");
    case "answered": {
      const judged = local.judged.get(m.q.id);
      return judged ? note(verdictText(judged), "is-done") : note(t("play.answered"), "is-done");
    }
    case "judging":
      return note(t("play.judging"), "is-done");
    case "other": {
      const who = (play.answering || []).map((id) => teamName(view, id)).join("、");
      return note(who ? t("play.answering_other", { team: who }) : t("play.notin"));
    }
    case "risk-choose":
      return [h("div.tier-buttons", (view.round.tiers || []).map((tier) =>
        h("button.tier-button", {
          type: "button",
          disabled: !tier.left,
          onclick: () => chooseTier(tier.points),
        }, h("span.tier-button-points", String(tier.points)), h("span.tier-button-left", t("w.left", { n: tier.left }))))),
      passButton];
    case "closed":
      return [];
    default:
      return [];
  }
}

// The buzzer ------------------------------------------------------------------------------------

function buildBuzzer() {
  const button = h("button.buzzer#buzzer", { type: "button", "aria-live": "polite" },
    lockIcon(), h("span.bz-main"), h("span.bz-sub"));
  const phoneSwitch = onPhoneSwitch();
  if (phoneSwitch) phoneSwitch.id = "on-phone";
  button.addEventListener("pointerdown", onPress);
  button.addEventListener("keydown", (e) => {
    if ((e.key === " " || e.key === "Enter") && !e.repeat) onPress(e);
  });
  button.addEventListener("contextmenu", (e) => e.preventDefault());
  return phoneSwitch ? [button, phoneSwitch] : button;
}

/** A padlock, shown (by CSS) while a press cannot buzz: before arming and in an early lockout. */
function lockIcon() {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("class", "bz-lock");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  const shackle = document.createElementNS(ns, "path");
  shackle.setAttribute("d", "M7 11V8a5 5 0 0 1 10 0v3");
  shackle.setAttribute("fill", "none");
  shackle.setAttribute("stroke", "currentColor");
  shackle.setAttribute("stroke-width", "2.2");
  const body = document.createElementNS(ns, "rect");
  body.setAttribute("x", "4.5");
  body.setAttribute("y", "11");
  body.setAttribute("width", "15");
  body.setAttribute("height", "10");
  body.setAttribute("rx", "2");
  body.setAttribute("fill", "currentColor");
  svg.append(shackle, body);
  return svg;
}

/** What an early press costs in this round, as the line under 等待开始抢答 (rule early_press). */
function earlyRuleText() {
  const rule = view.round && view.round.early_press;
  return rule ? t(`play.buzz.early_rule.${rule}`) : "";
}

/**
 * When this team's early-press lockout ends, on this device's clock: the server's end from the
 * view (so a page reloaded during the lockout still shows it), or the end this page counted from
 * its own press before the update came, whichever is later.
 */
function earlyEnd() {
  const until = (view.you || {}).early_until;
  return Math.max(local.earlyUntil, typeof until === "number" ? clock.toLocal(until) : 0);
}

function pressKey() {
  const play = view.question;
  if (local.raceKey) return local.raceKey;
  return `reading:${play.question.id}:${play.rebounds}`;
}

function buzzerState() {
  const play = view.question;
  const you = view.you || {};
  const team = me.team;
  const race = play.race;
  if (you.barred) return { s: "barred" };
  if (!(play.teams || []).includes(team)) return { s: "notin" };
  if (Date.now() < local.foulUntil) return { s: "foul" };
  if (you.locked_out) return { s: "locked" };
  if (race && race.winner) {
    if (race.winner === team) return { s: "won" };
    const mine = (race.ranking || []).find((r) => r.team === team);
    // Decided a moment ago and this team has not pressed: a press now is still recorded with
    // its margin (race.trailing_until, server ms), so the button stays live until then.
    if (!mine && local.buzzedKey !== pressKey() && race.trailing_until != null
        && clock.now() < race.trailing_until) {
      return { s: "trail", winner: race.winner };
    }
    return { s: "lost", winner: race.winner, margin: mine ? mine.margin_ms : null, late: lateBy(race) };
  }
  if ((play.tried || []).includes(team)) return { s: "tried" };
  if (play.step === "closed") return { s: "closed" };
  if (view.paused) return { s: "paused" };
  // After an early press the server ignores this team's presses for early_lockout_ms (rule
  // lockout): the buzzer says so and counts down instead of looking ready.
  const early = earlyEnd() - Date.now();
  if (early > 0 && ["reading", "armed", "collecting"].includes(play.step)) return { s: "early", ms: early };
  if (play.step === "reading") {
    return local.buzzedKey === pressKey() ? { s: "sent" } : { s: "ready" };
  }
  if (["armed", "collecting"].includes(play.step)) {
    if (local.buzzedKey === pressKey() || (race && (race.buzzed || []).includes(team))) return { s: "sent" };
    if (!local.visibleArmed) {
      return { s: "countdown", n: Math.max(1, Math.ceil((local.armedLocal - Date.now()) / 1000)) };
    }
    return { s: "armed" };
  }
  if (play.step === "answering" || play.step === "judging") {
    return (you.your_turn) ? { s: "won" } : { s: "wait" };
  }
  return { s: "wait" };
}

/**
 * A press of this race that is not in its ranking (it came after the race was decided): how many
 * ms after the winner's reaction it was on this device's clock; null when unknown, false when
 * this team never pressed.
 */
function lateBy(race) {
  const pressed = local.pressed;
  if (!pressed || pressed.key !== pressKey()) return false;
  const winner = (race.ranking || []).find((r) => r.team === race.winner);
  if (!winner || winner.reaction_ms == null || local.armedLocal === null) return null;
  const mine = pressed.ms - local.armedLocal;
  return mine > winner.reaction_ms ? Math.round(mine - winner.reaction_ms) : null;
}

const PRESSABLE = new Set(["ready", "countdown", "armed", "trail"]);
// The states in which a press can win or place in the race.
const LIVE = new Set(["armed", "trail"]);

function paintBuzzer() {
  const button = document.getElementById("buzzer");
  if (!button || !view || !view.question) return;
  const st = buzzerState();
  const main = button.querySelector(".bz-main");
  const sub = button.querySelector(".bz-sub");
  let mainText = "";
  let subText = "";
  switch (st.s) {
    case "ready": mainText = t("play.buzz.waiting"); subText = earlyRuleText(); break;
    case "countdown":
      mainText = String(st.n);
      subText = view.round && view.round.early_press === "foul" ? earlyRuleText() : t("play.buzz.countdown");
      break;
    case "early":
      mainText = t("play.buzz.early");
      subText = t("play.buzz.early.left", { s: (st.ms / 1000).toFixed(1) });
      break;
    case "armed": mainText = t("play.buzz.go"); break;
    case "sent": mainText = t("play.buzz"); subText = t("play.buzz.sent"); break;
    case "won":
      mainText = t("play.buzz.won.main"); subText = spokenRound() ? t("play.speak") : t("play.yourturn");
      break;
    case "trail":
      mainText = t("play.buzz.lost", { team: teamName(view, st.winner) }); subText = t("play.buzz.trail");
      break;
    case "lost":
      mainText = t("play.buzz.lost", { team: teamName(view, st.winner) });
      if (st.margin !== null) subText = t("play.buzz.lost.by", { ms: st.margin });
      else if (st.late === false) subText = t("play.buzz.notpressed");
      else subText = st.late === null ? t("play.buzz.missed") : t("play.buzz.late", { ms: st.late });
      break;
    case "foul": mainText = t("play.foul", { delta: signed(-local.foulPenalty) }); break;
    case "locked": mainText = t("play.locked"); break;
    case "barred": mainText = t("play.barred"); break;
    case "tried": {
      const judged = local.judged.get(view.question.question.id);
      mainText = judged ? verdictText(judged) : t("play.tried");
      break;
    }
    case "notin": mainText = t("play.notin"); break;
    case "paused": mainText = "‖"; subText = t("w.paused"); break;
    case "closed": mainText = t("play.closed"); break;
    default: mainText = t("race.waiting");
  }
  // In a foul round the warning under a buzzer that is not armed yet stands out (red).
  const warns = ["ready", "countdown"].includes(st.s) && view.round && view.round.early_press === "foul";
  const cls = `buzzer bz-${st.s}${warns ? " warns-foul" : ""}`;
  if (button.className !== cls) button.className = cls;
  if (main.textContent !== mainText) main.textContent = mainText;
  if (sub.textContent !== subText) sub.textContent = subText;
  // Before arming a press is still sent (the round's early_press rule is the server's), but it
  // cannot buzz: the button says it is disabled until the buzzers arm.
  button.setAttribute("aria-disabled", LIVE.has(st.s) ? "false" : "true");
  if (st.s === "early") button.dataset.reason = "buzzers_not_armed";
  else delete button.dataset.reason;
  const phoneSwitch = document.getElementById("on-phone");
  if (phoneSwitch) phoneSwitch.hidden = !(st.s === "won" && view.question.step === "answering" && spokenRound());
}

function onPress(event) {
  if (event.type === "pointerdown" && event.button !== 0) return;
  event.preventDefault();
  const pressed = Date.now();
  if (!view || !view.question) return;
  const st = buzzerState();
  if (!PRESSABLE.has(st.s)) return;
  const key = pressKey();
  if (local.buzzedKey === key) return;
  local.buzzedKey = key;
  local.pressed = { key, ms: pressed };
  const payload = { pressed_ms: pressed };
  if (local.raceKey && local.shownMs !== null) payload.shown_ms = local.shownMs;
  vibrate(st.s === "armed" ? 40 : [30, 30, 30]);
  sound.unlock();
  sound.click();
  paintBuzzer();
  conn.send("buzz", payload).then((ack) => {
    if (!ack.ok) {
      toast(errorText(ack));
      if (local.buzzedKey === key) local.buzzedKey = null;
      paintBuzzer();
    } else if (ack.ignored === "buzzers_not_armed" || ack.ignored === "early_lockout") {
      earlyPress(key, ack.ignored, pressed);
    } else if (ack.ignored && ack.ignored !== "already_buzzed") {
      toast(ignoredText(ack.ignored), "info", 3000);
    }
  });
}

/**
 * A press before the buzzers armed did not count: the buzzer may be pressed again, at once or,
 * when the round's early_press is lockout, after early_lockout_ms from the press (counted on
 * this device's clock, shown on the buzzer); otherwise the reason is shown as a toast.
 */
function earlyPress(key, reason, pressedMs) {
  if (local.buzzedKey === key) local.buzzedKey = null;
  const round = view && view.round;
  const lockMs = round && round.early_press === "lockout" ? round.early_lockout_ms || 0 : 0;
  if (reason === "buzzers_not_armed" && lockMs > 0) {
    local.earlyUntil = pressedMs + lockMs;
    vibrate(120);
  } else {
    toast(ignoredText(reason), "info", 3000);
  }
  paintBuzzer();
}

// Answers ---------------------------------------------------------------------------------------

/** The pad for this question (pads.js); the unsent draft outlives re-renders of the panel. */
function buildAnswer(q, key) {
  const pad = answerPad(q, (response) => sendAnswer(key, response), {
    look: "play",
    draft: local.drafts.get(key) ?? null,
    fillChoices: true,
    focus: true,
    onTap: () => vibrate(10),
  });
  if (pad.draft) local.drafts.set(key, pad.draft);
  return pad.el;
}

/** Send the answer once (a panel rebuilt while one is in flight cannot send another). */
async function sendAnswer(key, response) {
  if (local.busy || (view && view.paused)) return false;
  local.busy = true;
  const ack = await conn.send("answer", { response });
  local.busy = false;
  if (!ack.ok) {
    toast(errorText(ack));
    return false;
  }
  if (ack.ignored) toast(ignoredText(ack.ignored), "info", 3000);
  local.submitted.add(key);
  local.drafts.delete(key);
  vibrate(20);
  render();
  return true;
}

async function doPass(kind) {
  if (kind !== "rapid" && !confirm(t("play.confirm_pass"))) return;
  const ack = await conn.send("pass", {});
  if (!ack.ok) toast(errorText(ack));
  else if (ack.ignored) toast(ignoredText(ack.ignored), "info", 3000);
}

async function chooseTier(points) {
  const ack = await conn.send("choose_tier", { points });
  if (!ack.ok) toast(errorText(ack));
}

// ---------------------------------------------------------------------------------------------
// Time

function tick() {
  if (!view) return;
  const timer = document.getElementById("play-timer");
  if (timer) {
    const play = view.question;
    let deadline = play && play.step !== "closed" ? play.deadline : null;
    const lane = myLane();
    if (lane && !lane.closed) deadline = lane.ends_at;
    const race = play && play.race;
    if (race && !race.winner && play.step === "armed" && !local.visibleArmed) deadline = null;
    const left = pause.remaining(deadline, clock);
    timer.textContent = left === null ? "" : `${secondsText(left)}″`;
    timer.classList.toggle("is-low", left !== null && left <= 5000);
  }
  if (view.question && view.question.style === "race") paintBuzzer();
}

everyTick(tick);
onLangChange(() => render());
document.addEventListener("visibilitychange", () => { if (!document.hidden) render(); });
