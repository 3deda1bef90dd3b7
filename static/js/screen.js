// The projector: question (no answer until revealed), countdown, the buzz result with margins,
// live standings with animated rank changes, the join QR in the lobby and the final podium.
import { t, onLangChange } from "./i18n.js";
import {
  pageData, connectArena, ServerClock, PauseTracker, everyTick, soundToggle, errorText,
} from "./common.js";
import { createStage } from "./stage.js";
import { renderStandings, renderPodium } from "./standings.js";
import { tieRuleText, showReopened, showTiebreak } from "./watchlib.js";

const data = pageData();
const clock = new ServerClock();
const pause = new PauseTracker();
const screenEl = document.getElementById("screen");
// Who has joined, by team: read with the screen's key (GET /api/contests/<code>?key=...).
let members = null;
const stage = createStage(document.getElementById("stage"), {
  clock, pause, sounds: true, lobby: {
    code: data.code, joinUrl: data.join_url, watchUrl: data.watch_url, joinMode: data.join_mode,
    members: () => members,
  },
});
document.getElementById("sound-slot").append(soundToggle());
// Under the board: why no ranking shows after the end (until the podium), and what a tie-break
// round decided. Made here so that the page's template stays as it is.
const sealedNote = document.createElement("div");
sealedNote.className = "sealed-note idle-big";
sealedNote.hidden = true;
const tiebreakBox = document.createElement("div");
tiebreakBox.className = "tiebreak-note";
tiebreakBox.hidden = true;
document.getElementById("board").after(sealedNote, tiebreakBox);
let view = null;

function layout(v) {
  if (v.phase === "finished" && v.podium) return "podium";
  if (v.phase === "between_rounds" || v.phase === "finished") return "board";
  if (v.phase === "lobby" || v.phase === "blank") return "lobby";
  return "play";
}

function render(v, events) {
  view = v;
  const mode = layout(v);
  screenEl.className = `screen mode-${mode}${v.paused ? " is-paused" : ""}`;
  const boardWrap = document.getElementById("board-wrap");
  boardWrap.hidden = !(mode === "board" || mode === "podium");
  document.getElementById("stage").hidden = mode === "board" || mode === "podium";
  const podium = document.getElementById("podium");
  const board = document.getElementById("board");
  podium.hidden = mode !== "podium";
  board.hidden = mode === "podium";
  document.getElementById("board-title").hidden = mode === "podium";
  document.getElementById("board-title").textContent =
    v.phase === "finished" ? t("screen.finished") : `${t("screen.between")} · ${t("screen.standings")}`;
  if (mode === "podium") renderPodium(podium, v);
  if (mode === "board") renderStandings(board, v.standings, { bars: true, fouls: true, limit: 16 });
  else stage.render(v, events);
  sealedNote.hidden = !v.ranking_sealed;
  sealedNote.textContent = t("w.sealed");
  showTiebreak(tiebreakBox, mode === "board" || mode === "podium" ? v : null);
  showReopened(screenEl.querySelector(".scr-head"), v);
  renderStandings(document.getElementById("standings"), v.standings, {
    bars: true, fouls: true, limit: 12, compact: (v.standings || []).length > 8,
  });
  document.getElementById("side-frozen").hidden = !v.standings_frozen;
  document.getElementById("tie-rule").textContent = tieRuleText(v);
}

connectArena({
  auth: { role: "screen", contest: data.code, key: data.key },
  clock,
  onSnapshot(msg) {
    pause.observe(msg.view, null, msg.server_ms);
    render(msg.view, null);
  },
  onUpdate(msg) {
    pause.observe(msg.view, msg.events, msg.server_ms);
    render(msg.view, msg.events);
  },
  onRefused(error) {
    const box = document.getElementById("refused");
    box.textContent = errorText(error);
    box.hidden = false;
  },
});

/** Before the first round, the lobby lists who has joined: asked again every 3 s. */
async function loadMembers() {
  if (view && view.phase !== "lobby" && view.phase !== "blank") return;
  try {
    const url = `/api/contests/${encodeURIComponent(data.code)}?key=${encodeURIComponent(data.key)}`;
    const response = await fetch(url);
    if (!response.ok) return;
    const body = await response.json();
    members = new Map((body.teams || []).map((team) => [team.id, (team.member_names || []).map((m) => m.name)]));
    if (view) render(view, null);
  } catch { /* asked again in 3 s */ }
}
loadMembers();
setInterval(loadMembers, 3000);

everyTick(() => stage.tick());
onLangChange(() => { if (view) render(view, null); });
