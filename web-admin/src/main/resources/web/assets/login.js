// The login form: POST /api/login, then back to the page that asked for it (same site only).
const form = document.getElementById('login-form');
const error = document.getElementById('login-error');

// Only a path on this server (the rule of SafeNext on the server, which refuses to serve this page
// with anything else): one "/" not followed by "/" or "\\", no backslash, and no control, space or
// invisible characters, which URL parsing drops or bends ("/\t/evil" would become "//evil").
function isSafeNext(next) {
  return /^\/(?![\/\\])[^\\\s\p{C}\u2028\u2029]*$/u.test(next) && next.length <= 2048
    && new URL(next, location.origin).origin === location.origin;
}

function nextPage() {
  const next = new URLSearchParams(location.search).get('next') || '/';
  return isSafeNext(next) ? next : '/';
}

form.addEventListener('submit', async event => {
  event.preventDefault();
  error.textContent = '';
  const body = {user: form.user.value, password: form.password.value};
  let response;
  try {
    response = await fetch('/api/login', {method: 'POST', credentials: 'same-origin',
      headers: {'Content-Type': 'application/json', 'X-Requested-With': 'fetch'}, body: JSON.stringify(body)});
  } catch (e) {
    error.textContent = 'The bridge does not answer (is sipbridge running?)';
    return;
  }
  if (response.ok) {
    location.assign(nextPage());
    return;
  }
  let message = 'Wrong user name or password';
  try { message = (await response.json()).error || message; } catch (e) { /* keep the default */ }
  if (response.status === 429) {
    const wait = response.headers.get('Retry-After');
    if (wait) message += ` (try again in ${wait} s)`;
  }
  error.textContent = message;
  form.password.value = '';
  form.password.focus();
});
