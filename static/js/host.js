// The host console: the question with its answer and explanation, round and phase, timer,
// a button (and a key) for every host command of docs/protocol.md, score adjustment with a
// note, the teams, the screen URL and join QR, buzz evidence, and every refusal in a toast.

import { t, label, onLangChange } from "./i18n.js";
import {
  h, keyed, pageData, connectArena, ServerClock, PauseTracker, everyTick, toast, errorText,
  localize, questionTextNodes, teamName, signed, roundLabel, secondsText, LETTERS, describeEvent,
  clockTime, isLoopbackUrl, withCsrf,
} from "./common.js";
import { renderStandings } from "./standings.js";
import { responseWords } from "./pads.js";

const data = pageData();
const clock = new ServerClock();
const pause = new PauseTracker();
let view = null;
let members = new Map();
let playerNames = new Map();
let joining = { mode: null, teams: [] };
const log = [];
const pending = new Set();

const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------------------------------------
// Sending commands

const conn = connectArena({
  auth: { role: "host", contest: data.code },
  clock,
  onSnapshot(msg) {
    pause.observe(msg.view, null, msg.server_ms);
    render(msg.view);
  },
  onUpdate(msg) {
    pause.observe(msg.view, msg.events, msg.server_ms);
    addLog(msg.events || [], msg.view);
    render(msg.view);
  },
  onNotice(msg) {
    const text = t("host.notice", { message: (msg && (msg.message || msg.code)) || "" });
    toast(text, "info", 10000);
    log.unshift({ at: clock.now(), text, kind: "notice" });
    renderLog();
  },
  onRefused(error) {
    toast(errorText(error), "error", 60000);
    if (error.code === "unauthorized") setTimeout(() => { location.href = `/login?next=${encodeURIComponent(location.pathname)}`; }, 1500);
  },
});

/** Send one host command; a refusal (code + message) shows in a toast. */
async function command(type, fields = {}) {
  const token = JSON.stringify([type, fields]);
  if (pending.has(token)) return null;
  pending.add(token);
  try {
    const ack = await conn.send("command", { type, ...fields });
    if (!ack.ok) toast(errorText(ack));
    else if (ack.ignored) toast(t("host.ignored", { reason: label("reason", ack.ignored) }), "info", 3000);
    return ack;
  } finally {
    pending.delete(token);
  }
}

// ---------------------------------------------------------------------------------------------
// What the host may do now

const NO_MOVE = { ok: false };

/** The core's answer for one host command (view.legal): `ok`, and `teams`, `default`, `tiers`
 * for the commands that have them (docs/protocol.md). The console keeps no rules of its own. */
function legal(v, name) {
  return (v && v.legal && v.legal[name]) || NO_MOVE;
}

function legalTeams(v, name) {
  return legal(v, name).teams || [];
}

/** The one team a plain 过/弃权/免答 button stands for; with several, each has its own button. */
function passTeam(v) {
  const teams = legalTeams(v, "PassQuestion");
  return teams.length === 1 ? teams[0] : null;
}

// ---------------------------------------------------------------------------------------------
// Controls (built once; enabled and labelled on every view)

const buttons = {};

function button(name, text, onClick, { key = null, cls = "" } = {}) {
  const el = h(`button.btn.cmd${cls ? "." + cls : ""}`, { type: "button", dataset: { cmd: name } },
    h("span.cmd-label", text), key ? h("kbd", key) : null);
  el.addEventListener("click", onClick);
  buttons[name] = el;
  return el;
}

/** Members change only before the first round (the server says so too: lobby_closed). */
function inLobby(v) {
  return !!v && (v.phase === "blank" || v.phase === "lobby");
}

/** The first round with a team nobody joined is a mistake more often than not: ask first. */
function startRound() {
  const empty = inLobby(view)
    ? (view.teams || []).filter((team) => {
      const m = members.get(team.id);
      return (Array.isArray(m) ? m.length : m) === 0;
    })
    : [];
  if (empty.length && !confirm(t("host.confirm.empty_teams", { teams: empty.map((team) => team.name).join("、") }))) return;
  command("StartRound");
}

/** 移除 / 移到…: a lobby change through the HTTP API, then the members list again. */
async function changeMember(player, team) {
  const url = `/api/contests/${encodeURIComponent(data.code)}/members/${encodeURIComponent(player)}`;
  try {
    const response = team
      ? await fetch(`${url}/move`, { method: "POST", headers: withCsrf({ "Content-Type": "application/json" }), body: JSON.stringify({ team }) })
      : await fetch(url, { method: "DELETE", headers: withCsrf() });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) toast(errorText(body.error || { code: "internal" }));
  } catch (error) {
    toast(errorText({ code: "network", message: String(error) }));
  }
  loadMembers();
}

function memberItem(v, team, member) {
  const others = (v.teams || []).filter((other) => other.id !== team.id);
  return h("li.lobby-member",
    h("span.member-name", member.name),
    h("button.btn.btn-sm", { type: "button", onclick: () => {
      if (confirm(t("host.member.remove.confirm", { name: member.name }))) changeMember(member.id);
    } }, t("host.member.remove")),
    h("select.btn-sm", { "aria-label": t("host.member.move.aria", { name: member.name }),
      onchange: (event) => { if (event.target.value) changeMember(member.id, event.target.value); } },
    h("option", { value: "" }, t("host.member.move")),
    others.map((other) => h("option", { value: other.id }, other.name))));
}

function confirmThen(name, fn) {
  return () => { if (confirm(t(`host.confirm.${name}`))) fn(); };
}

/** 重新开放: only with the host's reason, which the log keeps and every screen shows. */
function reopenContest() {
  const note = (prompt(t("host.reopen.why")) || "").trim();
  if (note) command("ReopenContest", { note });
}

function countdownMs() {
  const value = Number($("arm-seconds")?.value);
  return Number.isFinite(value) ? Math.max(0, Math.min(10, value)) * 1000 : 3000;
}

function arm(ms = countdownMs()) {
  return command("ArmBuzzers", { countdown_ms: Math.round(ms) });
}

function judge(correct, team) {
  const target = team || legalTeams(view, "Judge")[0];
  if (!target) { toast(t("host.judge_nobody"), "info", 2500); return null; }
  return command("Judge", { team: target, correct });
}

function openQuestion() {
  const team = $("open-team")?.value;
  return command("OpenQuestion", team ? { team } : {});
}

function replaceQuestion() {
  if (!confirm(t("host.confirm.ReplaceQuestion"))) return;
  const id = ($("replace-id")?.value || "").trim();
  command("ReplaceQuestion", id ? { question_id: id } : {});
}

function skipQuestion() {
  if (confirm(t("host.confirm.SkipQuestion"))) command("SkipQuestion");
}

function togglePause() {
  if (!view) return;
  command(view.paused ? "Resume" : "Pause");
}

function pass(team) {
  const target = team || passTeam(view);
  if (target) command("PassQuestion", { team: target });
}

function buildControls() {
  const box = $("hc-commands");
  box.replaceChildren(
    h("h3", t("host.commands")),
    h("div.cmd-group.cmd-flow",
      button("StartRound", t("host.cmd.StartRound"), startRound, { cls: "btn-primary" }),
      button("OpenQuestion", t("host.cmd.OpenQuestion"), openQuestion, { key: "N", cls: "btn-primary" }),
      h("select#open-team.cmd-select", { title: t("w.team"), "aria-label": t("w.team") }),
      button("PromptAnswer", t("host.cmd.PromptAnswer"), () => command("PromptAnswer"), { key: "Enter" }),
      button("EndRound", t("host.cmd.EndRound"), confirmThen("EndRound", () => command("EndRound")))),
    h("div.cmd-group.cmd-buzzer",
      button("ArmBuzzers", t("host.cmd.ArmBuzzers"), () => arm(), { key: "A", cls: "btn-go" }),
      h("label.arm-seconds", h("span", t("host.countdown")),
        h("input#arm-seconds", { type: "number", min: "0", max: "10", step: "1", value: "3" })),
      button("ArmNow", t("host.cmd.ArmNow"), () => arm(0))),
    h("div.cmd-group.cmd-judge",
      h("div.judge-target#judge-target"),
      button("Correct", "✓ " + t("host.cmd.Correct"), () => judge(true), { key: "C", cls: "btn-right" }),
      button("Wrong", "✗ " + t("host.cmd.Wrong"), () => judge(false), { key: "W", cls: "btn-wrong" }),
      h("div.judge-many#judge-many"),
      button("UndoJudgement", "↶ " + t("host.cmd.UndoJudgement"), () => command("UndoJudgement"), { key: "U" })),
    h("div.cmd-group.cmd-risk#cmd-risk",
      h("div.tier-title#tier-title"),
      h("div.tier-row#tier-row"),
      button("PassQuestion", t("host.cmd.PassQuestion"), () => pass())),
    h("div.cmd-group.cmd-rapid#cmd-rapid",
      h("select#window-team.cmd-select", { title: t("w.team"), "aria-label": t("w.team") }),
      button("StartWindow", t("host.cmd.StartWindow"), () => {
        const team = $("window-team").value;
        command("StartWindow", team ? { team } : {});
      }, { cls: "btn-go" })),
    h("div.cmd-group.cmd-question",
      button("SkipQuestion", t("host.cmd.SkipQuestion"), skipQuestion, { key: "S" }),
      button("ReplaceQuestion", t("host.cmd.ReplaceQuestion"), replaceQuestion, { key: "R" }),
      h("input#replace-id.replace-id", { placeholder: t("host.replace_id"), maxlength: "200" })),
    h("div.cmd-group.cmd-contest",
      button("Pause", "‖ " + t("host.cmd.Pause"), togglePause, { key: "P" }),
      button("FreezeStandings", "❄ " + t("host.cmd.FreezeStandings"),
        confirmThen("FreezeStandings", () => command("FreezeStandings"))),
      button("EndContest", t("host.cmd.EndContest"), confirmThen("EndContest", () => command("EndContest")), { cls: "btn-danger" }),
      button("RevealPodium", "★ " + t("host.cmd.RevealPodium"),
        confirmThen("RevealPodium", () => command("RevealPodium")), { cls: "btn-primary" }),
      button("ReopenContest", "↺ " + t("host.cmd.ReopenContest"), reopenContest)),
  );
}

function updateControls(v) {
  const ok = (name) => legal(v, name).ok;
  for (const [name, el] of Object.entries(buttons)) {
    let allowed = ok(name);
    if (name === "Correct" || name === "Wrong") allowed = ok("Judge");
    if (name === "ArmNow") allowed = ok("ArmBuzzers");
    if (name === "Pause") allowed = ok("Pause") || ok("Resume");
    if (name === "PassQuestion") allowed = passTeam(v) !== null;
    el.disabled = !allowed;
  }
  // Reopening undoes an announced end: offered only when the core would accept it.
  buttons.ReopenContest.hidden = !ok("ReopenContest");
  const pauseBtn = buttons.Pause.querySelector(".cmd-label");
  pauseBtn.textContent = v.paused ? "▶ " + t("host.cmd.Resume") : "‖ " + t("host.cmd.Pause");
  buttons.Pause.classList.toggle("is-paused", !!v.paused);

  const round = v.round;
  const kind = round && round.kind;
  // Group visibility by round kind.
  $("cmd-risk").hidden = kind !== "risk" && !(round && round.arena);
  $("cmd-rapid").hidden = kind !== "rapid";
  document.querySelector(".cmd-buzzer").hidden = !!round && !["buzzer", "tiebreak", "arena"].includes(kind);

  // Team override for OpenQuestion (compulsory in turn).
  const openTeam = $("open-team");
  const showOverride = kind === "compulsory" && round.mode === "turn";
  openTeam.hidden = !showOverride;
  fillTeamSelect(openTeam, v, round && round.turn ? `${t("w.turn", { team: teamName(v, round.turn) })}` : "—",
    legalTeams(v, "OpenQuestion"));

  // Rapid window team.
  const windowTeam = $("window-team");
  windowTeam.hidden = !(round && round.mode === "turn");
  fillTeamSelect(windowTeam, v, t("host.cmd.StartWindow"), legalTeams(v, "StartWindow"));
  buttons.StartWindow.querySelector(".cmd-label").textContent =
    round && round.mode === "all" ? t("host.cmd.StartWindowAll") : t("host.cmd.StartWindow");

  // Judge target.
  const targets = legalTeams(v, "Judge");
  $("judge-target").textContent = targets.length
    ? t("host.judge_for", { team: teamName(v, targets[0]) }) : t("host.judge_nobody");
  keyed($("judge-many"), JSON.stringify([targets, document.documentElement.lang]), () =>
    targets.length > 1 ? targets.map((team) => h("div.judge-line",
      h("span", teamName(v, team)),
      h("button.btn.btn-sm.btn-right", { type: "button", onclick: () => judge(true, team) }, "✓"),
      h("button.btn.btn-sm.btn-wrong", { type: "button", onclick: () => judge(false, team) }, "✗"))) : []);

  // Risk tiers for the team that chooses.
  const choosing = legal(v, "ChooseTier");
  const chooser = legalTeams(v, "ChooseTier")[0] || null;
  const choosable = chooser ? choosing.tiers[chooser] : [];
  keyed($("tier-row"), JSON.stringify([round && round.tiers, chooser, choosable]), () =>
    (round && round.tiers || []).map((tier) => h("button.btn.tier-btn", {
      type: "button",
      disabled: !choosable.includes(tier.points),
      onclick: () => command("ChooseTier", { team: chooser, points: tier.points }),
    }, `${tier.points}`, h("small", ` (${tier.left})`))));
  $("tier-title").textContent = round && round.turn && kind === "risk" ? t("host.tier_for", { team: teamName(v, round.turn) }) : "";
  const target = passTeam(v);
  buttons.PassQuestion.querySelector(".cmd-label").textContent =
    target ? `${t("host.cmd.PassQuestion")}：${teamName(v, target)}` : t("host.cmd.PassQuestion");
}

/** Offer the teams `ids` (the core's legal ones). While none is legal the options stay as they
 * were, so the host may pick the next team before the command becomes legal again. */
function fillTeamSelect(select, v, firstLabel, ids) {
  if (!ids.length && select.options.length) return;
  const key = JSON.stringify([v.teams, firstLabel, ids]);
  if (select.dataset.key === key) return;
  const previous = select.value;
  select.dataset.key = key;
  select.replaceChildren(h("option", { value: "" }, firstLabel),
    ...(v.teams || []).filter((team) => ids.includes(team.id)).map((team) => h("option", { value: team.id }, team.name)));
  if ([...select.options].some((o) => o.value === previous)) select.value = previous;
}

// ---------------------------------------------------------------------------------------------
// Rendering the view

function render(v) {
  view = v;
  renderHead(v);
  renderQuestion(v);
  renderPlay(v);
  updateControls(v);
  renderStandings($("hc-standings-list") || makeStandingsBox(), v.standings, { fouls: true });
  renderTeams(v);
  fillTeamSelect($("adjust-team"), v, "— " + t("w.team") + " —", legalTeams(v, "AdjustScore"));
  tick();
}

function makeStandingsBox() {
  const panel = $("hc-standings");
  const list = h("div#hc-standings-list");
  panel.replaceChildren(h("h3", t("host.standings"), h("span.frozen-flag#frozen-flag", { hidden: true }, " ❄ " + t("w.frozen"))), list);
  return list;
}

function renderHead(v) {
  const play = v.question;
  const round = v.round;
  keyed($("hc-state"), JSON.stringify([document.documentElement.lang, v.phase, round && round.name,
    round && round.index, play && play.step, v.paused, v.standings_frozen, round && round.questions_left]), () => [
    h(`span.badge.phase-${v.phase}`, label("phase", v.phase)),
    round ? h("span.badge.badge-round", `${round.index + 1}. ${roundLabel(round)}`) : null,
    round ? h("span.badge", label("kind", round.kind) + (round.mode ? ` · ${round.mode}` : "") + (round.fairness === "compensated" ? " · ⚖" : "")) : null,
    round && typeof round.questions_left === "number" ? h("span.badge", t("w.left", { n: round.questions_left })) : null,
    play ? h(`span.badge.badge-step.step-${play.step}`, label("step", play.step)) : (round ? h("span.badge", label("step", "idle")) : null),
    v.paused ? h("span.badge.badge-paused", "‖ " + t("w.paused")) : null,
    v.standings_frozen ? h("span.badge.badge-frozen", "❄ " + t("w.frozen")) : null,
  ]);
  const flag = $("frozen-flag");
  if (flag) flag.hidden = !v.standings_frozen;
}

/** A device answer in words ("B. 1921年", the typed text), as the pads show it. */
function responseText(q, response) {
  if (response === null || response === undefined) return "—";
  return responseWords(q, response);
}

function questionBlock(q, { compact = false } = {}) {
  const lq = localize(q);
  const right = new Set(lq.answerIndices || []);
  return h(`div.hq${compact ? ".hq-compact" : ""}`,
    h("div.hq-meta",
      h("code.hq-id", q.id), h("span.badge", label("type", q.type)),
      q.difficulty ? h("span.badge", `${t("w.difficulty")} ${"★".repeat(q.difficulty)}`) : null,
      (q.tags || []).slice(0, 4).map((tag) => h("span.chip.chip-light", tag))),
    h("div.hq-text", questionTextNodes(lq, "hq-q")),
    lq.type !== "fill" ? h(`ol.hq-options${lq.type === "truefalse" ? ".hq-tf" : ""}`, lq.options.map((text, i) => {
      const isRight = right.has(i) || (lq.type === "truefalse" && lq.answerText === text);
      const pos = lq.type === "order" ? (lq.answerIndices || []).indexOf(i) : -1;
      return h("li", { class: isRight ? "is-right" : "" },
        h("span.hq-letter", lq.type === "truefalse" ? (i ? "✗" : "✓") : LETTERS[i]),
        h("span", text, lq.boOptions && lq.boOptions[i] ? h("span.bo.opt-bo", { lang: "bo" }, lq.boOptions[i]) : null),
        pos >= 0 ? h("span.hq-pos", `#${pos + 1}`) : null);
    })) : null,
    h("div.hq-answer", h("span.hq-label", t("w.answer")), h("strong", lq.answerText || "—")),
    !compact && lq.explanation ? h("div.hq-expl", h("span.hq-label", t("w.explanation")), lq.explanation) : null,
    !compact && lq.source ? h("div.hq-source", h("span.hq-label", t("w.source")), lq.source) : null);
}

function renderQuestion(v) {
  const play = v.question;
  keyed($("hc-question"), JSON.stringify([document.documentElement.lang, play && play.question.id,
    play && play.value, play && play.deduction, v.round && v.round.rapid ? "rapid" : "", v.phase]), () => {
    if (!play) {
      if (v.round && v.round.rapid && (v.round.rapid.lanes || []).length) return [];
      return [h("div.hq-empty", v.phase === "round" ? t("host.no_question") : label("phase", v.phase))];
    }
    return [
      h("div.hq-top",
        h("span.badge.badge-value", t("w.pts", { n: play.value })),
        play.deduction ? h("span.badge.badge-deduct", `${t("w.deduction")} ${play.deduction}`) : null,
        h("span.badge", play.style)),
      questionBlock(play.question),
    ];
  });
}

function renderPlay(v) {
  const play = v.question;
  const round = v.round;
  const key = JSON.stringify([document.documentElement.lang, play && [play.step, play.answering, play.tried,
    play.locked, play.race, play.submissions, play.answers, play.submitted, play.outcome, play.rebounds, play.passed_by],
  round && [round.fouls, round.barred, round.rapid, round.arena, round.turn, round.order], v.clocks,
  legalTeams(v, "Judge"), legalTeams(v, "PassQuestion")]);
  keyed($("hc-play"), key, () => {
    const out = [];
    if (round) {
      const line = [];
      if (round.turn) {
        // While another team answers, round.turn already names the team of the next question.
        const now = !play || (play.step !== "closed" && (play.answering || []).includes(round.turn));
        line.push(h("span.badge.badge-turn", t(now ? "host.turn" : "host.turn.next", { team: teamName(v, round.turn) })));
      }
      const fouls = Object.entries(round.fouls || {}).filter(([, n]) => n);
      if (fouls.length) line.push(h("span.muted", `${t("host.fouls")}: ` + fouls.map(([id, n]) => `${teamName(v, id)} ×${n}`).join("，")));
      if ((round.barred || []).length) line.push(h("span.badge.badge-danger", t("host.barred", { teams: round.barred.map((id) => teamName(v, id)).join("、") })));
      if (line.length) out.push(h("div.play-line", line));
    }
    if (play) {
      const facts = [];
      if ((play.answering || []).length) facts.push(t("host.answering", { teams: play.answering.map((id) => teamName(v, id)).join("、") }));
      if ((play.tried || []).length) facts.push(t("host.tried", { teams: play.tried.map((id) => teamName(v, id)).join("、") }));
      if ((play.locked || []).length) facts.push(t("host.locked", { teams: play.locked.map((id) => teamName(v, id)).join("、") }));
      if (play.rebounds) facts.push(`${t("flash.rebound")} ×${play.rebounds}`);
      if (play.outcome) facts.push(`${t("step.closed")}: ${label("outcome", play.outcome)}`);
      if (facts.length) out.push(h("div.play-facts", facts.map((f) => h("span", f))));
      if (play.race) out.push(raceBlock(v, play));
      if ((play.submissions || []).length) out.push(submissionsBlock(v, play));
      if ((play.answers || []).length) out.push(answersBlock(v, play));
    }
    if (round && round.rapid && (round.rapid.lanes || []).length) out.push(lanesBlock(v, round.rapid));
    if (round && round.arena) out.push(arenaBlock(v, round.arena));
    return out;
  });
}

function raceBlock(v, play) {
  const race = play.race;
  const ranking = race.ranking || [];
  const evidence = race.evidence || [];
  const margins = new Map(ranking.map((r, i) => [r.team, { place: i + 1, ...r }]));
  return h("div.race-block",
    h("h3", t("host.ranking"),
      race.winner ? h("span.race-win", " " + t("race.first", { team: teamName(v, race.winner) })) : null),
    ranking.length ? h("ol.host-ranking", ranking.map((r) => h("li", { class: r.team === race.winner ? "is-winner" : "" },
      h("span", teamName(v, r.team)),
      h("span.mono", r.team === race.winner ? (r.reaction_ms != null ? t("race.reaction", { ms: r.reaction_ms }) : "") : `+${r.margin_ms} ms`)))) : null,
    evidence.length ? h("details.evidence", { open: true },
      h("summary", t("host.evidence"), ` (${evidence.length})`),
      h("div.table-wrap", { tabindex: "0" }, h("table.table.table-dense.mono-cols",
        h("thead", h("tr", h("th", "#"), h("th", t("w.team")), h("th", t("host.ev.player")), h("th", t("host.ev.at")),
          h("th", t("host.ev.claim")), h("th", t("host.ev.reaction")), h("th", t("w.rank")), h("th", t("host.ev.clock")))),
        h("tbody", evidence.map((b) => {
          const c = (v.clocks || {})[b.team];
          const m = margins.get(b.team);
          return h("tr",
            h("td", String(b.order + 1)),
            h("td", teamName(v, b.team)),
            h("td", playerNames.get(b.player) || b.player || "—"),
            h("td", `${b.at - race.armed_at >= 0 ? "+" : ""}${b.at - race.armed_at} ms`),
            h("td", b.claim_ms != null ? `${b.claim_ms} ms` : "—",
              // An impossible claim (docs/engine.md): say why, next to the claim it concerns.
              b.suspect ? h("span.ev-suspect", { "data-testid": "ev-suspect" }, ` ⚠ ${label("suspect", b.suspect)}`) : null),
            h("td", b.reaction_ms != null ? `${b.reaction_ms} ms` : "—"),
            h("td", m ? `${m.place}${m.place > 1 ? ` (+${m.margin_ms})` : ""}` : "—"),
            h("td", c ? `${Math.round(c.offset_ms)} / ±${Math.round(c.bound_ms)} / ${Math.round(c.rtt_ms)}` : "—"));
        }))))) : null);
}

function submissionsBlock(v, play) {
  return h("div.subs-block",
    h("h3", t("host.submissions"), ` (${play.submissions.length}/${(play.answering || []).length})`),
    h("table.table.table-dense",
      h("tbody", play.submissions.map((s) => h("tr",
        h("td", teamName(v, s.team)), h("td.muted", playerNames.get(s.player) || s.player || ""),
        h("td", h("strong", responseText(play.question, s.response))),
        h("td.muted.mono", clockTime(s.at)))))));
}

// What a team answered on its device when it answers alone (必答 in turn, 风险, 擂台, 抢答):
// the host sees the words, and after an undo the answer it is judging again.
function answersBlock(v, play) {
  return h("div.subs-block.answers-block",
    h("h3", t("host.answers")),
    h("table.table.table-dense",
      h("tbody", play.answers.map((a) => h("tr", { class: a.undone ? "is-undone" : "", dataset: { team: a.team } },
        h("td", teamName(v, a.team)),
        h("td", h("strong.answer-words", responseText(play.question, a.response))),
        h("td", a.undone ? t("host.answer.undone") : `${a.correct ? "✓" : "✗"} ${label("host.answer.by", a.by)}`),
        h("td.muted.mono", clockTime(a.at)))))));
}

function lanesBlock(v, rapid) {
  return h("div.lanes-block",
    h("h3", t("host.lanes")),
    (rapid.lanes || []).map((lane) => h("div.host-lane", { class: lane.closed ? "is-closed" : "" },
      h("div.host-lane-head",
        h("strong", teamName(v, lane.team)),
        h("span", t("screen.correct_n", { n: lane.correct })),
        h("span.muted", t("screen.served_n", { n: lane.served })),
        h("span.mono.lane-left", { dataset: { deadline: String(lane.ends_at) } }, lane.closed ? t("screen.lane_closed") : ""),
        !lane.closed && lane.question ? laneButtons(v, lane.team) : null),
      !lane.closed && lane.question ? questionBlock(lane.question, { compact: true }) : null)),
    (rapid.done || []).length ? h("div.muted.small", "✓ " + rapid.done.map((id) => teamName(v, id)).join("、")) : null);
}

function laneButtons(v, team) {
  const cannotJudge = !legalTeams(v, "Judge").includes(team);
  return [
    h("button.btn.btn-sm.btn-right", { type: "button", disabled: cannotJudge, onclick: () => judge(true, team) }, "✓"),
    h("button.btn.btn-sm.btn-wrong", { type: "button", disabled: cannotJudge, onclick: () => judge(false, team) }, "✗"),
    h("button.btn.btn-sm", { type: "button", disabled: !legalTeams(v, "PassQuestion").includes(team),
      onclick: () => pass(team) }, t("play.pass.rapid")),
  ];
}

function arenaBlock(v, arena) {
  const points = arena.duel_points || {};
  return h("div.arena-block",
    h("h3", t("host.arena")),
    arena.champion ? h("div.badge.badge-value", t("flash.arena_won", { team: teamName(v, arena.champion) })) : h("div.duel-line",
      h("span.badge", t("w.defender")), h("strong", teamName(v, arena.defender)), h("span.mono", ` ${points[arena.defender] ?? 0} : ${arena.challenger ? points[arena.challenger] ?? 0 : "-"} `),
      arena.challenger ? h("strong", teamName(v, arena.challenger)) : null, h("span.badge", t("w.challenger"))),
    h("div.muted.small", Object.entries(arena.passes_left || {}).map(([id, n]) => `${teamName(v, id)}: ${t("host.passes", { n })}`).join(" · ")),
    (arena.challengers || []).length ? h("div.small", "→ " + arena.challengers.map((id) => teamName(v, id)).join("、")) : null,
    (arena.fallen || []).length ? h("div.small.muted", "✗ " + arena.fallen.map((id) => teamName(v, id)).join("、")) : null);
}

async function loadMembers() {
  try {
    const response = await fetch(`/api/contests/${encodeURIComponent(data.code)}`);
    if (!response.ok) return;
    const body = await response.json();
    members = new Map((body.teams || []).map((team) => [team.id, team.member_names || team.members]));
    playerNames = new Map((body.teams || []).flatMap((team) => (team.member_names || []).map((m) => [m.id, m.name])));
    joining = { mode: body.join, teams: (body.teams || []).map(({ id, name, join_code }) => ({ id, name, join_code })) };
    renderTeamCodes();
    // Not forced: the list's key holds the members, and a forced redraw every 3 s would close
    // a 移到… menu the host has open.
    if (view) renderTeams(view);
  } catch { /* retried later */ }
}

function renderTeams(v, force = false) {
  const box = $("hc-teams");
  const key = JSON.stringify([document.documentElement.lang, v.teams, [...members], v.clocks, (v.round || {}).barred, inLobby(v)]);
  if (!force && box.dataset.key === key) return;
  box.dataset.key = key;
  box.replaceChildren(h("h3", t("host.teams")), h("ul.team-list", (v.teams || []).map((team) => {
    const m = members.get(team.id);
    const list = Array.isArray(m) ? m : null;
    const count = list ? list.length : typeof m === "number" ? m : null;
    const c = (v.clocks || {})[team.id];
    return h("li",
      h("div.team-line", h("strong", team.name), h("code.muted", team.id),
        count !== null ? h(`span.member-count${count ? "" : ".is-zero"}`, t("w.members", { n: count })) : null,
        c ? h("span.muted.small.mono", `rtt ${Math.round(c.rtt_ms)} ms`) : null),
      list && list.length && inLobby(v) ? h("ul.lobby-members.small", list.map((member) => memberItem(v, team, member))) : null,
      list && list.length && !inLobby(v) ? h("div.member-names.small", list.map((x) => (typeof x === "string" ? x : x.name || "")).join("、")) : null);
  })));
}

/** 队伍码: each team's code, link and QR, to hand to that team alone (never on the screen). */
function renderTeamCodes(force = false) {
  const box = $("hc-team-codes");
  const key = JSON.stringify([document.documentElement.lang, joining]);
  if (!force && box.dataset.key === key) return;
  box.dataset.key = key;
  if (joining.mode !== "team_code") {
    box.replaceChildren(h("h3", t("host.team_codes")), h("p.small.muted", t("host.team_codes.open")));
    return;
  }
  box.replaceChildren(
    h("h3", t("host.team_codes")),
    h("p.small.muted", t("host.team_codes.hint")),
    h("ul.team-code-list", joining.teams.map((team) => {
      const link = `${data.join_url}?team=${encodeURIComponent(team.join_code || "")}`;
      return h("li.team-code-item", { "data-team": team.id },
        h("img.qr.team-qr", {
          src: `/qr/${encodeURIComponent(data.code)}/${encodeURIComponent(team.id)}.svg?v=${encodeURIComponent(team.join_code || "")}`,
          alt: t("host.team_codes.qr", { team: team.name }), width: "96", height: "96",
        }),
        h("div",
          h("strong", team.name), " ",
          h("code.team-join-code", team.join_code || ""),
          h("div", h("a.small.join-link", { href: link, target: "_blank", rel: "noopener" }, link)),
          h("button.btn.btn-sm", {
            type: "button", "aria-label": t("host.team_codes.renew.aria", { team: team.name }),
            onclick: () => renewTeamCode(team),
          }, t("host.team_codes.renew"))));
    })),
    h("a.btn.btn-sm", { href: `/host/${encodeURIComponent(data.code)}/team-codes`, target: "_blank", rel: "noopener" },
      t("host.team_codes.print")));
}

/** 换码: a leaked team code is replaced; members already seated keep their seats. */
async function renewTeamCode(team) {
  if (!confirm(t("host.team_codes.renew.confirm", { team: team.name }))) return;
  const url = `/api/contests/${encodeURIComponent(data.code)}/teams/${encodeURIComponent(team.id)}/join_code`;
  try {
    const response = await fetch(url, { method: "POST", headers: withCsrf() });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) toast(errorText(body.error || { code: "internal" }));
    else toast(t("host.team_codes.renewed", { team: team.name, code: body.join_code }), "ok", 5000);
  } catch (error) {
    toast(errorText({ code: "network", message: String(error) }));
  }
  loadMembers();
}

// ---------------------------------------------------------------------------------------------
// The event log

function addLog(events, v) {
  for (const ev of events) {
    const text = describeEvent(ev, v);
    if (!text) continue;
    log.unshift({ at: ev.at, text, kind: ev.kind });
  }
  if (log.length > 300) log.length = 300;
  renderLog();
}

function renderLog() {
  $("log-list").replaceChildren(...log.slice(0, 120).map((entry) =>
    h(`li.log-${entry.kind}`, h("span.log-time.mono", clockTime(entry.at)), h("span", entry.text))));
}

// ---------------------------------------------------------------------------------------------
// Timer

function tick() {
  if (!view) return;
  const play = view.question;
  const timer = $("hc-timer");
  let deadline = play && play.step !== "closed" ? play.deadline : null;
  let labelText = play ? label("step", play.step) : "";
  const race = play && play.race;
  const now = clock.now();
  if (race && !race.winner && play.step === "armed" && race.armed_at > now) {
    deadline = race.armed_at;
    labelText = t("race.countdown");
  }
  const rapid = view.round && view.round.rapid;
  if (!play && rapid) {
    const ends = (rapid.lanes || []).filter((l) => !l.closed).map((l) => l.ends_at);
    deadline = ends.length ? Math.min(...ends) : null;
    labelText = t("screen.rapid");
  }
  const left = pause.remaining(deadline, clock);
  timer.hidden = deadline === null || deadline === undefined;
  timer.querySelector(".timer-num").textContent = left === null ? "‖" : secondsText(left);
  timer.querySelector(".timer-label").textContent = view.paused ? t("w.paused") : labelText;
  timer.classList.toggle("is-low", left !== null && left <= 5000);
  for (const el of document.querySelectorAll("#hc-play [data-deadline]")) {
    if (el.closest(".is-closed")) continue;
    const remaining = pause.remaining(Number(el.dataset.deadline), clock);
    el.textContent = remaining === null ? "‖" : `${secondsText(remaining)} s`;
  }
}

// ---------------------------------------------------------------------------------------------
// Keyboard shortcuts

const KEYS = {
  a: () => buttons.ArmBuzzers,
  c: () => buttons.Correct,
  w: () => buttons.Wrong,
  n: () => buttons.OpenQuestion,
  u: () => buttons.UndoJudgement,
  p: () => buttons.Pause,
  s: () => buttons.SkipQuestion,
  r: () => buttons.ReplaceQuestion,
  enter: () => buttons.PromptAnswer,
};

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
  const target = event.target;
  if (target && (target.closest("input, textarea, select, [contenteditable]"))) return;
  const key = event.key.toLowerCase();
  if (key === "enter" && target && target.closest("button, a")) return;
  const pick = KEYS[key];
  if (!pick) return;
  const el = pick();
  if (!el) return;
  event.preventDefault();
  if (el.disabled) {
    el.animate([{ transform: "translateX(-4px)" }, { transform: "translateX(4px)" }, { transform: "none" }], { duration: 180 });
    return;
  }
  el.animate([{ boxShadow: "0 0 0 6px rgba(255,200,0,.8)" }, { boxShadow: "0 0 0 0 transparent" }], { duration: 500 });
  el.click();
});

// ---------------------------------------------------------------------------------------------
// Adjust a score, links

$("hc-adjust").addEventListener("submit", async (event) => {
  event.preventDefault();
  const team = $("adjust-team").value;
  const delta = Number($("adjust-delta").value);
  const note = $("adjust-note").value.trim();
  if (!team || !Number.isInteger(delta) || !delta || !note) {
    toast(t("host.adjust.need"), "info", 3000);
    return;
  }
  const ack = await command("AdjustScore", { team, delta, note });
  if (ack && ack.ok) {
    $("adjust-delta").value = "";
    $("adjust-note").value = "";
    toast(`${teamName(view, team)} ${signed(delta)} · ${t("host.ok")}`, "ok", 2500);
  }
});

const screenUrl = `${location.origin}/screen/${encodeURIComponent(data.code)}?key=${encodeURIComponent(data.screen_key)}`;
$("screen-url").value = screenUrl;
$("open-screen").href = screenUrl;
$("copy-screen").addEventListener("click", async () => {
  try {
    await navigator.clipboard.writeText(screenUrl);
  } catch {
    $("screen-url").select();
    document.execCommand("copy");
  }
  toast(t("host.copied"), "ok", 1500);
});

if (isLoopbackUrl(data.join_url)) {
  document.querySelector(".join-box").after(h("p.warn-box", t("host.loopback")));
}

buildControls();
makeStandingsBox();
loadMembers();
setInterval(loadMembers, 3000);
everyTick(tick);
onLangChange(() => {
  buildControls();
  makeStandingsBox();
  renderLog();
  renderTeamCodes(true);
  if (view) render(view);
});
