// Status › Bridge, About and Self-check.
import {h, clear, card, pageHeader, badge, table, fmtTime, fmtElapsed, append} from '../dom.js';
import {get, errorText} from '../api.js';
import {limitBanner} from './phones.js';

const POLL_MS = 2000;

function refreshBar(onRefresh) {
  const stamp = h('span', {class: 'live'}, '');
  const bar = h('div', {class: 'toolbar'},
    h('button', {type: 'button', id: 'refresh', onclick: onRefresh}, 'Refresh'), stamp);
  return {bar, stamp};
}

function stamped(stamp, live) {
  clear(stamp, live ? h('span', {class: 'dot'}) : null,
    (live ? 'Live · updated ' : 'Updated ') + new Date().toLocaleTimeString());
}

function reasonList(reasons) {
  return h('ul', {class: 'reasons'}, reasons.map(r => h('li', {},
    h('div', {}, r.message),
    r.fix ? h('div', {class: 'fix'}, 'Fix: ', r.fix) : null)));
}

function adapterRows(status) {
  return [status.lanAdapter, status.vpnAdapter].filter(Boolean).map(a => h('tr', {},
    h('td', {}, a.role === 'lan' ? 'LAN adapter' : 'VPN adapter'),
    h('td', {}, a.resolved ? (a.displayName || a.name) : (a.spec || 'not chosen')),
    h('td', {class: 'mono'}, a.address || '–'),
    h('td', {class: 'mono'}, a.subnet || '–'),
    h('td', {}, a.resolved ? badge('OK', 'ok') : badge(a.problem || 'not found', 'bad'))));
}

function serverState(server) {
  const kind = server.state === 'UP' ? 'ok' : server.state === 'DOWN' ? 'bad' : '';
  return [badge(server.state, kind), server.current ? h('span', {class: 'muted'}, ' in use') : null];
}

// The Polycom configuration injection (GET /api/provisioning, phoneConfig): what phones are told now.
function phoneConfigCard(phoneConfig) {
  if (!phoneConfig) {
    return null;
  }
  const summary = phoneConfig.enabled
    ? h('p', {}, 'Polycom phones that provision through the bridge are told to use ',
        h('span', {class: 'mono', id: 'phone-outbound-proxy'}, phoneConfig.outboundProxy || '(no LAN address)'),
        ' (', phoneConfig.transport, ') as outbound proxy',
        phoneConfig.syslogServer ? [' and ', h('span', {class: 'mono'}, phoneConfig.syslogServer), ' as syslog server'] : null, '.')
    : h('p', {class: 'muted'}, 'Off: phones get their configuration unchanged (bridge.phoneConfigInjection, '
        + 'or managed provisioning is off).');
  const stale = new Set(phoneConfig.mustProvision.map(p => p.mac));
  return card('Phone configuration', summary,
    phoneConfig.enabled ? table(['Phone (MAC)', 'Told outbound proxy', 'When', 'State'],
      phoneConfig.phones.map(p => h('tr', {},
        h('td', {class: 'mono'}, p.mac),
        h('td', {class: 'mono'}, p.bridgeAddress),
        h('td', {}, fmtTime(p.at)),
        h('td', {}, stale.has(p.mac) ? badge('must provision again', 'bad') : badge('current', 'ok')))),
      'No phone has fetched the bridge\'s configuration file yet.') : null);
}

export function renderStatus(body, status, provisioning, phones) {
  const ready = status.state === 'READY';
  clear(body,
    h('div', {class: 'state ' + (ready ? 'ok' : 'bad'), id: 'bridge-state'},
      h('div', {},
        h('div', {class: 'big'}, ready ? 'Ready' : 'Not Ready'),
        h('div', {}, status.bridgeName ? status.bridgeName : 'Unnamed bridge'),
        ready ? null : reasonList(status.reasons))),
    status.warnings.length ? card('Warnings', reasonList(status.warnings)) : null,
    status.pendingRestart.length ? h('div', {class: 'banner warn'},
      'Changed settings that take effect after a restart: ', status.pendingRestart.join(', ')) : null,
    card('Network adapters', table(['Role', 'Adapter', 'Address', 'Subnet', 'State'], adapterRows(status))),
    card('Servers', table(['Address', 'State', 'Last update', {text: 'OPTIONS RTT', class: 'num'}],
      status.servers.map(s => h('tr', {},
        h('td', {class: 'mono'}, s.address),
        h('td', {}, serverState(s)),
        h('td', {}, fmtTime(s.lastResponse)),
        h('td', {class: 'num'}, s.optionsRttMs >= 0 ? s.optionsRttMs + ' ms' : '–'))),
      'No servers configured: add them under Configuration › Bridge.')),
    card('SIP registrations', table(['User', 'Phone contact', {text: 'Expires in', class: 'num'}, 'Server'],
      status.registrations.map(r => h('tr', {},
        h('td', {class: 'mono'}, r.aor),
        h('td', {class: 'mono'}, r.phoneContact),
        h('td', {class: 'num'}, r.expiresInSec + ' s'),
        h('td', {class: 'mono'}, r.server || '–'))),
      'The phone has not registered through the bridge yet.'),
      phones ? limitBanner(phones) : null,
      h('p', {}, h('a', {href: '#/status/phones', id: 'phones-link'}, 'Every phone the bridge has seen: Status › Phones'))),
    phoneConfigCard(provisioning && provisioning.phoneConfig));
}

export function bridge(main, _param, ctx) {
  const body = h('div', {id: 'status-body'}, h('p', {class: 'muted'}, 'Loading…'));
  const {bar, stamp} = refreshBar(() => load(false));
  append(main, pageHeader('Bridge status', 'Adapters, servers and registrations; updates every 2 seconds.'), bar, body);
  async function load(live) {
    const [answer, provisioning, phones] = await Promise.all([get('/api/status'), get('/api/provisioning'),
      get('/api/phones')]);
    if (!answer.ok) {
      clear(body, h('div', {class: 'banner bad'}, errorText(answer)));
      return;
    }
    renderStatus(body, answer.body, provisioning.ok ? provisioning.body : null, phones.ok ? phones.body : null);
    stamped(stamp, live);
  }
  load(true);
  ctx.every(POLL_MS, () => load(true));
}

export function about(main, _param, ctx) {
  const body = h('div', {}, h('p', {class: 'muted'}, 'Loading…'));
  const {bar} = refreshBar(() => load());
  append(main, pageHeader('About'), bar, body);
  let since = null;
  const elapsed = h('span', {id: 'elapsed'});
  async function load() {
    const answer = await get('/api/about');
    if (!answer.ok) {
      clear(body, h('div', {class: 'banner bad'}, errorText(answer)));
      return;
    }
    const a = answer.body;
    since = new Date(a.runningSince);
    tick();
    const row = (label, value, id) => [h('dt', {}, label), h('dd', {id}, value)];
    clear(body, card(null, h('dl', {class: 'kv'},
      row('Product', a.product),
      row('Product version', a.version, 'version'),
      row('File version / build time', [a.version, a.buildTime ? ' built on ' + a.buildTime : '']),
      row('Machine name', a.machineName, 'machine-name'),
      row('Running since', [fmtTime(a.runningSince), ' (', elapsed, ')']),
      row('License', a.license),
      row('Java', a.java),
      row('Operating system', a.os),
      row('Log folder', h('span', {class: 'mono'}, a.logDirectory)))));
  }
  function tick() {
    if (since) elapsed.textContent = fmtElapsed(Math.max(0, (Date.now() - since.getTime()) / 1000));
  }
  load();
  ctx.every(1000, tick);
}

const CHECK_KIND = {PASS: 'ok', WARN: 'warn', FAIL: 'bad', SKIP: ''};

export function selfCheck(main) {
  const body = h('div', {id: 'check-body'});
  const run = h('button', {type: 'button', class: 'primary', id: 'run-check', onclick: () => load()}, 'Run self-check');
  append(main, pageHeader('Self-check',
    'Checks adapters, subnets, ports, the servers, DNS and the clock, and says how to fix what fails.'),
    h('div', {class: 'toolbar'}, run), body);
  async function load() {
    run.disabled = true;
    clear(body, h('p', {class: 'muted'}, 'Running the checks (this can take a few seconds)…'));
    const answer = await get('/api/check');
    run.disabled = false;
    if (answer.status === 404) {
      clear(body, h('div', {class: 'banner warn'},
        'This bridge does not offer the self-check yet. Run "sipbridge check" on the computer instead.'));
      return;
    }
    if (!answer.ok) {
      clear(body, h('div', {class: 'banner bad'}, errorText(answer)));
      return;
    }
    const result = answer.body;
    clear(body,
      h('div', {class: 'banner ' + (result.passed ? 'ok' : 'bad')},
        result.passed ? 'All checks passed' : 'Some checks failed', ' · ran ', fmtTime(result.ranAt)),
      card(null, table(['Check', 'Result', 'Detail'], (result.checks || []).map(c => h('tr', {},
        h('td', {}, c.title || c.id),
        h('td', {}, badge(c.status, CHECK_KIND[c.status] || '')),
        h('td', {}, h('div', {}, c.detail || ''), c.fix ? h('div', {class: 'muted'}, 'Fix: ', c.fix) : null))))));
  }
  load();
}
