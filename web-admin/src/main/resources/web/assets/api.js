// The one way the pages talk to the bridge: same-origin fetch with the CSRF token on every change,
// and a trip to the login page when the session is missing or has expired.

let session = {authRequired: false, authenticated: true, user: null, csrfToken: ''};

export function currentSession() {
  return session;
}

export function loginUrl() {
  const next = location.pathname + location.hash;
  return '/login.html?next=' + encodeURIComponent(next);
}

/** Loads /api/session; sends the browser to the login page when a login is needed. */
export async function startSession() {
  try {
    const response = await fetch('/api/session', {headers: {'X-Requested-With': 'fetch'}, cache: 'no-store'});
    if (response.ok) {
      session = await response.json();
      if (session.authRequired && !session.authenticated) {
        location.assign(loginUrl());
        return null;
      }
    }
  } catch (e) {
    // The API is unreachable: the pages show that themselves.
  }
  return session;
}

/** Answer of the API: {ok, status, body}; body is parsed JSON or null. Never throws for HTTP errors. */
export async function call(method, path, body) {
  const headers = {'X-Requested-With': 'fetch'};
  if (method !== 'GET') headers['X-CSRF-Token'] = session.csrfToken || '';
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {method, headers, cache: 'no-store', credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body)});
  } catch (e) {
    return {ok: false, status: 0, body: {error: 'The bridge does not answer (is sipbridge running?)'}};
  }
  if (response.status === 401 && path !== '/api/login') {
    location.assign(loginUrl());
  }
  let parsed = null;
  const text = await response.text();
  if (text) {
    try { parsed = JSON.parse(text); } catch (e) { parsed = {error: text}; }
  }
  return {ok: response.ok, status: response.status, body: parsed};
}

export const get = path => call('GET', path);
export const put = (path, body) => call('PUT', path, body);
export const post = (path, body) => call('POST', path, body);

export async function logout() {
  await call('POST', '/api/logout');
  location.assign('/login.html');
}

/** The message of an error answer, for people. */
export function errorText(answer) {
  const b = answer.body || {};
  if (b.error) return b.error;
  if (Array.isArray(b.errors)) return b.errors.map(e => (e.key ? e.key + ': ' : '') + e.message).join('; ');
  return `HTTP ${answer.status}`;
}
