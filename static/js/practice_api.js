// The self-test HTTP API (docs/practice.md): JSON in, JSON out, errors as {error: {code, message}}.

import { t, STRINGS } from "./i18n.js";
import { withCsrf } from "./common.js";

const listeners = new Set();

/** Call fn() when a request answers 401 not_logged_in (the session ended: show the login). */
export function onLoggedOut(fn) {
  listeners.add(fn);
}

/**
 * fetch() with a JSON body; resolves to {ok, status, data} and never rejects, so callers
 * handle a network failure like any refusal (data.error.code "network").
 */
export async function api(path, { method = "GET", body } = {}) {
  const init = { method, headers: withCsrf({ Accept: "application/json" }), credentials: "same-origin" };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    return { ok: false, status: 0, data: { error: { code: "network", message: String(error) } } };
  }
  let data = {};
  try {
    data = await response.json();
  } catch {
    data = response.ok ? {} : { error: { code: "internal", message: `HTTP ${response.status}` } };
  }
  const result = { ok: response.ok, status: response.status, data };
  if (response.status === 401 && errorCode(result) === "not_logged_in") {
    for (const fn of listeners) fn();
  }
  return result;
}

/** The error code of a failed request ("" when it did not fail). */
export function errorCode(result) {
  if (!result || result.ok) return "";
  const body = result.data && result.data.error;
  return (body && body.code) || (result.status ? `http_${result.status}` : "network");
}

/**
 * A refusal in the player's words. The self-test page has its own wording for codes that the
 * live pages also use with another sense (`finished`: a sitting, not a contest). The server's
 * English detail is added only where it names what to fix (which field, which shape).
 */
export function problemText(result) {
  const code = errorCode(result);
  const body = (result && result.data && result.data.error) || {};
  let text = code;
  for (const key of [`practice.err.${code}`, `err.${code}`]) {
    if (STRINGS.zh[key] !== undefined) {
      text = t(key);
      break;
    }
  }
  if (text === code) text = `${t("err.unknown")} (${code})`;
  if (["bad_field", "bad_response", "bad_payload"].includes(code) && body.message) {
    text += `: ${body.message}`;
  }
  const wait = result && result.data && result.data.retry_after;
  if (code === "rate_limited" && Number.isInteger(wait)) text += t("practice.retry_in", { n: wait });
  return text;
}
