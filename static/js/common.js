// Shared pieces of Leitai's live pages: DOM building, toasts, the reconnecting banner, the
// server clock offset, the Socket.IO connection (docs/protocol.md), timers, sounds and the
// localized rendering of a question as the view carries it (quiz/engine/views.py).

import { t, getLang, label } from "./i18n.js";

export const PROTOCOL = 1;

// ---------------------------------------------------------------------------------------------
// DOM

/** h("div.card#id", {onclick, dataset, ...attrs}, children...) builds an element. */
export function h(spec, props, ...children) {
  const match = /^([a-z0-9]+)?((?:[.#][\w-]+)*)$/i.exec(spec) || [];
  const el = document.createElement(match[1] || "div");
  for (const part of (match[2] || "").match(/[.#][\w-]+/g) || []) {
    if (part[0] === ".") el.classList.add(part.slice(1));
    else el.id = part.slice(1);
  }
  if (props && (typeof props !== "object" || props instanceof Node || Array.isArray(props))) {
    children.unshift(props);
    props = null;
  }
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === "dataset") {
      Object.assign(el.dataset, value);
    } else if (key === "style" && typeof value === "object") {
      Object.assign(el.style, value);
    } else if (key === "class") {
      for (const name of String(value).split(/\s+/).filter(Boolean)) el.classList.add(name);
    } else if (key in el && typeof value !== "string") {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? "" : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Rebuild `el` only when `key` changed (keeps inputs, focus and animations otherwise). */
export function keyed(el, key, build) {
  if (el.dataset.key === key) return false;
  el.dataset.key = key;
  el.replaceChildren(...[].concat(build()).filter(Boolean));
  return true;
}

/** Replace an element's children, skipping null/false entries (replaceChildren prints them). */
export function fill(el, ...children) {
  el.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

/** The JSON a template put in <script type="application/json" id="page-data">. */
export function pageData() {
  const node = document.getElementById("page-data");
  if (!node) return {};
  try {
    return JSON.parse(node.textContent || "{}") || {};
  } catch {
    return {};
  }
}

export const $ = (selector, root = document) => root.querySelector(selector);

/**
 * `headers` plus the page's CSRF token (its <meta name="csrf-token">), which every POST and
 * DELETE must carry: the server refuses a state change without it (code `csrf_failed`).
 */
export function withCsrf(headers = {}) {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return { ...headers, "X-CSRFToken": meta ? meta.content : "" };
}

// ---------------------------------------------------------------------------------------------
// Toasts and banners

function toastBox() {
  let box = document.getElementById("toasts");
  if (!box) {
    box = h("div#toasts.toasts", { role: "status", "aria-live": "assertive" });
    document.body.append(box);
  }
  return box;
}

/** Show a message for a few seconds; kind: "error" (default), "ok", "info". */
export function toast(text, kind = "error", ms = 6000) {
  const item = h(`div.toast.toast-${kind}`, text);
  item.addEventListener("click", () => item.remove());
  toastBox().append(item);
  setTimeout(() => item.classList.add("toast-out"), ms);
  setTimeout(() => item.remove(), ms + 400);
  return item;
}

/**
 * What a person reads for a refusal (an ack, an error body or a code): the text of its `reason`
 * code when the page knows it, else the text of its `code`; never the server's English message,
 * which is for logs and independent clients (docs/protocol.md).
 */
export function errorText(error) {
  if (!error) return t("err.unknown");
  const body = error.error && typeof error.error === "object" ? error.error : error;
  if (body.reason && label("reason", body.reason) !== body.reason) return label("reason", body.reason);
  const code = String(body.code || "unknown");
  return label("err", code) === code ? t("err.unknown") : label("err", code);
}

/** "未计入：已暂停" for an ack's `ignored` reason code; "未计入" alone for a reason this page lacks. */
export function ignoredText(reason) {
  return reason && label("reason", reason) !== reason
    ? t("play.ignored", { reason: label("reason", reason) })
    : t("play.ignored.plain");
}

/** The reconnecting banner at the top of the page. */
export function connectionBanner(visible, text) {
  let bar = document.getElementById("conn-banner");
  if (!bar) {
    bar = h("div#conn-banner.conn-banner", { role: "alert", hidden: true });
    document.body.prepend(bar);
  }
  bar.textContent = text || t("conn.reconnecting");
  bar.hidden = !visible;
  document.body.classList.toggle("is-offline", visible);
}

// ---------------------------------------------------------------------------------------------
// The server clock

/**
 * offset = server_ms - Date.now(), estimated from every message that carries server_ms.
 * server_ms was stamped before the message travelled, so each sample is the offset minus a
 * one-way delay: the largest recent sample is the best estimate, still late by the link's
 * shortest one-way delay. Once the server's pings carry its own round-trip estimate
 * (`clock.offset_ms`, docs/protocol.md) that one is used instead, so a server instant such as
 * armed_at shows at the same true moment on every device however slow its link.
 */
export class ServerClock {
  constructor(keep = 15) {
    this.keep = keep;
    this.samples = [];
    this.offset = 0;
    this.measuredOffset = null;
  }

  sample(serverMs, localMs = Date.now()) {
    if (typeof serverMs !== "number" || !Number.isFinite(serverMs)) return;
    this.samples.push(serverMs - localMs);
    if (this.samples.length > this.keep) this.samples.shift();
    this.offset = this.measuredOffset ?? Math.max(...this.samples);
  }

  /** The server's estimate of this device's clock (device minus server, ms) from its pings. */
  measured(deviceMinusServer) {
    if (typeof deviceMinusServer !== "number" || !Number.isFinite(deviceMinusServer)) return;
    this.measuredOffset = -deviceMinusServer;
    this.offset = this.measuredOffset;
  }

  /** The server's time now. */
  now() {
    return Date.now() + this.offset;
  }

  /** A server time as a Date.now() time of this device. */
  toLocal(serverMs) {
    return serverMs - this.offset;
  }
}

// ---------------------------------------------------------------------------------------------
// The Socket.IO connection

function refusal(err) {
  if (err && err.data && typeof err.data === "object" && err.data.code) return err.data;
  const text = String((err && err.message) || "");
  const code = /['"]code['"]\s*:\s*['"](\w+)['"]/.exec(text);
  const message = /['"]message['"]\s*:\s*['"]([^'"]*)['"]/.exec(text);
  if (code) return { code: code[1], message: message ? message[1] : "" };
  return { code: "network", message: text };
}

/**
 * Connect with `auth`; calls onSnapshot(msg), onUpdate(msg), onNotice(msg), onRefused(error).
 * `forceNew` opens a connection of its own even when the page already has one to the server
 * (the self-test page keeps its PK queue connection while it plays as a seat).
 * Returns {socket, clock, send(event, payload) -> Promise<ack>, close()}.
 */
export function connectArena({ auth, onSnapshot, onUpdate, onNotice, onRefused, clock, forceNew = false }) {
  clock = clock || new ServerClock();
  let seq = -1;
  let everConnected = false;
  let stopped = false;
  connectionBanner(false);
  if (typeof window.io !== "function") {
    connectionBanner(true, "socket.io client missing");
    return { socket: null, clock, send: () => Promise.reject(new Error("no socket")), close() {} };
  }
  const socket = window.io({ auth, transports: ["websocket", "polling"], forceNew });
  const shownAfter = setTimeout(() => {
    if (!socket.connected && !stopped) connectionBanner(true, t("conn.connecting"));
  }, 1500);

  socket.on("connect", () => {
    clearTimeout(shownAfter);
    everConnected = true;
    connectionBanner(false);
  });
  socket.on("disconnect", (reason) => {
    if (stopped) return;
    connectionBanner(true);
    if (reason === "io server disconnect") setTimeout(() => socket.connect(), 2000);
  });
  socket.on("connect_error", (err) => {
    const error = refusal(err);
    if (["unauthorized", "unknown_contest", "bad_payload"].includes(error.code)) {
      stopped = true;
      clearTimeout(shownAfter);
      connectionBanner(false);
      socket.disconnect();
      if (onRefused) onRefused(error);
      else toast(errorText(error));
      return;
    }
    connectionBanner(true, everConnected ? t("conn.reconnecting") : t("conn.connecting"));
    if (!socket.active) setTimeout(() => socket.connect(), 3000);
  });
  socket.on("snapshot", (msg) => {
    if (!checkProtocol(msg)) return;
    clock.sample(msg.server_ms);
    seq = typeof msg.seq === "number" ? msg.seq : seq;
    onSnapshot && onSnapshot(msg);
  });
  socket.on("update", (msg) => {
    if (!checkProtocol(msg)) return;
    clock.sample(msg.server_ms);
    if (typeof msg.seq === "number") {
      if (msg.seq < seq) return; // an older view than the one shown: never step back
      seq = msg.seq;
    }
    onUpdate && onUpdate(msg);
  });
  socket.on("clock", (msg, ack) => {
    if (msg && typeof msg === "object") {
      clock.sample(msg.server_ms);
      clock.measured(msg.offset_ms);
    }
    if (typeof ack === "function") ack({ id: msg && msg.id, client_ms: Date.now() });
  });
  socket.on("notice", (msg) => {
    if (onNotice) onNotice(msg);
    else if (msg) toast(msg.message || msg.code, "info");
  });

  function send(event, payload = {}) {
    return new Promise((resolve) => {
      if (!socket.connected) {
        resolve({ ok: false, code: "network", message: t("conn.reconnecting") });
        return;
      }
      socket.timeout(8000).emit(event, payload, (err, ack) => {
        if (err) resolve({ ok: false, code: "timeout", message: t("conn.timeout") });
        else resolve(ack && typeof ack === "object" ? ack : { ok: false, code: "internal" });
      });
    });
  }

  /** Disconnect for good: no reconnecting banner, no reconnection. */
  function close() {
    stopped = true;
    clearTimeout(shownAfter);
    connectionBanner(false);
    socket.disconnect();
  }

  return { socket, clock, send, close };
}

function checkProtocol(msg) {
  if (!msg || typeof msg !== "object") return false;
  if (msg.protocol === PROTOCOL) {
    try { sessionStorage.removeItem("leitai.reloaded"); } catch { /* ignore */ }
    return true;
  }
  let reloaded = false;
  try { reloaded = sessionStorage.getItem("leitai.reloaded") === String(msg.protocol); } catch { /* ignore */ }
  if (!reloaded) {
    try { sessionStorage.setItem("leitai.reloaded", String(msg.protocol)); } catch { /* ignore */ }
    connectionBanner(true, t("conn.reload"));
    setTimeout(() => location.reload(), 800);
  } else {
    connectionBanner(true, t("conn.protocol"));
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Timers

const tickers = new Set();
let tickTimer = null;

/** Call fn() ten times a second (for countdowns) until the returned function is called. */
export function everyTick(fn) {
  tickers.add(fn);
  if (!tickTimer) {
    tickTimer = setInterval(() => {
      for (const f of tickers) {
        try { f(); } catch (e) { console.error(e); }
      }
    }, 100);
  }
  return () => tickers.delete(fn);
}

/**
 * Tracks whether the contest is paused and since when (server ms), so countdowns freeze at the
 * remaining time instead of running on; `at` comes from a ContestPaused event when seen.
 */
export class PauseTracker {
  constructor() {
    this.paused = false;
    this.since = null;
  }

  observe(view, events, serverMs) {
    const pausedEvent = (events || []).find((e) => e.kind === "ContestPaused");
    if (view.paused) {
      if (pausedEvent) this.since = pausedEvent.at;
      else if (!this.paused) this.since = events ? serverMs : null; // unknown after a snapshot
    } else {
      this.since = null;
    }
    this.paused = !!view.paused;
  }

  /** Remaining ms until `deadline` (server ms) as the contest counts it, or null if unknown. */
  remaining(deadline, clock) {
    if (deadline === null || deadline === undefined) return null;
    if (this.paused) return this.since === null ? null : Math.max(0, deadline - this.since);
    return Math.max(0, deadline - clock.now());
  }
}

/** "12" (seconds, rounded up) or "" for an unknown time. */
export function secondsText(ms) {
  if (ms === null || ms === undefined) return "";
  return String(Math.ceil(ms / 1000));
}

// ---------------------------------------------------------------------------------------------
// Sounds: WebAudio oscillators, no files

let audio = null;
let audioWanted = true;

export const sound = {
  /** Create/resume the audio context (must be called from a user gesture the first time). */
  unlock() {
    try {
      if (!audio) audio = new (window.AudioContext || window.webkitAudioContext)();
      if (audio.state === "suspended") audio.resume();
    } catch {
      audio = null;
    }
    return this.ready();
  },
  ready() {
    return !!audio && audio.state === "running";
  },
  set enabled(on) {
    audioWanted = on;
  },
  get enabled() {
    return audioWanted;
  },
  tone(freq, ms, { type = "sine", gain = 0.25, delay = 0, slide = null } = {}) {
    if (!audioWanted || !audio || audio.state !== "running") return;
    const start = audio.currentTime + delay / 1000;
    const osc = audio.createOscillator();
    const amp = audio.createGain();
    osc.type = type;
    osc.frequency.setValueAtTime(freq, start);
    if (slide) osc.frequency.exponentialRampToValueAtTime(slide, start + ms / 1000);
    amp.gain.setValueAtTime(0.0001, start);
    amp.gain.exponentialRampToValueAtTime(gain, start + 0.01);
    amp.gain.exponentialRampToValueAtTime(0.0001, start + ms / 1000);
    osc.connect(amp).connect(audio.destination);
    osc.start(start);
    osc.stop(start + ms / 1000 + 0.05);
  },
  tick() { this.tone(880, 120, { type: "square", gain: 0.12 }); },
  go() { this.tone(1320, 450, { type: "square", gain: 0.18 }); },
  buzz() {
    this.tone(660, 140, { type: "triangle", gain: 0.35 });
    this.tone(990, 260, { type: "triangle", gain: 0.35, delay: 120 });
  },
  click() { this.tone(520, 60, { type: "square", gain: 0.15 }); },
  correct() {
    this.tone(523, 150, { gain: 0.3 });
    this.tone(659, 150, { gain: 0.3, delay: 130 });
    this.tone(784, 320, { gain: 0.3, delay: 260 });
  },
  wrong() { this.tone(300, 500, { type: "sawtooth", gain: 0.15, slide: 140 }); },
  foul() {
    this.tone(160, 250, { type: "sawtooth", gain: 0.2 });
    this.tone(160, 250, { type: "sawtooth", gain: 0.2, delay: 300 });
  },
  timeLow() { this.tone(740, 80, { type: "square", gain: 0.08 }); },
};

/** Unlock audio on the first touch or key anywhere on the page. */
export function unlockAudioOnGesture(onChange) {
  const handler = () => {
    sound.unlock();
    setTimeout(() => onChange && onChange(sound.ready()), 50);
  };
  window.addEventListener("pointerdown", handler, { capture: true });
  window.addEventListener("keydown", handler, { capture: true });
}

/** A small corner button that turns sound on (the projector needs one click for WebAudio). */
export function soundToggle() {
  const button = h("button.sound-toggle", { type: "button" });
  const paint = () => {
    const on = sound.ready() && sound.enabled;
    button.textContent = on ? t("w.sound.on") : t("w.sound.off");
    button.classList.toggle("is-on", on);
  };
  button.addEventListener("click", () => {
    if (sound.ready()) sound.enabled = !sound.enabled;
    else { sound.unlock(); sound.enabled = true; }
    setTimeout(paint, 60);
  });
  unlockAudioOnGesture(paint);
  paint();
  button.repaint = paint;
  return button;
}

// ---------------------------------------------------------------------------------------------
// Contest data helpers

/** A team's display name from the view (its id if unknown). */
export function teamName(view, id) {
  if (id === null || id === undefined) return "";
  const team = (view && view.teams || []).find((x) => x.id === id);
  return team ? team.name : String(id);
}

/** "+10" / "−10" / "0". */
export function signed(n) {
  if (typeof n !== "number") return "";
  if (n > 0) return `+${n}`;
  if (n < 0) return `−${Math.abs(n)}`;
  return "0";
}

export const LETTERS = "ABCDEFGHIJKLMNOP";

/**
 * The question as shown in the current language: text, options, answer, explanation in the
 * main language, plus the Tibetan text and options when the question has them (shown under
 * the Chinese, lang="bo").
 */
export function localize(q) {
  if (!q) return null;
  const lang = getLang();
  const tr = q.translations || {};
  const en = lang === "en" ? tr.en || null : null;
  const bo = tr.bo || null;
  const options = q.type === "truefalse"
    ? [t("tf.true.long"), t("tf.false.long")]
    : (en && en.options && en.options.length === q.options.length ? en.options : q.options) || [];
  const result = {
    id: q.id,
    type: q.type,
    text: (en && en.text) || q.text,
    translatedText: !!(en && en.text),
    options,
    boText: bo && bo.text ? bo.text : null,
    boOptions: bo && bo.options && bo.options.length === (q.options || []).length ? bo.options : null,
    revealed: !!q.revealed,
    difficulty: q.difficulty,
    tags: q.tags || [],
    answerIndices: q.answer_indices || [],
    explanation: null,
    source: q.source || null,
    answerText: null,
  };
  if (q.revealed || q.answer !== undefined) {
    result.explanation = (en && en.explanation) || q.explanation || null;
    result.answerText = answerText(q, en, options);
  }
  return result;
}

function answerText(q, en, options) {
  if (q.answer === undefined || q.answer === null) return null;
  if (q.type === "truefalse" || typeof q.answer === "boolean") {
    return q.answer ? t("tf.true.long") : t("tf.false.long");
  }
  if (q.type === "fill") {
    const list = (en && en.answer && en.answer.length ? en.answer : q.answer) || [];
    return list.join(" / ");
  }
  const indices = q.answer_indices || [];
  if (indices.length) {
    const sep = q.type === "order" ? " → " : "、";
    return indices.map((i) => `${LETTERS[i]}. ${options[i] ?? ""}`).join(sep);
  }
  return [].concat(q.answer).join(" / ");
}

/** The question's text block: main text (and Tibetan under it when present). */
export function questionTextNodes(lq, cls = "q-text") {
  return [
    h(`div.${cls}`, { lang: lq.translatedText ? "en" : "zh-CN" }, lq.text),
    lq.boText ? h(`div.${cls}-bo.bo`, { lang: "bo" }, lq.boText) : null,
  ];
}

/** Label of a round: its template name, or the kind's label. */
export function roundLabel(round) {
  if (!round) return "";
  return round.name || label("kind", round.kind);
}

/** The step of the view's question, "idle" when the round has no open question. */
export function stepOf(view) {
  const play = view && view.question;
  if (!play) return "idle";
  return play.step || "idle";
}

/** A human line for an event (host log and screen flashes); null for bookkeeping events. */
export function describeEvent(ev, view) {
  const name = (id) => teamName(view, id);
  switch (ev.kind) {
    case "RoundStarted":
      return `▶ ${ev.name || label("kind", ev.kind)}`;
    case "RoundEnded":
      return `■ ${t("screen.between")} (${ev.reason})`;
    case "QuestionOpened":
      return `${t("w.question")} ${ev.question_id} · ${t("w.pts", { n: ev.value })}`;
    case "AnswerWindowOpened":
      return `${t("step.answering")}: ${(ev.teams || []).map(name).join("、")}`;
    case "BuzzersArmed":
      return `${t("step.armed")} (${(ev.teams || []).map(name).join("、")})`;
    case "BuzzAccepted":
      return `${name(ev.team)} ${t("play.buzz")}${ev.reaction_ms != null ? " · " + t("race.reaction", { ms: ev.reaction_ms }) : ""}`;
    case "BuzzRaceDecided":
      return t("race.first", { team: name(ev.winner) });
    case "BuzzTrailed":
      return t("race.margin", { team: name(ev.team), ms: ev.margin_ms });
    case "BuzzIgnored":
      return `${name(ev.team)}: ${ignoredText(ev.reason)}`;
    case "FoulCommitted":
      return t("flash.foul", { team: name(ev.team), delta: signed(-ev.penalty) });
    case "TeamBarred":
      return t("flash.barred", { team: name(ev.team) });
    case "BuzzWindowClosed":
      return t("race.none");
    case "AnswerSubmitted":
      return `${name(ev.team)} ${t("outcome.answered")}`;
    case "AnswerJudged": {
      const key = ev.correct ? "flash.correct" : ev.by === "timeout" ? "flash.timeout" : "flash.wrong";
      return t(key, { team: name(ev.team), delta: signed(ev.delta) });
    }
    case "JudgementUndone":
      return t("flash.undo", { team: name(ev.team) });
    case "ScoreChanged":
      return `${name(ev.team)} ${signed(ev.delta)} → ${ev.total} (${label("reason", ev.reason)}${ev.note ? ": " + ev.note : ""})`;
    case "QuestionRebounded":
      return `${t("flash.rebound")} ${(ev.teams || []).map(name).join("、")}`;
    case "QuestionClosed":
      return `${t("step.closed")}: ${label("outcome", ev.outcome)}`;
    case "AnswerRevealed":
      return null;
    case "QuestionSkipped":
      return t("flash.skipped");
    case "QuestionReplaced":
      return `${t("flash.replaced")}: ${ev.old_question_id} → ${ev.new_question_id}`;
    case "TierChosen":
      return t("flash.tier", { team: name(ev.team), points: ev.points });
    case "TurnPassed":
      return t("flash.passed", { team: name(ev.team) });
    case "ArenaPassUsed":
      return t("flash.arena_pass", { team: name(ev.team), to: name(ev.to_team) });
    case "RapidWindowOpened":
      return `${t("screen.rapid")}: ${(ev.teams || []).map(name).join("、")}`;
    case "RapidQuestionServed":
      return null;
    case "RapidWindowClosed":
      return `${name(ev.team)}: ${t("screen.correct_n", { n: ev.correct })} / ${t("screen.served_n", { n: ev.served })}`;
    case "DuelStarted":
      return t("flash.duel", { a: name(ev.defender), b: name(ev.challenger) });
    case "DuelEnded":
      return t("flash.duel_end", { winner: name(ev.winner), loser: name(ev.loser), p: (ev.points || []).join(":") });
    case "TeamEliminated":
      return t("flash.eliminated", { team: name(ev.team) });
    case "ArenaWon":
      return t("flash.arena_won", { team: name(ev.team) });
    case "PlacementDecided":
      return (ev.placements || []).map((id, i) => `${i + 1}. ${name(id)}`).join("  ");
    case "ClockSynced":
      return null;
    case "ContestPaused":
      return t("flash.paused");
    case "ContestResumed":
      return t("flash.resumed");
    case "StandingsFrozen":
      return t("w.frozen");
    case "ContestFinished":
      return t("screen.finished");
    case "PodiumRevealed":
      return t("screen.podium");
    case "ContestReopened":
      return t("w.reopened", { note: ev.note });
    default:
      return ev.kind || null;
  }
}

/** True when a join address names this machine only (phones cannot reach 127.0.0.1). */
export function isLoopbackUrl(url) {
  try {
    const host = new URL(url, location.href).hostname;
    return host === "localhost" || host === "::1" || host === "[::1]" || /^127\./.test(host);
  } catch {
    return false;
  }
}

/** A local time "14:05:09" for a server ms stamp. */
export function clockTime(ms) {
  if (typeof ms !== "number") return "";
  const d = new Date(ms);
  return d.toLocaleTimeString(getLang() === "en" ? "en-GB" : "zh-CN", { hour12: false });
}
