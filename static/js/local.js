// One laptop, one key per team: keydown of a team's key (1-9, as many as there are teams) sends
// local_buzz {team} (host session, arrival order). Shows the race like the projector, with large
// host buttons for a lone host and the console's shortcuts: N next, A arm, C correct, W wrong,
// S skip.
import { t, onLangChange } from "./i18n.js";
import {
  h, pageData, connectArena, ServerClock, PauseTracker, everyTick, toast, errorText, ignoredText,
  soundToggle, teamName,
} from "./common.js";
import { createStage, publicView } from "./stage.js";
import { renderStandings } from "./standings.js";

const data = pageData();
const keys = Array.isArray(data.keys) ? data.keys : [];
const byKey = new Map(keys.map((k) => [String(k.key).toLowerCase(), k]));
const clock = new ServerClock();
const pause = new PauseTracker();
const stage = createStage(document.getElementById("stage"), { clock, pause, sounds: true });
document.getElementById("sound-slot").append(soundToggle());
let view = null;

const conn = connectArena({
  auth: { role: "host", contest: data.code },
  clock,
  onSnapshot(msg) { pause.observe(msg.view, null, msg.server_ms); render(msg.view, null); },
  onUpdate(msg) { pause.observe(msg.view, msg.events, msg.server_ms); render(msg.view, msg.events); },
  onRefused(error) {
    const box = document.getElementById("refused");
    box.textContent = errorText(error);
    box.hidden = false;
  },
});

function keyBox(team) {
  return document.querySelector(`.local-key[data-team="${CSS.escape(team)}"]`);
}

function render(v, events) {
  view = v;
  const shown = publicView(v);
  stage.render(shown, events);
  // This page runs as the host, whose standings never freeze: hide them while frozen.
  const box = document.getElementById("standings");
  box.hidden = !!v.standings_frozen;
  document.getElementById("frozen-note").hidden = !v.standings_frozen;
  if (!v.standings_frozen) renderStandings(box, shown.standings, { bars: true, fouls: true, compact: true });
  const play = v.question;
  // Once the question closes its race is history: the keys go back to neutral for the next one.
  const race = play && play.step !== "closed" ? play.race : null;
  for (const k of keys) {
    const box = keyBox(k.team);
    if (!box) continue;
    const state = box.querySelector(".local-key-state");
    let s = "";
    let cls = "";
    if ((v.round && (v.round.barred || []).includes(k.team))) { s = t("play.barred"); cls = "is-barred"; }
    else if (play && (play.locked || []).includes(k.team)) { s = t("play.locked"); cls = "is-locked"; }
    else if (race && race.winner === k.team) { s = "★"; cls = "is-winner"; }
    else if (race && (race.ranking || []).some((r) => r.team === k.team)) {
      const r = race.ranking.find((x) => x.team === k.team);
      s = `+${r.margin_ms} ms`; cls = "is-trail";
    } else if (play && (play.tried || []).includes(k.team)) { s = t("play.tried"); cls = "is-tried"; }
    state.textContent = s;
    box.className = `local-key ${cls}`;
  }
  updateControls();
}

async function send(kind, payload) {
  const ack = await conn.send(kind, payload);
  if (!ack.ok) toast(errorText(ack));
  else if (ack.ignored && ack.ignored !== "already_buzzed") toast(ignoredText(ack.ignored), "info", 2500);
  return ack;
}

window.addEventListener("keydown", (event) => {
  if (event.repeat || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target && event.target.closest("input, textarea, select")) return;
  const key = event.key.toLowerCase();
  const k = byKey.get(key);
  if (!k) {
    hostKey(event, key);
    return;
  }
  event.preventDefault();
  const box = keyBox(k.team);
  if (box) box.animate([{ transform: "scale(1.08)", background: "#ffd54a" }, { transform: "none" }], { duration: 400 });
  send("local_buzz", { team: k.team });
});

// A few host buttons, so one person can run a buzzer round from this laptop.
const controls = document.getElementById("local-controls");
const btn = (label, shortcut, onClick, cls = "") => {
  const el = h(`button.btn.local-btn${cls ? "." + cls : ""}`, { type: "button", dataset: { shortcut } },
    h("kbd", shortcut.toUpperCase()), h("span", label));
  el.addEventListener("click", onClick);
  el.addEventListener("keydown", (e) => { if (byKey.has(e.key.toLowerCase())) e.preventDefault(); });
  return el;
};
function judgeTarget() {
  const play = view && view.question;
  if (!play) return null;
  const open = (play.answering || []).filter((id) => !(play.tried || []).includes(id));
  return open[0] || (play.race && play.race.winner) || null;
}
function buildControls() {
  controls.replaceChildren(
    btn(t("host.cmd.OpenQuestion"), "n", () => send("command", { type: "OpenQuestion" })),
    btn(t("host.cmd.ArmBuzzers") + " 3-2-1", "a", () => send("command", { type: "ArmBuzzers", countdown_ms: 3000 }), "btn-go"),
    btn("✓", "c", () => { const team = judgeTarget(); if (team) send("command", { type: "Judge", team, correct: true }); }, "btn-right"),
    btn("✗", "w", () => { const team = judgeTarget(); if (team) send("command", { type: "Judge", team, correct: false }); }, "btn-wrong"),
    btn(t("host.cmd.SkipQuestion"), "s", () => { if (confirm(t("host.confirm.SkipQuestion"))) send("command", { type: "SkipQuestion" }); }),
  );
  updateControls();
}

/** The console's shortcuts (host.js KEYS) on this page: press the button when it is enabled. */
function hostKey(event, key) {
  const el = controls.querySelector(`button[data-shortcut="${CSS.escape(key)}"]`);
  if (!el) return;
  event.preventDefault();
  if (el.disabled) {
    el.animate([{ transform: "translateX(-4px)" }, { transform: "translateX(4px)" }, { transform: "none" }], { duration: 180 });
    return;
  }
  el.animate([{ boxShadow: "0 0 0 6px rgba(255,200,0,.8)" }, { boxShadow: "0 0 0 0 transparent" }], { duration: 500 });
  el.click();
}
function updateControls() {
  const [open, arm, right, wrong, skip] = controls.children;
  if (!open) return;
  // What the host may do comes from the core (the host view's `legal`), never from a copy here.
  const legal = (view && view.legal) || {};
  const target = judgeTarget();
  open.disabled = !(legal.OpenQuestion && legal.OpenQuestion.default);
  arm.disabled = !(legal.ArmBuzzers && legal.ArmBuzzers.ok);
  right.disabled = wrong.disabled = !(target && legal.Judge && legal.Judge.teams.includes(target));
  right.title = wrong.title = target ? teamName(view, target) : "";
  skip.disabled = !(legal.SkipQuestion && legal.SkipQuestion.ok);
}

buildControls();
everyTick(() => stage.tick());
onLangChange(() => { buildControls(); if (view) render(view, null); });
