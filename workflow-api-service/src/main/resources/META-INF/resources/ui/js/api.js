// Calls the API on the console's own origin. The console lives at <public path>/ui/, so the API
// is one level up: relative URLs keep working behind a proxy that adds a prefix.

const apiRoot = new URL('../', document.baseURI);

let bearer = null;
let signInAgain = null;

/**
 * Sets the function that returns the current access token, and the one that signs in again when
 * the service no longer takes it (401).
 */
export function useTokens(provider, onRefused) {
  bearer = provider;
  signInAgain = onRefused;
}

/** The service did not take the token (expired, revoked): sign in again, if signed in at all. */
export function refused() {
  if (signInAgain) signInAgain();
}

export async function authHeaders() {
  const token = bearer ? await bearer() : null;
  return token ? {Authorization: `Bearer ${token}`} : {};
}

/** A refused request: status and the RFC 9457 problem document the API answered. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export function url(path, query) {
  const target = new URL(path.replace(/^\//, ''), apiRoot);
  for (const [key, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== '') target.searchParams.set(key, value);
  }
  return target;
}

/** GET/POST/… a JSON endpoint; resolves to the parsed body, rejects with ApiError. */
export async function call(path, {method = 'GET', query, body, signal, headers} = {}) {
  const request = {method, signal, cache: 'no-store',
    headers: {Accept: 'application/json', ...(await authHeaders()), ...(headers || {})}};
  if (body !== undefined) {
    request.headers['Content-Type'] = 'application/json';
    request.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url(path, query), request);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, {title: 'The service cannot be reached', detail: String(e.message || e)});
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (response.status === 401) refused();
  if (!response.ok) {
    const problem = data && typeof data === 'object' ? data
      : {title: response.statusText || 'Request failed', status: response.status};
    if (!problem.status) problem.status = response.status;
    throw new ApiError(response.status, problem);
  }
  return data;
}

/** Every page of a list, at most maxItems items. */
export async function listAll(path, query, maxItems = 5000) {
  const items = [];
  let token = null;
  do {
    const page = await call(path, {query: {...query, limit: 500, page_token: token}});
    items.push(...page.items);
    token = page.next_page_token;
  } while (token && items.length < maxItems);
  return items;
}

let callerAnswer = null;

/** Who the service takes the user to be ({actor, roles, projects}); asked once per page load. */
export function caller() {
  if (!callerAnswer) callerAnswer = call('v1/caller').catch(() => ({actor: null, roles: [], projects: []}));
  return callerAnswer;
}
