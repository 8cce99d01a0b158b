// The login form: POST /api/login, then back to the page that asked for it (same site only).
const form = document.getElementById('login-form');
const error = document.getElementById('login-error');

function nextPage() {
  const next = new URLSearchParams(location.search).get('next') || '/';
  // Only a path on this server: never an absolute or protocol-relative URL.
  return next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
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
