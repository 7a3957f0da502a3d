// The server's HTTP contract (see DESIGN.md), as the service worker uses it.
// Only the service worker calls these: content scripts and pages send it messages.

export const CLIENT_HEADER = "X-Socialcheck-Client";
const REQUEST_TIMEOUT_MS = 20000;

/** Why a call failed, in words a member of staff can act on. */
export class ServerError extends Error {
  constructor(code, message, { status = 0 } = {}) {
    super(message);
    this.name = "ServerError";
    this.code = code;
    this.status = status;
  }

  toJSON() {
    return { code: this.code, message: this.message, status: this.status };
  }
}

export function startHelp(serverUrl) {
  return (
    `The Socialcheck server is not running at ${serverUrl}. ` +
    "Start it with “socialcheck serve” in a terminal (or run “socialcheck autostart on” once, to start it at every login), then try again. " +
    "Your text has not been changed."
  );
}

function headers(token, extra = {}) {
  const result = { [CLIENT_HEADER]: "extension", ...extra };
  if (token) result.Authorization = `Bearer ${token}`;
  return result;
}

/** The fetch arguments for a text check. */
export function textCheckRequest({ serverUrl, token, text, platform, profile }) {
  return {
    url: `${serverUrl}/v1/check/text`,
    init: {
      method: "POST",
      headers: headers(token, { "Content-Type": "application/json" }),
      body: JSON.stringify({ text, platform, profile }),
    },
  };
}

/** The fetch arguments for an image check; `image` is a Blob. */
export function imageCheckRequest({ serverUrl, token, image, filename, platform, profile }) {
  const form = new FormData();
  form.append("image", image, filename || "image");
  if (platform) form.append("platform", platform);
  if (profile) form.append("profile", profile);
  return { url: `${serverUrl}/v1/check/image`, init: { method: "POST", headers: headers(token), body: form } };
}

export function healthRequest({ serverUrl, token }) {
  return { url: `${serverUrl}/v1/health`, init: { method: "GET", headers: headers(token) } };
}

export function policyRequest({ serverUrl, token }) {
  return { url: `${serverUrl}/v1/policy`, init: { method: "GET", headers: headers(token) } };
}

/** The personal dictionary: list, add and remove (see the server's /v1/dictionary). */
export function dictionaryRequest({ serverUrl, token }, action = "list", word = "") {
  if (action === "add") {
    return {
      url: `${serverUrl}/v1/dictionary`,
      init: { method: "POST", headers: headers(token, { "Content-Type": "application/json" }), body: JSON.stringify({ word }) },
    };
  }
  if (action === "remove") {
    return { url: `${serverUrl}/v1/dictionary/${encodeURIComponent(word)}`, init: { method: "DELETE", headers: headers(token) } };
  }
  return { url: `${serverUrl}/v1/dictionary`, init: { method: "GET", headers: headers(token) } };
}

/**
 * What a card needs beyond the finding, from the policy document: what to do (the rule's
 * advice) and where the handbook point is (its URL).
 */
export function findingGuidance(policyDocument) {
  const guidelines = Array.isArray(policyDocument && policyDocument.guidelines) ? policyDocument.guidelines : [];
  const rules = Array.isArray(policyDocument && policyDocument.rules) ? policyDocument.rules : [];
  const byId = new Map(guidelines.map((g) => [g.id, g]));
  const byTitle = new Map(guidelines.map((g) => [g.title, g]));
  const advice = new Map(rules.map((r) => [r.id, { advice: r.advice || "", guideline: byId.get(r.guideline) }]));
  return (finding) => {
    const rule = advice.get(finding.rule);
    const guideline = (rule && rule.guideline) || byTitle.get(finding.guideline);
    const url = guideline && typeof guideline.url === "string" && /^https?:\/\//i.test(guideline.url) ? guideline.url : "";
    return { ...finding, advice: rule ? rule.advice : "", guidelineUrl: url };
  };
}

/** Turn an HTTP error status and the server's JSON error (if any) into a ServerError. */
export function errorFromResponse(status, body, serverUrl) {
  const detail = body && typeof body === "object" && body.error && typeof body.error === "object" ? body.error : null;
  const code = detail && typeof detail.code === "string" ? detail.code : `http-${status}`;
  const serverMessage = detail && typeof detail.message === "string" ? detail.message : "";
  if (status === 401 || status === 403) {
    return new ServerError(
      code,
      `The server at ${serverUrl} refused the extension` +
        (serverMessage ? ` (${serverMessage})` : "") +
        ". If it asks for a pairing token, copy the token it printed when it started into the extension’s options.",
      { status },
    );
  }
  if (status === 413) {
    return new ServerError(code, serverMessage || "That is too large for the server to check.", { status });
  }
  if (serverMessage) return new ServerError(code, serverMessage, { status });
  return new ServerError(code, `The server answered with an error (HTTP ${status}).`, { status });
}

/**
 * Send a request and return the parsed JSON, or throw a ServerError.
 * @param {{url: string, init: RequestInit}} request
 */
export async function send(request, serverUrl, { fetchFn = globalThis.fetch, timeoutMs = REQUEST_TIMEOUT_MS } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let response;
  try {
    response = await fetchFn(request.url, { ...request.init, signal: controller.signal, credentials: "omit" });
  } catch (error) {
    if (controller.signal.aborted) {
      throw new ServerError("timeout", `The server at ${serverUrl} took too long to answer. Your text has not been changed.`);
    }
    throw new ServerError("server-unreachable", startHelp(serverUrl));
  } finally {
    clearTimeout(timer);
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) throw errorFromResponse(response.status, body, serverUrl);
  if (body === null || typeof body !== "object") {
    throw new ServerError(
      "bad-answer",
      `Something at ${serverUrl} answered, but not as the Socialcheck server does. Check the server address in the options.`,
    );
  }
  return body;
}

/** The policy pack in force, from /v1/health: its name and the start of its content hash. */
export function describePack(pack) {
  if (!pack || typeof pack !== "object" || !pack.name) return "policy pack unknown";
  const hash = typeof pack.hash === "string" ? pack.hash.replace(/^sha256:/, "").slice(0, 12) : "";
  return hash ? `${pack.name} (${hash})` : pack.name;
}

/** Why the newest policy pack was refused, in one line (the pack in force stays), or "". */
export function describePackProblem(pack) {
  const problem = pack && typeof pack === "object" ? pack.problem : null;
  if (!problem || typeof problem !== "object") return "";
  const where = [problem.file, problem.rule ? `rule ${problem.rule}` : ""].filter(Boolean).join(", ");
  return `A newer policy pack was not loaded${where ? ` (${where})` : ""}: ${problem.message || "it has a mistake"}. The one shown stays in force.`;
}

/** A short description of the grammar engines, e.g. "Harper on, LanguageTool off". */
export function describeGrammar(engines) {
  if (!engines || typeof engines !== "object") return "unknown";
  const parts = [];
  for (const [name, label] of [
    ["harper", "Harper"],
    ["languagetool", "LanguageTool"],
  ]) {
    const engine = engines[name];
    if (engine === undefined) continue;
    const state = typeof engine === "string" ? engine : engine && engine.state ? engine.state : engine && engine.status;
    parts.push(`${label} ${grammarStateWord(state)}`);
  }
  return parts.length ? parts.join(", ") : "unknown";
}

function grammarStateWord(state) {
  switch (state) {
    case "ready":
    case "on":
      return "on";
    case "starting":
      return "starting";
    case "off":
      return "off";
    case "unavailable":
      return "unavailable";
    default:
      return String(state || "unknown");
  }
}

/** Whether any grammar engine is checking right now. */
export function grammarIsOn(engines) {
  if (!engines || typeof engines !== "object") return false;
  return ["harper", "languagetool"].some((name) => {
    const engine = engines[name];
    const state = typeof engine === "string" ? engine : engine && (engine.state || engine.status);
    return state === "ready" || state === "on";
  });
}
