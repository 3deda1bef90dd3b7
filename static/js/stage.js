// The stage of the projector (also used by the one-laptop page and the audience page): the
// question and its options, the countdown from the view's deadlines on the server clock, the
// 3-2-1 arming countdown, the buzz result with each team's margin, rapid-fire lanes, the arena
// duel, the risk turn, and big transient flashes for fouls and judgements.

import {
  h, keyed, localize, questionTextNodes, teamName, signed, roundLabel, stepOf, sound,
  secondsText, LETTERS, isLoopbackUrl,
} from "./common.js";
import { t, label, getLang } from "./i18n.js";

const SECRET_FIELDS = ["answer", "answer_indices", "explanation", "source"];

function hideAnswer(question) {
  const copy = { ...question, revealed: false, translations: {} };
  for (const field of SECRET_FIELDS) delete copy[field];
  for (const [language, tr] of Object.entries(question.translations || {})) {
    copy.translations[language] = { text: tr.text, options: tr.options };
  }
  return copy;
}

/**
 * The host's view as the room may see it (the one-laptop page runs as the host but is seen by
 * everyone): answers only once the question is really revealed, no evidence, no submissions.
 */
export function publicView(view) {
  const out = { ...view };
  const play = view.question;
  if (play) {
    const shown = play.step === "closed" && play.outcome !== "skipped";
    out.question = { ...play, question: shown ? play.question : hideAnswer(play.question), submissions: undefined };
    if (play.race) out.question.race = { ...play.race, evidence: undefined };
  }
  const rapid = view.round && view.round.rapid;
  if (rapid) {
    const allClosed = (rapid.lanes || []).every((lane) => lane.closed);
    out.round = {
      ...view.round,
      rapid: {
        ...rapid,
        lanes: (rapid.lanes || []).map((lane) => (lane.question && !allClosed
          ? { ...lane, question: hideAnswer(lane.question) } : lane)),
      },
    };
  }
  return out;
}

/** What the stage needs to know about the race right now (server clock). */
export function raceInfo(view, clock) {
  const play = view && view.question;
  const race = play && play.race;
  if (!play || play.style !== "race" || !race) return null;
  const now = clock.now();
  const countdown = !race.winner && (play.step === "armed") && race.armed_at > now
    ? race.armed_at - now : 0;
  return { play, race, countdown, open: !race.winner && ["armed", "collecting"].includes(play.step) };
}

/** The buzz result: "X 抢到！" and "Y +35 ms, Z +120 ms" from race.ranking margins. */
export function raceResultNodes(view, race, { compact = false } = {}) {
  if (!race || !race.winner) return null;
  const ranking = race.ranking || [];
  const trailing = ranking.filter((r) => r.team !== race.winner);
  const winnerEntry = ranking.find((r) => r.team === race.winner);
  return h(`div.race-result${compact ? ".compact" : ""}`,
    h("div.race-winner",
      h("span.race-winner-name", teamName(view, race.winner)),
      h("span.race-winner-word", t("race.first", { team: "" }).trim())),
    winnerEntry && winnerEntry.reaction_ms != null
      ? h("div.race-reaction", t("race.reaction", { ms: winnerEntry.reaction_ms })) : null,
    trailing.length
      ? h("ol.race-trail", trailing.map((r) =>
        h("li", h("span.trail-team", teamName(view, r.team)), h("span.trail-ms", `+${r.margin_ms} ms`))))
      : null);
}

function optionList(lq, { highlight = [], classPrefix = "opt" } = {}) {
  if (lq.type === "fill") return null;
  const showAnswer = lq.answerIndices && lq.answerIndices.length && lq.revealed;
  const correct = new Set(showAnswer ? lq.answerIndices : []);
  let tfCorrect = null;
  if (lq.type === "truefalse" && lq.revealed && lq.answerText) {
    tfCorrect = lq.answerText === t("tf.true.long") ? 0 : 1;
  }
  const opts = lq.options || [];
  const grid = h(`div.${classPrefix}-grid`, {
    class: opts.length > 4 || opts.some((o) => String(o).length > 18) ? `${classPrefix}-grid-1col` : "",
  });
  opts.forEach((text, i) => {
    const isRight = correct.has(i) || tfCorrect === i;
    const order = lq.type === "order" && showAnswer ? lq.answerIndices.indexOf(i) : -1;
    grid.append(h(`div.${classPrefix}`, {
      class: [isRight ? "is-right" : "", lq.revealed && !isRight && lq.type !== "order" ? "is-dim" : "",
        highlight.includes(i) ? "is-picked" : ""].join(" "),
    },
    h(`span.${classPrefix}-letter`, lq.type === "truefalse" ? (i === 0 ? "✓" : "✗") : LETTERS[i]),
    h(`span.${classPrefix}-text`,
      h("span", String(text)),
      lq.boOptions && lq.boOptions[i] ? h("span.bo.opt-bo", { lang: "bo" }, lq.boOptions[i]) : null),
    order >= 0 ? h(`span.${classPrefix}-order`, String(order + 1)) : null));
  });
  return grid;
}

/** A team in the lobby, with who has joined it when the page knows (the projector does). */
function lobbyTeam(team, members) {
  const names = members ? members.get(team.id) : null;
  if (!names) return h("span.lobby-team", team.name);
  return h("div.lobby-team.with-members", { dataset: { team: team.id } },
    h("strong.lobby-team-name", `${team.name} (${names.length})`),
    h(`span.lobby-names${names.length ? "" : ".is-empty"}`, names.length ? names.join("、") : t("screen.nobody_yet")));
}

/**
 * Build a stage in `root`. options: {clock, pause, sounds: bool, lobby: {code, joinUrl, qr,
 * members?: () => Map(team id -> [names])}, role}. Returns {render(view, events), tick()}.
 */
export function createStage(root, { clock, pause, sounds = false, lobby = null, compact = false } = {}) {
  root.classList.add("stage");
  if (compact) root.classList.add("stage-compact");
  const head = h("div.stage-head");
  const timer = h("div.stage-timer", { hidden: true }, h("span.timer-num"), h("span.timer-label"));
  const body = h("div.stage-body");
  const race = h("div.stage-race");
  const status = h("div.stage-status");
  const countdown = h("div.stage-countdown", { hidden: true });
  const flash = h("div.stage-flash", { "aria-live": "polite" });
  const pausedOverlay = h("div.stage-paused", { hidden: true, role: "alert" },
    h("span.stage-paused-title"), h("div.stage-paused-hint"));
  root.replaceChildren(h("div.stage-top", head, timer), body, race, status, countdown, flash, pausedOverlay);

  let view = null;
  let lastCountdown = null;
  let lastLow = null;
  let goneFor = null;
  let goTimer = null;
  let armTimer = null;
  let judged = { id: null, list: [] };

  function render(next, events = null) {
    view = next;
    const play = view.question;
    const round = view.round;
    const lang = getLang();
    if (play && judged.id !== play.question.id) judged = { id: play.question.id, list: [] };
    for (const ev of events || []) {
      if (ev.kind === "AnswerJudged" && play && ev.question_id === play.question.id) {
        judged.list = judged.list.filter((j) => j.team !== ev.team)
          .concat([{ team: ev.team, correct: ev.correct, delta: ev.delta, by: ev.by }]);
      } else if (ev.kind === "JudgementUndone") {
        judged.list = judged.list.filter((j) => j.team !== ev.team);
      }
    }

    // Head: round, step, question type, value, questions left.
    keyed(head, JSON.stringify([lang, view.phase, round && round.name, round && round.questions_left, round && round.arena,
      play && play.step, play && play.value, play && play.question.type, play && play.question.difficulty,
      view.standings_frozen]), () => {
      const items = [];
      if (round) {
        items.push(h("span.badge.badge-round", roundLabel(round)));
        if (play) {
          items.push(h("span.badge", label("type", play.question.type)));
          items.push(h("span.badge.badge-value", t("w.pts", { n: play.value })));
          if (play.deduction && play.step !== "closed") {
            items.push(h("span.badge.badge-deduct", `${t("w.deduction")} ${play.deduction}`));
          }
          items.push(h(`span.badge.badge-step.step-${play.step}`, label("step", play.step)));
        }
        if (typeof round.questions_left === "number" && !["risk", "rapid"].includes(round.kind)) {
          items.push(h("span.badge.badge-left", t("w.left", { n: round.questions_left })));
        }
      } else {
        items.push(h("span.badge.badge-round", label("phase", view.phase)));
      }
      if (round && round.arena && play && !round.arena.champion) {
        const a = round.arena;
        const pts = a.duel_points || {};
        items.push(h("span.badge.badge-duel", `${t("w.defender")} ${teamName(view, a.defender)} ${pts[a.defender] ?? 0} : ${a.challenger ? pts[a.challenger] ?? 0 : "-"} ${a.challenger ? teamName(view, a.challenger) : ""}`));
      }
      if (view.standings_frozen) items.push(h("span.badge.badge-frozen", "❄ " + t("w.frozen")));
      return items;
    });

    // Body: lobby, question, rapid lanes, arena, risk, or a waiting line.
    const rapid = round && round.rapid;
    const bodyKey = JSON.stringify([lang, view.phase, play && play.question.id, play && play.question.revealed,
      play && play.question.answer_indices, rapid, round && round.arena, round && round.tiers,
      round && round.turn, view.podium, lobby && view.teams, lobby && lobby.members && [...(lobby.members() || [])]]);
    keyed(body, bodyKey, () => buildBody(view));

    paintRace();

    // Status line: who is on turn / whose answer.
    keyed(status, JSON.stringify([lang, play && play.step, play && play.outcome, round && round.turn,
      play && play.passed_by, judged]), () => buildStatus(view));

    // Paused: the whole stage says so, in the page's language.
    pausedOverlay.hidden = !view.paused;
    root.classList.toggle("is-paused", !!view.paused);
    pausedOverlay.firstChild.textContent = `‖ ${t("play.paused.title")}`;
    pausedOverlay.lastChild.textContent = t("play.paused.hint");
    if (events) showFlashes(events);
    fit();
    tick();
  }

  /** The race strip (who buzzed, or the open buzzers once the 3-2-1 is over) and who answers. */
  function paintRace() {
    const play = view.question;
    const info = raceInfo(view, clock);
    keyed(race, JSON.stringify([getLang(), play && play.step, info && info.race, info && info.countdown > 0,
      play && play.answering, play && play.tried, play && play.locked, play && play.outcome, play && play.submitted]),
    () => buildRace(view, info));
  }

  /** Shrink the stage's content step by step until it fits (the question stays at 4vw+). */
  function fit() {
    const levels = ["fit-1", "fit-2", "fit-3", "fit-4", "fit-5", "fit-6", "fit-7", "fit-8"];
    root.classList.remove(...levels);
    for (const level of levels) {
      if (body.scrollHeight <= body.clientHeight + 2) break;
      root.classList.add(level);
    }
  }
  window.addEventListener("resize", () => fit());

  function buildBody(v) {
    const play = v.question;
    const round = v.round;
    if (v.phase === "lobby" && lobby) {
      // With team codes the public code only watches: members scan their own team's QR (from
      // the host), so the projector's QR leads the hall to the audience page instead.
      const byTeam = lobby.joinMode === "team_code";
      const code = encodeURIComponent(lobby.code);
      const url = byTeam ? lobby.watchUrl : lobby.joinUrl;
      return h("div.lobby",
        h("div.lobby-qr", h("img", {
          src: byTeam ? `/qr/watch/${code}.svg` : `/qr/${code}.svg`,
          alt: t(byTeam ? "screen.watch_qr" : "screen.join_qr"),
        })),
        h("div.lobby-info",
          h("div.lobby-join", t(byTeam ? "screen.join_team" : "screen.join")),
          h("div.lobby-code", lobby.code),
          byTeam ? h("div.lobby-watch", t("screen.watch")) : null,
          h("div.lobby-url", url || ""),
          isLoopbackUrl(url) ? h("div.lobby-warn", t("host.loopback")) : null,
          h("div.lobby-teams", (v.teams || []).map((team) => lobbyTeam(team, lobby.members && lobby.members())))));
    }
    if (v.phase === "lobby" || v.phase === "blank") {
      return h("div.stage-idle", h("div.idle-big", t("screen.waiting")));
    }
    if (round && round.rapid && round.rapid.lanes && round.rapid.lanes.length) {
      return buildRapid(v, round.rapid);
    }
    if (play) {
      const lq = localize(play.question);
      const picks = [];
      return h("div.qcard", { class: `qtype-${lq.type}` },
        h("div.q-main", questionTextNodes(lq, "q-text")),
        optionList(lq, { highlight: picks }),
        lq.revealed && lq.answerText
          ? h("div.q-reveal",
            h("div.q-answer", h("span.q-answer-label", t("w.answer")), h("span.q-answer-text", lq.answerText)),
            lq.explanation ? h("div.q-expl", lq.explanation) : null)
          : null,
        null);
    }
    if (round && round.arena) return buildArena(v, round.arena, false);
    if (round && round.kind === "risk") return buildRisk(v, round);
    if (v.phase === "round") {
      return h("div.stage-idle", h("div.idle-big", t("screen.next")),
        round ? h("div.idle-sub", roundLabel(round)) : null);
    }
    if (v.phase === "between_rounds") return h("div.stage-idle", h("div.idle-big", t("screen.between")));
    if (v.phase === "finished") return h("div.stage-idle", h("div.idle-big", t("screen.finished")));
    return h("div.stage-idle");
  }

  function buildRapid(v, rapid) {
    return h("div.rapid",
      h("div.rapid-lanes", rapid.lanes.map((lane) => {
        const lq = lane.question ? localize(lane.question) : null;
        return h("div.lane", { class: lane.closed ? "is-closed" : "", dataset: { ends: String(lane.ends_at) } },
          h("div.lane-head",
            h("span.lane-team", teamName(v, lane.team)),
            h("span.lane-score", t("screen.correct_n", { n: lane.correct })),
            h("span.lane-timer", { dataset: { deadline: String(lane.ends_at) } }, lane.closed ? t("screen.lane_closed") : "")),
          lq && !lane.closed ? h("div.lane-q", questionTextNodes(lq, "lane-text"), optionList(lq, { classPrefix: "lopt" })) : null);
      })));
  }

  function buildArena(v, arena, small) {
    const points = arena.duel_points || {};
    const side = (team, role) => h(`div.duel-side.${role}`,
      h("div.duel-role", t(role === "def" ? "w.defender" : "w.challenger")),
      h("div.duel-team", teamName(v, team)),
      h("div.duel-points", String(points[team] ?? 0)));
    return h(`div.arena${small ? ".arena-small" : ""}`,
      arena.champion
        ? h("div.arena-champion", t("flash.arena_won", { team: teamName(v, arena.champion) }))
        : h("div.duel", side(arena.defender, "def"), h("div.duel-vs", "VS"),
          arena.challenger ? side(arena.challenger, "chal") : null),
      !small && (arena.challengers || []).length
        ? h("div.arena-queue", (arena.challengers || []).map((id) => h("span.chip", teamName(v, id)))) : null,
      !small && (arena.fallen || []).length
        ? h("div.arena-fallen", (arena.fallen || []).map((id) => h("span.chip.is-out", teamName(v, id)))) : null);
  }

  function buildRisk(v, round) {
    const turn = round.turn;
    return h("div.risk",
      turn ? h("div.risk-turn", t("screen.risk_choose", { team: teamName(v, turn) })) : null,
      h("div.risk-tiers", (round.tiers || []).map((tier) =>
        h("div.tier", { class: tier.left ? "" : "is-empty" },
          h("div.tier-points", String(tier.points)),
          h("div.tier-left", t("w.left", { n: tier.left }))))));
  }

  function buildRace(v, info) {
    const play = v.question;
    if (!play) return [];
    if (info) {
      // "X 抢到！" belongs to the answer that follows; once the question closes it is stale.
      if (info.race.winner) return play.step === "closed" ? [] : raceResultNodes(v, info.race, { compact });
      // During the 3-2-1 the buzzers are not open yet: 抢答！ shows at armed_at, not before.
      if (info.open && info.countdown > 0) return h("div.race-open.is-countdown", t("race.countdown"));
      if (info.open) {
        return h("div.race-open", { class: play.step === "collecting" ? "is-collecting" : "" },
          play.step === "collecting" ? t("race.collecting") : t("race.go"));
      }
    }
    if (play.style === "race" && play.step === "reading") {
      const out = [...(play.locked || []), ...(play.tried || [])];
      return out.length
        ? h("div.race-note", `${t("play.buzz.ready")} · ${t("host.locked", { teams: out.map((x) => teamName(v, x)).join("、") })}`)
        : null;
    }
    if (play.style === "parallel" && play.step !== "closed") {
      return h("div.race-note", t("screen.submitted", { n: (play.submitted || []).length, m: (play.answering || []).length }));
    }
    return [];
  }

  function buildStatus(v) {
    const play = v.question;
    const round = v.round;
    if (play && play.step === "closed" && play.style === "parallel" && judged.list.length) {
      return h("div.judged-list", judged.list.map((j) => h(`span.judged.${j.correct ? "is-right" : "is-wrong"}`,
        h("span.judged-team", teamName(v, j.team)), h("span.judged-mark", j.correct ? "✓" : "✗"),
        j.delta ? h("span.judged-delta", signed(j.delta)) : null)));
    }
    if (play && play.step === "closed" && play.outcome) {
      // A wrong outcome whose last judgement was the clock is a timeout, not a wrong answer.
      const last = judged.list[judged.list.length - 1];
      const outcome = play.outcome === "wrong" && last && last.by === "timeout" ? "timeout" : play.outcome;
      return h(`div.status-line.outcome-${String(outcome).replace(/\s+/g, "-")}`, label("outcome", outcome));
    }
    if (play && play.style !== "parallel" && (play.answering || []).length && ["reading", "answering", "judging"].includes(play.step)) {
      const who = play.answering.map((id) => teamName(v, id)).join("、");
      return h("div.status-line.answering", h("span.answering-team", who),
        h("span", play.step === "judging" ? label("step", "judging") : label("step", "answering")));
    }
    if (round && round.kind === "compulsory" && round.turn && !play) {
      return h("div.status-line", t("w.turn", { team: teamName(v, round.turn) }));
    }
    return [];
  }

  function showFlashes(events) {
    batch = [];
    for (const ev of events) {
      const name = (id) => teamName(view, id);
      switch (ev.kind) {
        case "FoulCommitted":
          flashMessage(t("flash.foul", { team: name(ev.team), delta: signed(-ev.penalty) }), "foul");
          if (sounds) sound.foul();
          break;
        case "TeamBarred":
          flashMessage(t("flash.barred", { team: name(ev.team) }), "foul");
          break;
        case "BuzzRaceDecided":
          if (sounds) sound.buzz();
          break;
        case "AnswerJudged": {
          if (view.question && view.question.style === "parallel") break;
          const key = ev.correct ? "flash.correct" : ev.by === "timeout" ? "flash.timeout" : "flash.wrong";
          flashMessage(t(key, { team: name(ev.team), delta: ev.delta ? signed(ev.delta) : "" }), ev.correct ? "right" : "wrongans");
          if (sounds) (ev.correct ? sound.correct() : sound.wrong());
          break;
        }
        case "QuestionRebounded":
          flashMessage(t("flash.rebound"), "info");
          break;
        case "QuestionReplaced":
          flashMessage(t("flash.replaced"), "info");
          break;
        case "QuestionSkipped":
          flashMessage(t("flash.skipped"), "info");
          break;
        case "JudgementUndone":
          flashMessage(t("flash.undo", { team: name(ev.team) }), "info");
          break;
        case "ScoreChanged":
          if (ev.reason === "adjustment") {
            flashMessage(t("flash.adjust", { team: name(ev.team), delta: signed(ev.delta), note: ev.note }), "info");
          }
          break;
        case "DuelStarted":
          flashMessage(t("flash.duel", { a: name(ev.defender), b: name(ev.challenger) }), "info");
          break;
        case "DuelEnded":
          flashMessage(t("flash.duel_end", { winner: name(ev.winner), loser: name(ev.loser), p: (ev.points || []).join(" : ") }), "right");
          break;
        case "ArenaWon":
          flashMessage(t("flash.arena_won", { team: name(ev.team) }), "right");
          break;
        case "TierChosen":
          flashMessage(t("flash.tier", { team: name(ev.team), points: ev.points }), "info");
          break;
        case "TurnPassed":
          if (view.round && view.round.kind === "risk") flashMessage(t("flash.passed", { team: name(ev.team) }), "info");
          break;
        case "ArenaPassUsed":
          flashMessage(t("flash.arena_pass", { team: name(ev.team), to: name(ev.to_team) }), "info");
          break;
        default:
          break;
      }
    }
    if (batch.length) {
      flash.replaceChildren();
      for (const [text, kind] of batch) flashMessage(text, kind, true);
    }
    batch = null;
  }

  let batch = null;

  /** A big transient message over the stage; one update's messages stack, a newer update replaces them. */
  function flashMessage(text, kind, now = false) {
    if (batch && !now) {
      batch.push([text, kind]);
      return;
    }
    const item = h(`div.flash.flash-${kind}`, text);
    flash.append(item);
    item.animate([
      { opacity: 0, transform: "scale(.7)" },
      { opacity: 1, transform: "scale(1.04)", offset: 0.12 },
      { opacity: 1, transform: "scale(1)", offset: 0.85 },
      { opacity: 0, transform: "scale(1)" },
    ], { duration: 3200, easing: "ease-out" }).onfinish = () => item.remove();
  }

  function tick() {
    if (!view) return;
    const play = view.question;
    const info = raceInfo(view, clock);
    paintRace();

    // 3-2-1 before the buzzers arm, then "抢答!" once when they do: at armed_at on this device's
    // clock to the millisecond (a timer), not at the next 100 ms tick, so every page agrees.
    clearTimeout(armTimer);
    if (info && info.countdown > 0 && !view.paused) {
      armTimer = setTimeout(tick, Math.ceil(info.countdown));
      const n = Math.ceil(info.countdown / 1000);
      countdown.hidden = false;
      countdown.classList.remove("is-go");
      countdown.textContent = String(n);
      if (n !== lastCountdown) {
        countdown.animate([{ transform: "scale(1.6)", opacity: 0.2 }, { transform: "scale(1)", opacity: 1 }],
          { duration: 350, easing: "ease-out" });
        if (sounds) sound.tick();
      }
      lastCountdown = n;
    } else {
      lastCountdown = null;
      const armedAt = info && info.open ? info.race.armed_at : null;
      if (armedAt !== null && armedAt !== goneFor && !view.paused) {
        goneFor = armedAt;
        if (clock.now() - armedAt < 1500) {
          if (sounds) sound.go();
          countdown.hidden = false;
          countdown.textContent = t("race.go");
          countdown.classList.add("is-go");
          clearTimeout(goTimer);
          goTimer = setTimeout(() => { countdown.hidden = true; countdown.classList.remove("is-go"); }, 900);
        }
      } else if (!countdown.classList.contains("is-go")) {
        countdown.hidden = true;
      }
    }

    // The running deadline: answer window, buzz window, or the earliest open rapid lane.
    let deadline = play && play.step !== "closed" ? play.deadline : null;
    if (info && info.countdown > 0) deadline = null;
    const rapid = view.round && view.round.rapid;
    if (!play && rapid) {
      const open = (rapid.lanes || []).filter((l) => !l.closed).map((l) => l.ends_at);
      deadline = open.length ? Math.min(...open) : null;
    }
    const remaining = pause.remaining(deadline, clock);
    const wasHidden = timer.hidden;
    if (remaining === null && !(view.paused && deadline != null)) {
      timer.hidden = true;
      lastLow = null;
    } else {
      timer.hidden = false;
      const num = timer.querySelector(".timer-num");
      num.textContent = remaining === null ? "‖" : secondsText(remaining);
      const low = remaining !== null && remaining <= 5000 && remaining > 0;
      timer.classList.toggle("is-low", low);
      timer.classList.toggle("is-out", remaining === 0);
      timer.querySelector(".timer-label").textContent = view.paused ? t("w.paused")
        : play && play.step === "armed" || play && play.step === "collecting" ? label("step", "armed")
          : play ? label("step", play.step) : t("screen.rapid");
      const s = remaining === null ? null : Math.ceil(remaining / 1000);
      if (sounds && low && s !== lastLow && !view.paused) sound.timeLow();
      lastLow = s;
    }
    if (wasHidden !== timer.hidden) fit();
    for (const el of root.querySelectorAll("[data-deadline]")) {
      const ends = Number(el.dataset.deadline);
      if (el.closest(".lane")?.classList.contains("is-closed")) continue;
      const left = pause.remaining(ends, clock);
      el.textContent = left === null ? "‖" : `${secondsText(left)} s`;
    }
  }

  return { render, tick, flash: flashMessage };
}

export { stepOf };
