// Status › Sessions: the calls through the bridge, and one call in detail with its media quality.
import {h, svg, clear, append, card, pageHeader, badge, table, fmtDuration, fmtTime, fmtNum} from '../dom.js';
import {get, errorText} from '../api.js';

const POLL_MS = 2000;
const PAGE_SIZE = 15;
const CALL_ID_SHOWN = 18;

function truncate(text, length) {
  return text.length > length ? text.slice(0, length) + '…' : text;
}

function mosOf(session) {
  const stream = session.media && session.media.streams && session.media.streams[0];
  if (!stream) return null;
  const values = [stream.lanToVpn, stream.vpnToLan].filter(d => d && d.quality).map(d => d.quality.mos);
  return values.length ? Math.min(...values) : null;
}

export function list(main, _param, ctx) {
  let filter = '';
  let page = 0;
  const input = h('input', {type: 'search', id: 'filter', placeholder: 'Call-ID, From or To', 'aria-label': 'Filter'});
  const body = h('div', {id: 'sessions-body'});
  const pager = h('div', {class: 'pager'});
  const applyFilter = () => { filter = input.value.trim(); page = 0; load(); };
  input.addEventListener('keydown', e => { if (e.key === 'Enter') applyFilter(); });
  append(main, pageHeader('Sessions', 'Calls through the bridge, longest first; ended calls stay listed for a while.'),
    h('div', {class: 'toolbar'}, input,
      h('button', {type: 'button', id: 'filter-button', onclick: applyFilter}, 'Filter'),
      h('button', {type: 'button', id: 'refresh', onclick: () => { input.value = ''; filter = ''; page = 0; load(); }},
        'Refresh')),
    card(null, body, pager));

  async function load() {
    const answer = await get('/api/sessions?filter=' + encodeURIComponent(filter));
    if (!answer.ok) {
      clear(body, h('div', {class: 'banner bad'}, errorText(answer)));
      return;
    }
    const sessions = answer.body;
    const pages = Math.max(1, Math.ceil(sessions.length / PAGE_SIZE));
    page = Math.min(page, pages - 1);
    const shown = sessions.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
    clear(body, table(['Duration', 'To', 'From', 'Call-ID', 'State', {text: 'MOS', class: 'num'}],
      shown.map(s => h('tr', {class: s.ended ? 'ended' : ''},
        h('td', {class: 'mono'}, fmtDuration(s.durationSec)),
        h('td', {class: 'to'}, s.to),
        h('td', {class: 'from'}, s.from),
        h('td', {class: 'mono'}, h('a', {href: '#/status/sessions/' + encodeURIComponent(s.callId), title: s.callId,
          class: 'call-link'}, truncate(s.callId, CALL_ID_SHOWN))),
        h('td', {}, s.ended ? badge('ended') : badge(s.state, s.state === 'ANSWERED' ? 'ok' : 'warn')),
        h('td', {class: 'num'}, fmtNum(mosOf(s), 2)))),
      filter ? 'No calls match the filter.' : 'No calls right now.'));
    clear(pager,
      h('button', {type: 'button', disabled: page === 0, onclick: () => { page--; load(); }}, '‹ Previous'),
      `Page ${page + 1} of ${pages} · ${sessions.length} total item${sessions.length === 1 ? '' : 's'}`,
      h('button', {type: 'button', disabled: page >= pages - 1, onclick: () => { page++; load(); }}, 'Next ›'));
  }
  load();
  ctx.every(POLL_MS, load);
}

const METRICS = [
  ['Packets', d => d.packets, v => String(v)],
  ['Lost', d => d.lost, v => String(v)],
  ['Loss', d => d.lossPercent, v => fmtNum(v, 2, ' %')],
  ['Jitter', d => d.jitterMs, v => fmtNum(v, 1, ' ms')],
  ['Leg RTT', d => d.legRttMs, v => fmtNum(v, 1, ' ms')],
  ['Codec', d => d.quality && d.quality.codec, v => v || '–'],
  ['R-factor', d => d.quality && d.quality.rFactor, v => fmtNum(v, 1)],
  ['MOS', d => d.quality && d.quality.mos, v => fmtNum(v, 2)],
];

const WARNING_TEXT = {
  LOSS: 'packet loss of 1 % or more', JITTER: 'jitter of 30 ms or more',
  LATENCY: 'one-way network delay (RTT/2) of 150 ms or more',
};

function addr(a) {
  if (!a) return '–';
  if (typeof a === 'string') return a;
  return (a.address || a.hostString || a.hostName || '') + ':' + (a.port ?? '');
}

function legTable(stream) {
  const row = (label, lan, vpn) => h('tr', {}, h('td', {}, label), h('td', {class: 'mono'}, addr(lan)),
    h('td', {class: 'mono'}, addr(vpn)));
  return table(['', 'LAN side (phone)', 'VPN side (PBX)'], [
    row('Bridge RTP', stream.lan && stream.lan.bridgeRtp, stream.vpn && stream.vpn.bridgeRtp),
    row('Peer announced (SDP)', stream.lan && stream.lan.announcedRtp, stream.vpn && stream.vpn.announcedRtp),
    row('Peer sending from', stream.lan && stream.lan.latchedRtp, stream.vpn && stream.vpn.latchedRtp),
  ]);
}

function qualityTable(stream) {
  return table(['', {text: 'Phone → PBX', class: 'num'}, {text: 'PBX → phone', class: 'num'}],
    METRICS.map(([label, pick, show]) => h('tr', {},
      h('td', {}, label),
      h('td', {class: 'num', dataset: {metric: label, direction: 'lanToVpn'}}, stream.lanToVpn ? show(pick(stream.lanToVpn)) : '–'),
      h('td', {class: 'num', dataset: {metric: label, direction: 'vpnToLan'}}, stream.vpnToLan ? show(pick(stream.vpnToLan)) : '–'))));
}

function warnings(stream) {
  const found = [];
  for (const [direction, label] of [['lanToVpn', 'Phone → PBX'], ['vpnToLan', 'PBX → phone']]) {
    const d = stream[direction];
    ((d && d.quality && d.quality.warnings) || []).forEach(w => found.push(`${label}: ${WARNING_TEXT[w] || w}`));
  }
  return found.length
    ? h('div', {class: 'banner warn', id: 'quality-warnings'}, h('strong', {}, 'Above the limits PBX vendors publish: '),
      found.join('; '))
    : h('div', {class: 'banner ok', id: 'quality-warnings'},
      'Within the limits PBX vendors publish (loss < 1 %, jitter < 30 ms, one-way delay < 150 ms).');
}

/** A small line chart of one metric for both directions over the call's life. */
function chart(history, metric, label, unit, fixedMax) {
  const width = 520, height = 150, left = 38, bottom = 20, top = 10;
  const values = history.flatMap(s => [s.lanToVpn, s.vpnToLan]).filter(Boolean).map(p => p[metric]).filter(v => v != null);
  const max = fixedMax ?? Math.max(1, ...values) * 1.15;
  const t0 = new Date(history[0].at).getTime();
  const t1 = Math.max(t0 + 1000, new Date(history[history.length - 1].at).getTime());
  const x = t => left + (width - left - 6) * (t - t0) / (t1 - t0);
  const y = v => top + (height - top - bottom) * (1 - Math.min(v, max) / max);
  const line = (direction, colour) => {
    const points = history.filter(s => s[direction] && s[direction][metric] != null)
      .map(s => `${x(new Date(s.at).getTime()).toFixed(1)},${y(s[direction][metric]).toFixed(1)}`);
    return points.length ? svg('polyline', {points: points.join(' '), fill: 'none', stroke: colour, 'stroke-width': 2}) : null;
  };
  return h('div', {},
    h('div', {class: 'muted'}, label),
    svg('svg', {class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label + ' over the call'},
      svg('line', {class: 'axis', x1: left, y1: height - bottom, x2: width, y2: height - bottom}),
      svg('line', {class: 'axis', x1: left, y1: top, x2: left, y2: height - bottom}),
      svg('text', {x: 2, y: top + 8}, fmtNum(max, max < 10 ? 1 : 0) + unit),
      svg('text', {x: 2, y: height - bottom}, '0'),
      svg('text', {x: left, y: height - 4}, '0:00'),
      svg('text', {x: width - 40, y: height - 4}, fmtDuration((t1 - t0) / 1000)),
      line('lanToVpn', '#1f6feb'), line('vpnToLan', '#e8590c')));
}

function charts(history) {
  if (!history || history.length < 2) {
    return h('p', {class: 'muted'}, 'The chart appears after a few seconds of media (one sample every 2 s).');
  }
  return [
    h('div', {class: 'legend'}, h('span', {}, h('span', {class: 'swatch a'}), 'Phone → PBX'),
      h('span', {}, h('span', {class: 'swatch b'}), 'PBX → phone')),
    h('div', {class: 'grid2', id: 'quality-charts'},
      chart(history, 'mos', 'MOS', '', 5), chart(history, 'jitterMs', 'Jitter', ' ms'),
      chart(history, 'lossPercent', 'Loss', ' %'), chart(history, 'packets', 'Packets', ''))];
}

function timeline(items) {
  if (!Array.isArray(items)) return null;
  return card('SIP timeline', items.length === 0 ? h('p', {class: 'muted'}, 'No SIP messages recorded.') :
    h('ul', {class: 'timeline', id: 'timeline'}, items.map(item => {
      const time = item.at ? new Date(item.at) : null;
      const stamp = time ? time.toLocaleTimeString(undefined, {hour12: false}) + '.' + String(time.getMilliseconds()).padStart(3, '0') : '';
      return h('li', {}, h('span', {class: 'mono'}, stamp),
        h('span', {class: 'muted'}, `${item.from || ''} → ${item.to || ''}`), h('span', {class: 'mono'}, item.message || ''));
    })));
}

export function detail(main, callId, ctx) {
  const body = h('div', {id: 'session-detail'}, h('p', {class: 'muted'}, 'Loading…'));
  append(main, h('div', {class: 'toolbar'}, h('a', {href: '#/status/sessions', class: 'button'}, '‹ Sessions'),
    h('button', {type: 'button', id: 'refresh', onclick: () => load()}, 'Refresh')), body);
  async function load() {
    const answer = await get('/api/sessions/' + encodeURIComponent(callId));
    if (answer.status === 404) {
      clear(body, h('h1', {}, 'Call not found'), h('p', {class: 'muted'},
        'The bridge no longer remembers this call: ', h('span', {class: 'mono'}, callId)));
      return;
    }
    if (!answer.ok) {
      clear(body, h('div', {class: 'banner bad'}, errorText(answer)));
      return;
    }
    const s = answer.body;
    const streams = (s.media && s.media.streams) || [];
    clear(body,
      h('h1', {}, h('span', {class: 'from'}, s.from), ' → ', h('span', {class: 'to'}, s.to)),
      h('p', {class: 'subtitle'}, s.outgoing ? 'Call from the phone' : 'Call to the phone', ' · ',
        s.ended ? 'ended' : s.state, ' · ', fmtDuration(s.durationSec)),
      card('Call', h('dl', {class: 'kv'},
        h('dt', {}, 'Call-ID'), h('dd', {class: 'mono', id: 'call-id'}, s.callId),
        h('dt', {}, 'Started'), h('dd', {}, fmtTime(s.started)),
        h('dt', {}, 'Answered'), h('dd', {}, fmtTime(s.answered)),
        h('dt', {}, 'Ended'), h('dd', {}, s.ended ? fmtTime(s.ended) : 'in progress'))),
      timeline(s.timeline),
      streams.length === 0 ? card('Media', h('p', {class: 'muted'}, 'No media was set up for this call.')) :
        streams.map(stream => [
          card(`Media ${stream.media || ''} (m-line ${stream.index})`, legTable(stream)),
          card('Quality', warnings(stream), qualityTable(stream), h('h3', {}, 'Over the call'), charts(s.history))]));
  }
  load();
  ctx.every(POLL_MS, load);
}
