// The audience page: big live standings, the current question and the buzz result.
import { t, label, onLangChange } from "./i18n.js";
import { pageData, connectArena, ServerClock, PauseTracker, everyTick, errorText, roundLabel } from "./common.js";
import { createStage } from "./stage.js";
import { renderStandings, renderPodium } from "./standings.js";
import { tieRuleText, showReopened, showTiebreak } from "./watchlib.js";

const data = pageData();
const clock = new ServerClock();
const pause = new PauseTracker();
const stage = createStage(document.getElementById("stage"), {
  clock, pause, compact: true,
  lobby: { code: data.code, joinUrl: `${location.origin}/join/${data.code}` },
});
// Below the standings: why none show after the end (until the podium), what a tie-break decided.
const sealedNote = document.createElement("p");
sealedNote.className = "sealed-note";
sealedNote.hidden = true;
const tiebreakBox = document.createElement("div");
tiebreakBox.className = "tiebreak-note";
tiebreakBox.hidden = true;
document.getElementById("standings").after(sealedNote, tiebreakBox);
let view = null;

function render(v, events) {
  view = v;
  document.getElementById("watch-round").textContent = v.round ? roundLabel(v.round) : label("phase", v.phase);
  const podium = document.getElementById("podium");
  podium.hidden = !v.podium;
  if (v.podium) renderPodium(podium, v);
  const showStage = v.phase === "round" || v.phase === "lobby";
  document.getElementById("stage").hidden = !showStage;
  document.getElementById("watch").classList.toggle("no-stage", !showStage);
  if (showStage) stage.render(v, events);
  renderStandings(document.getElementById("standings"), v.standings, { bars: true, fouls: true });
  sealedNote.hidden = !v.ranking_sealed;
  sealedNote.textContent = t("w.sealed");
  showTiebreak(tiebreakBox, v.phase === "round" ? null : v);
  showReopened(document.getElementById("watch-round"), v);
  document.getElementById("watch-frozen").hidden = !v.standings_frozen;
  document.getElementById("tie-rule").textContent = tieRuleText(v);
  fitBoard();
}

/**
 * On a TV (where the board does not scroll, CSS overflow hidden) every row must show: the board's
 * type shrinks in 5% steps (--fit, down to 40%) until its content fits its height. Heights are
 * read from the layout (offsetTop/offsetHeight), not from rows sliding in by transform.
 */
function fitBoard() {
  const board = document.querySelector(".watch-board");
  board.style.removeProperty("--fit");
  if (getComputedStyle(board).overflowY !== "hidden") return;
  const needed = () => Math.max(0, ...[...board.children]
    .filter((child) => child.offsetParent === board)
    .map((child) => child.offsetTop + child.offsetHeight));
  for (let percent = 95; needed() > board.clientHeight && percent >= 40; percent -= 5) {
    board.style.setProperty("--fit", String(percent / 100));
  }
}

connectArena({
  auth: { role: "audience", contest: data.code },
  clock,
  onSnapshot(msg) { pause.observe(msg.view, null, msg.server_ms); render(msg.view, null); },
  onUpdate(msg) { pause.observe(msg.view, msg.events, msg.server_ms); render(msg.view, msg.events); },
  onRefused(error) {
    const box = document.getElementById("refused");
    box.textContent = errorText(error);
    box.hidden = false;
  },
});
everyTick(() => stage.tick());
onLangChange(() => { if (view) render(view, null); });
addEventListener("resize", () => { if (view) fitBoard(); });
