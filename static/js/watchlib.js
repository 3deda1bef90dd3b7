// Small helpers shared by the screen, audience and one-laptop pages.
import { t } from "./i18n.js";

const DEFAULT_TIE_RULE = "equal scores rank by who reached the score first, then by fewer fouls";

/** The tie rule as the audience should read it: translated when it is the default rule. */
export function tieRuleText(view) {
  const rule = (view && view.tie_rule) || "";
  return !rule || rule === DEFAULT_TIE_RULE ? t("w.tie_rule") : rule;
}

/**
 * One line per place a tie-break round decided, e.g. "加赛决出第 2 名：拉萨支队": the engine names
 * the rule on the team ranked below (tie_broken_by), so the place belongs to the team above it.
 * Empty while the standings are frozen or sealed, so the line never tells more than the table.
 */
export function tiebreakLines(view) {
  const table = (view && view.standings) || [];
  return table.flatMap((s, i) => {
    const below = table[i + 1];
    return below && below.tie_broken_by === "tiebreak" ? [t("w.tiebreak_place", { n: s.rank, team: s.name })] : [];
  });
}

/**
 * Show, right after `anchor`, the banner saying why the host reopened the finished contest
 * (view.reopened_note); hidden when it never was. The banner is made once per anchor.
 */
export function showReopened(anchor, view) {
  let banner = anchor.nextElementSibling;
  if (!banner || !banner.classList.contains("reopened-banner")) {
    banner = document.createElement("div");
    banner.className = "reopened-banner";
    banner.setAttribute("role", "status");
    anchor.after(banner);
  }
  const note = view && view.reopened_note;
  banner.hidden = !note;
  banner.textContent = note ? t("w.reopened", { note }) : "";
}

/** Fill `box` with the tie-break lines of `view`, hiding it when there are none. */
export function showTiebreak(box, view) {
  const lines = tiebreakLines(view);
  box.hidden = !lines.length;
  box.replaceChildren(...lines.map((line) => {
    const item = document.createElement("div");
    item.className = "tiebreak-line";
    item.textContent = line;
    return item;
  }));
}
