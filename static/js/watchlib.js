// Small helpers shared by the screen, audience and one-laptop pages.
import { t } from "./i18n.js";

const DEFAULT_TIE_RULE = "equal scores rank by who reached the score first, then by fewer fouls";

/** The tie rule as the audience should read it: translated when it is the default rule. */
export function tieRuleText(view) {
  const rule = (view && view.tie_rule) || "";
  return !rule || rule === DEFAULT_TIE_RULE ? t("w.tie_rule") : rule;
}
