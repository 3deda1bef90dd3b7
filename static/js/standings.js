// Live standings with FLIP-animated rank changes and score deltas, and the final podium.
// Used by the projector screen, the audience page, the one-laptop page and the host console.

import { h, fill, signed } from "./common.js";
import { t, label } from "./i18n.js";

/**
 * The rank each team is shown with: teams on equal scores that only seat order separates are
 * tied and share the better rank (并列第 1); a real tie rule (tie-break score, reached first,
 * fewer fouls) keeps the engine's distinct ranks. Returns Map team -> {rank, tied}.
 */
export function tiedRanks(standings) {
  const shown = new Map();
  let previous = null;
  for (const s of standings || []) {
    if (previous && s.tie_broken_by === "seat order") {
      const rank = shown.get(previous.team).rank;
      shown.get(previous.team).tied = true;
      shown.set(s.team, { rank, tied: true });
    } else {
      shown.set(s.team, { rank: s.rank, tied: false });
    }
    previous = s;
  }
  return shown;
}

/**
 * The tie rule that put each team above the next one on an equal score, by team: the engine
 * names the rule on the lower team (tie_broken_by), but the label belongs to the team it favoured.
 */
function tieWins(standings) {
  const wins = new Map();
  (standings || []).forEach((s, i) => {
    const below = standings[i + 1];
    if (below && below.tie_broken_by && below.tie_broken_by !== "seat order") {
      wins.set(s.team, below.tie_broken_by);
    }
  });
  return wins;
}

/**
 * Render view.standings into `container`, reusing one row per team so that a change of rank
 * slides the row from its old place to its new one (First, Last, Invert, Play).
 * options: {me: team id to highlight, limit: max rows (me always shown), bars: score bars,
 * fouls: show fouls, compact: smaller rows}
 */
export function renderStandings(container, standings, options = {}) {
  const rows = container._rows || (container._rows = new Map());
  const scores = container._scores || (container._scores = new Map());
  container.classList.add("standings");
  container.classList.toggle("standings-compact", !!options.compact);

  let list = standings || [];
  const ranks = tiedRanks(list);
  const wins = tieWins(list);
  container.classList.toggle("has-ties", [...ranks.values()].some((r) => r.tied));
  if (options.limit && list.length > options.limit) {
    const top = list.slice(0, options.limit);
    const mine = list.find((s) => s.team === options.me);
    if (mine && !top.includes(mine)) top[top.length - 1] = mine;
    list = top;
  }

  // First: where every row is now.
  const before = new Map();
  for (const [team, row] of rows) before.set(team, row.getBoundingClientRect().top);

  const values = list.map((s) => s.score);
  const high = Math.max(1, ...values);
  const low = Math.min(0, ...values);
  const seen = new Set();
  for (const s of list) {
    seen.add(s.team);
    let row = rows.get(s.team);
    if (!row) {
      row = h("div.st-row", { dataset: { team: s.team } },
        h("span.st-rank"), h("span.st-main", h("span.st-name"), h("span.st-bar", h("span.st-fill"))),
        h("span.st-fouls"), h("span.st-score"));
      rows.set(s.team, row);
    }
    row.classList.toggle("is-me", s.team === options.me);
    row.classList.toggle("is-first", (ranks.get(s.team) || s).rank === 1);
    const shown = ranks.get(s.team) || { rank: s.rank, tied: false };
    const rankEl = row.querySelector(".st-rank");
    rankEl.textContent = shown.tied ? t("w.tied", { n: shown.rank }) : String(shown.rank);
    rankEl.classList.toggle("is-tied", shown.tied);
    row.classList.toggle("is-tied", shown.tied);
    const name = row.querySelector(".st-name");
    name.textContent = s.name || s.team;
    if (wins.has(s.team)) {
      name.append(h("small.st-tie", { title: t("w.tie_rule") }, label("tie", wins.get(s.team))));
    }
    const bar = row.querySelector(".st-bar");
    bar.hidden = !options.bars;
    if (options.bars) {
      const fraction = (s.score - low) / (high - low || 1);
      row.querySelector(".st-fill").style.width = `${Math.max(2, Math.round(fraction * 100))}%`;
    }
    const fouls = row.querySelector(".st-fouls");
    fouls.textContent = options.fouls && s.fouls ? `⚠${s.fouls}` : "";
    fouls.title = t("w.fouls");
    const scoreEl = row.querySelector(".st-score");
    const previous = scores.get(s.team);
    if (previous !== undefined && previous !== s.score) {
      animateNumber(scoreEl, previous, s.score);
      popDelta(row, s.score - previous);
    } else {
      scoreEl.textContent = String(s.score);
    }
    scores.set(s.team, s.score);
  }
  for (const [team, row] of rows) {
    if (!seen.has(team)) {
      row.remove();
      rows.delete(team);
      scores.delete(team);
    }
  }

  // Last: put rows in the new order.
  list.forEach((s, index) => {
    const row = rows.get(s.team);
    if (container.children[index] !== row) container.insertBefore(row, container.children[index] || null);
  });

  // Invert and play.
  for (const [team, row] of rows) {
    const old = before.get(team);
    if (old === undefined) {
      row.animate([{ opacity: 0, transform: "translateX(-2rem)" }, { opacity: 1, transform: "none" }],
        { duration: 400, easing: "ease-out" });
      continue;
    }
    const dy = old - row.getBoundingClientRect().top;
    if (Math.abs(dy) < 1) continue;
    row.animate([{ transform: `translateY(${dy}px)` }, { transform: "translateY(0)" }],
      { duration: 700, easing: "cubic-bezier(.2,.8,.2,1)" });
    if (dy > 0) row.animate([{ boxShadow: "0 0 0 4px var(--up)" }, { boxShadow: "0 0 0 0 transparent" }],
      { duration: 1400 });
  }
}

function animateNumber(el, from, to) {
  const start = performance.now();
  const duration = 700;
  const step = (now) => {
    const k = Math.min(1, (now - start) / duration);
    const eased = 1 - (1 - k) ** 3;
    el.textContent = String(Math.round(from + (to - from) * eased));
    if (k < 1) requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
}

function popDelta(row, delta) {
  const chip = h(`span.st-delta.${delta > 0 ? "up" : "down"}`, signed(delta));
  row.append(chip);
  chip.animate([
    { opacity: 0, transform: "translateY(0.5em) scale(.8)" },
    { opacity: 1, transform: "translateY(-0.2em) scale(1.1)", offset: 0.2 },
    { opacity: 1, transform: "translateY(-0.4em) scale(1)", offset: 0.8 },
    { opacity: 0, transform: "translateY(-1.2em) scale(1)" },
  ], { duration: 2200, easing: "ease-out" }).onfinish = () => chip.remove();
  row.classList.remove("flash-up", "flash-down");
  void row.offsetWidth;
  row.classList.add(delta > 0 ? "flash-up" : "flash-down");
}

/**
 * The final podium: view.podium is the ranking (team ids) revealed by RevealPodium.
 * Places 2, 1, 3 stand on blocks and rise one after another; the rest are listed below. Teams
 * tied in the standings (tiedRanks) share the better place: its block height, its number and 并列.
 */
export function renderPodium(container, view) {
  const places = view.podium || [];
  const ranks = tiedRanks(view.standings || []);
  const shown = (id, index) => ranks.get(id) || { rank: index + 1, tied: false };
  const key = JSON.stringify([document.documentElement.lang, places, places.map((id, i) => shown(id, i))]);
  if (container.dataset.podium === key) return;
  container.dataset.podium = key;
  const byTeam = new Map((view.standings || []).map((s) => [s.team, s]));
  const name = (id) => (view.teams || []).find((x) => x.id === id)?.name || id;
  const block = (index) => {
    const id = places[index];
    if (!id) return h("div.podium-slot.empty");
    const s = byTeam.get(id);
    const { rank, tied } = shown(id, index);
    return h(`div.podium-slot.place-${Math.min(rank, 3)}`, { dataset: { index: String(index) } },
      h("div.podium-name", name(id)),
      tied ? h("div.podium-tied", t("w.tied", { n: rank })) : null,
      h("div.podium-score", s ? String(s.score) : ""),
      h("div.podium-block", h("span.podium-place", String(rank))));
  };
  const stage = h("div.podium-stage", { class: places.length < 3 ? `podium-${places.length}` : "" },
    places.length > 1 ? block(1) : null, block(0), places.length > 2 ? block(2) : null);
  const rest = places.slice(3).map((id, i) => {
    const { rank, tied } = shown(id, i + 3);
    return h("li",
      h("span.rest-place", tied ? t("w.tied", { n: rank }) : t("screen.place", { n: rank })),
      h("span.rest-name", name(id)),
      h("span.rest-score", byTeam.get(id) ? String(byTeam.get(id).score) : ""));
  });
  fill(container, h("h2.podium-title", t("screen.podium")), stage,
    rest.length ? h("ol.podium-rest", rest) : null);
  // Third, second, first rise in turn (by podium position, whatever place a tie shows).
  [2, 1, 0].forEach((index, i) => {
    const slot = stage.querySelector(`[data-index="${index}"]`);
    if (!slot) return;
    slot.animate([{ opacity: 0, transform: "translateY(40%)" }, { opacity: 1, transform: "none" }],
      { duration: 900, delay: 600 + i * 1100, easing: "cubic-bezier(.2,.8,.2,1)", fill: "backwards" });
  });
}
