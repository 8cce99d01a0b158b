// The admin shell: session check, left navigation, hash routing, and polling that stops when the
// page changes. Each page is a module that renders into <main>.
import {startSession, logout, get} from './api.js';
import * as status from './pages/status.js';
import * as sessions from './pages/sessions.js';
import * as phones from './pages/phones.js';
import * as configPages from './pages/config.js';
import * as stations from './pages/stations.js';
import * as administration from './pages/administration.js';
import * as certificate from './pages/certificate.js';

const routes = {
  'status/bridge': status.bridge,
  'status/sessions': sessions.list,
  'status/session': sessions.detail,
  'status/phones': phones.page,
  'status/about': status.about,
  'status/check': status.selfCheck,
  'config/bridge': configPages.bridge,
  'config/authentication': stations.page,
  'config/protocols': configPages.protocols,
  'config/media': configPages.media,
  'config/diagnostics': configPages.diagnostics,
  'config/administration': administration.page,
  'certificate': certificate.page,
};

let cleanups = [];

/** What a page may use: timers and listeners that end with the page. */
function context() {
  return {
    every(ms, fn) {
      const id = setInterval(fn, ms);
      cleanups.push(() => clearInterval(id));
    },
    onLeave(fn) {
      cleanups.push(fn);
    },
  };
}

function route() {
  cleanups.forEach(fn => fn());
  cleanups = [];
  const path = location.hash.replace(/^#\/?/, '') || 'status/bridge';
  let name = path, param = null;
  const detail = path.match(/^status\/sessions\/(.+)$/);
  if (detail) {
    name = 'status/session';
    param = decodeURIComponent(detail[1]);
  }
  const render = routes[name] || routes['status/bridge'];
  document.querySelectorAll('#nav a').forEach(a => {
    const active = a.dataset.page === name || (name === 'status/session' && a.dataset.page === 'status/sessions');
    a.classList.toggle('active', active);
    if (active) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
  const main = document.getElementById('main');
  main.replaceChildren();
  main.dataset.page = name;
  render(main, param, context());
}

async function updatePill() {
  const answer = await get('/api/status');
  const pill = document.getElementById('state-pill');
  if (!answer.ok) return;
  const ready = answer.body.state === 'READY';
  pill.hidden = false;
  pill.textContent = ready ? 'Ready' : 'Not Ready';
  pill.className = 'pill ' + (ready ? 'ok' : 'bad');
  const name = answer.body.bridgeName;
  document.title = (name ? name + ' · ' : '') + 'sipbridge';
}

/** The top bar's user name and Log out button, which exist only while a login is required. */
function showSession(session) {
  document.getElementById('logout').hidden = !session.authRequired;
  document.getElementById('user').textContent = session.authRequired ? (session.user || '') : '';
}

async function start() {
  const session = await startSession();
  if (!session) return;
  showSession(session);
  document.getElementById('logout').addEventListener('click', logout);
  // The Administration page changes the login: the top bar follows.
  window.addEventListener('sipbridge:session-changed', async () => {
    const changed = await startSession();
    if (changed) showSession(changed);
  });
  window.addEventListener('hashchange', route);
  route();
  updatePill();
  setInterval(updatePill, 5000);
}

start();
