// Status › Phones: every phone the bridge has seen (GET /api/phones), one row each, with what it
// fetched, its registrations and its calls in a details block that stays open across updates.
import {h, clear, append, card, pageHeader, badge, table, fmtDuration, fmtTime, fmtNum} from '../dom.js';
import {get, errorText} from '../api.js';

const POLL_MS = 2000;
const STATE_KIND = {REGISTERED: 'ok', EXPIRED: 'warn', UNREGISTERED: '', FAILED: 'bad'};

function phoneKey(phone) {
  return phone.mac || phone.ip;
}

function registrationBadges(phone) {
  if (!phone.registrations.length) return h('span', {class: 'muted'}, 'none');
  return phone.registrations.map(r => h('div', {class: 'registration'},
    h('span', {class: 'mono'}, r.aor), ' ', badge(r.state === 'FAILED' ? `${r.status} ${r.reason}` : r.state,
      STATE_KIND[r.state] || '')));
}

function callSummary(phone) {
  const active = phone.calls.filter(c => !c.ended);
  const last = phone.calls.find(c => c.ended);
  const mos = c => c.quality ? ' · MOS ' + fmtNum(c.quality.mos, 2) : '';
  return [
    active.length ? badge(`${active.length} in call`, 'ok') : null,
    active.length ? h('div', {class: 'muted'}, active.map(c => `${c.from} → ${c.to}${mos(c)}`).join('; ')) : null,
    !active.length && last ? h('span', {class: 'muted'}, `last: ${last.to}${mos(last)}`) : null,
    !active.length && !last ? h('span', {class: 'muted'}, '–') : null,
  ];
}

function phoneRow(phone) {
  return h('tr', {dataset: {phone: phoneKey(phone)}},
    h('td', {class: 'mono mac'}, phone.mac || '–'),
    h('td', {class: 'mono ip'}, phone.ip),
    h('td', {class: 'model', title: phone.userAgent}, phone.model || '–'),
    h('td', {}, phone.lastInform ? fmtTime(phone.lastInform.at) : '–'),
    h('td', {}, registrationBadges(phone)),
    h('td', {}, callSummary(phone)),
    h('td', {}, fmtTime(phone.lastSeen)));
}

function fileTable(files, emptyText) {
  return table(['When', 'Request', {text: 'Status', class: 'num'}, {text: 'Bytes', class: 'num'}, ''],
    files.map(f => h('tr', {},
      h('td', {}, fmtTime(f.at)),
      h('td', {class: 'mono'}, f.method + ' ' + f.path),
      h('td', {class: 'num'}, String(f.status)),
      h('td', {class: 'num'}, f.totalBytes >= 0 ? `${f.bytes} / ${f.totalBytes}` : String(f.bytes)),
      h('td', {}, f.complete ? null : badge('broken off', 'bad')))),
    emptyText);
}

function phoneDetails(phone, open) {
  const key = phoneKey(phone);
  const details = h('details', {class: 'phone-details', dataset: {phone: key}, open: open.has(key)},
    h('summary', {}, (phone.mac || phone.ip) + (phone.model ? ' · ' + phone.model : '')),
    h('p', {class: 'muted'}, 'DHCP vendor class: ', phone.vendorClass || '–', ' · User-Agent: ', phone.userAgent || '–',
      ' · first seen ', fmtTime(phone.firstSeen),
      phone.lastInform ? [' · last DHCPINFORM ', fmtTime(phone.lastInform.at),
        phone.lastInform.answered ? '' : ' (not answered)'] : ''),
    h('h3', {}, 'Registrations'),
    table(['Address of record', 'State', 'Last answer', 'Server', 'Expires'],
      phone.registrations.map(r => h('tr', {},
        h('td', {class: 'mono'}, r.aor),
        h('td', {}, badge(r.state, STATE_KIND[r.state] || '')),
        h('td', {}, `${r.status} ${r.reason}`),
        h('td', {class: 'mono'}, r.server || 'the bridge'),
        h('td', {}, r.expiresAt ? fmtTime(r.expiresAt) : '–'))),
      'No REGISTER answered yet.'),
    h('h3', {}, 'Calls'),
    table(['Call', 'From', 'To', 'State', {text: 'Duration', class: 'num'}, {text: 'MOS', class: 'num'},
      {text: 'Loss', class: 'num'}, {text: 'Jitter', class: 'num'}],
      phone.calls.map(c => h('tr', {class: c.ended ? 'ended' : ''},
        h('td', {class: 'mono'}, h('a', {href: '#/status/sessions/' + encodeURIComponent(c.callId)},
          c.outgoing ? 'outgoing' : 'incoming')),
        h('td', {}, c.from), h('td', {}, c.to),
        h('td', {}, c.ended ? badge('ended') : badge(c.state, c.state === 'ANSWERED' ? 'ok' : 'warn')),
        h('td', {class: 'num'}, fmtDuration(c.durationSec)),
        h('td', {class: 'num'}, c.quality ? fmtNum(c.quality.mos, 2) : '–'),
        h('td', {class: 'num'}, c.quality ? fmtNum(c.quality.lossPercent, 2, ' %') : '–'),
        h('td', {class: 'num'}, c.quality ? fmtNum(c.quality.jitterMs, 1, ' ms') : '–'))),
      'No current or recent call.'),
    h('h3', {}, 'Firmware'),
    fileTable(phone.firmware, 'No firmware image fetched through the bridge.'),
    h('h3', {}, 'Provisioning requests'),
    fileTable(phone.files, 'Nothing fetched through the bridge.'));
  details.addEventListener('toggle', () => { if (details.open) open.add(key); else open.delete(key); });
  return details;
}

/** The phone limit's line and, after a refusal, the warning (also shown on the Bridge page). */
export function limitBanner(list) {
  const line = h('p', {id: 'phone-limit'}, `${list.registeredPhones} of at most ${list.maxPhones} phones registered `
    + '(bridge.maxPhones).');
  if (!list.refusedPhones) return line;
  const last = list.lastRefused;
  return [line, h('div', {class: 'banner warn', id: 'phones-refused'},
    `${list.refusedPhones} registration${list.refusedPhones === 1 ? '' : 's'} of new phones refused because the limit `
    + 'was reached', last ? ` (last: ${last.address}, ${fmtTime(last.at)})` : '',
    '. Raise bridge.maxPhones under Configuration › Bridge, or unregister a phone.')];
}

export function page(main, _param, ctx) {
  const body = h('div', {id: 'phones-body'}, h('p', {class: 'muted'}, 'Loading…'));
  const open = new Set();
  append(main, pageHeader('Phones', 'Every phone the bridge has seen: DHCP, provisioning, registrations and calls; '
    + 'updates every 2 seconds.'),
    h('div', {class: 'toolbar'}, h('button', {type: 'button', id: 'refresh', onclick: () => load()}, 'Refresh')), body);

  async function load() {
    const answer = await get('/api/phones');
    if (!answer.ok) {
      clear(body, h('div', {class: 'banner bad'}, errorText(answer)));
      return;
    }
    const list = answer.body;
    clear(body, limitBanner(list),
      card(null, table(['MAC', 'Address', 'Model', 'Last DHCPINFORM', 'Registrations', 'Calls', 'Last seen'],
        list.phones.map(phoneRow), 'No phone seen yet: it appears here once it sends a DHCPINFORM, fetches a file '
          + 'or registers through the bridge.')),
      list.phones.length ? card('Details', list.phones.map(p => phoneDetails(p, open))) : null);
  }
  load();
  ctx.every(POLL_MS, load);
}
