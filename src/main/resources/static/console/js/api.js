// The REST API with the signed-in user's bearer token. Tokens live in sessionStorage (this tab only);
// a 401 refreshes once with the refresh token, and problems (RFC 9457) become readable errors.

const KEY = 'vipride.console.tokens';

export class ApiError extends Error {
  constructor(status, problem) {
    super(readable(status, problem));
    this.status = status;
    this.code = problem && problem.code;
    this.problem = problem;
  }
}

function readable(status, problem) {
  if (!problem) return `The service answered ${status}.`;
  const base = problem.detail || problem.title || `The service answered ${status}.`;
  const fields = Array.isArray(problem.errors)
    ? problem.errors.map(e => `${e.field}: ${e.message}`).join('; ')
    : '';
  const code = problem.code ? ` (${problem.code})` : '';
  return `${base}${fields && !base.includes(fields) ? ` — ${fields}` : ''}${code}`;
}

export function tokens() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY)) || null;
  } catch {
    return null;
  }
}

function keep(answer) {
  sessionStorage.setItem(KEY, JSON.stringify({ access: answer.accessToken, refresh: answer.refreshToken }));
}

export function forget() {
  sessionStorage.removeItem(KEY);
}

async function parse(response) {
  const type = response.headers.get('content-type') || '';
  if (response.status === 204) return null;
  if (type.includes('json')) return response.json();
  return response.text();
}

export async function signIn(email, password) {
  const response = await fetch('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = await parse(response);
  if (!response.ok) throw new ApiError(response.status, typeof body === 'object' ? body : null);
  keep(body);
}

let refreshing = null;

export async function refresh() {
  const current = tokens();
  if (!current || !current.refresh) return false;
  if (!refreshing) {
    refreshing = (async () => {
      const response = await fetch('/api/v1/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ refreshToken: current.refresh }),
      });
      if (!response.ok) {
        forget();
        return false;
      }
      keep(await response.json());
      return true;
    })().finally(() => { refreshing = null; });
  }
  return refreshing;
}

export async function signOut() {
  const current = tokens();
  forget();
  if (current && current.refresh) {
    await fetch('/api/v1/auth/logout', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${current.access}` },
      body: JSON.stringify({ refreshToken: current.refresh }),
    }).catch(() => {});
  }
}

/** Calls the API; returns the parsed body or throws ApiError. */
export async function api(path, { method = 'GET', body, headers = {} } = {}, retried = false) {
  const current = tokens();
  const init = { method, headers: { accept: 'application/json', ...headers } };
  if (current) init.headers.authorization = `Bearer ${current.access}`;
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (response.status === 401 && !retried && (await refresh())) {
    return api(path, { method, body, headers }, true);
  }
  const answer = await parse(response);
  if (!response.ok) {
    if (response.status === 401) window.dispatchEvent(new CustomEvent('console:signed-out'));
    throw new ApiError(response.status, typeof answer === 'object' ? answer : null);
  }
  return answer;
}

export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, value);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
