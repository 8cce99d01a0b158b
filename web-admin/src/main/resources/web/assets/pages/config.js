// Configuration › Bridge, Protocols, Media and Diagnostics.
import {h, clear, append, card, badge, table, fmtTime} from '../dom.js';
import {get, post, put, errorText} from '../api.js';
import {ConfigForm, valueAt, setAt, schema} from '../form.js';

const TRANSPORTS = [['udp', 'UDP'], ['tcp', 'TCP'], ['tls', 'TLS']];
const YES_NO = [['true', 'Yes'], ['false', 'No']];
const ENABLE = [['true', 'Enable'], ['false', 'Disable']];

/** An adapter select filled from /api/adapters, keeping a configured value that is not present now. */
function adapterPart(form, key) {
  const row = form.field(key, key.endsWith('lanAdapter') ? 'LAN adapter' : 'VPN adapter', 'select');
  const f = form.fields[form.fields.length - 1];
  return {row, async fill(adapters, current) {
    clear(f.input, h('option', {value: ''}, '— not chosen —'),
      adapters.filter(a => !a.loopback).map(a => h('option', {value: a.name},
        `${a.displayName || a.name} – ${a.addresses.join(', ') || 'no IPv4 address'}${a.up ? '' : ' (down)'}`)));
    if (current && !adapters.some(a => a.name === current)) {
      f.input.append(h('option', {value: current}, current + ' (not found now)'));
    }
    f.input.value = current || '';
  }};
}

function connectionPart() {
  const state = h('span', {id: 'connection-state'});
  const button = h('button', {type: 'button', id: 'connect-toggle'});
  const note = h('span', {class: 'error-text'});
  let connected = false;
  async function refresh(answer) {
    answer = answer || await get('/api/bridge/connection');
    if (!answer.ok) {
      clear(note, errorText(answer));
      return;
    }
    connected = answer.body.connected;
    clear(state, connected ? badge('Connected', 'ok') : badge('Disconnected', 'bad'));
    button.textContent = connected ? 'Disconnect' : 'Connect';
  }
  button.addEventListener('click', async () => {
    button.disabled = true;
    clear(note);
    const answer = await post(connected ? '/api/bridge/disconnect' : '/api/bridge/connect');
    button.disabled = false;
    if (!answer.ok) clear(note, errorText(answer));
    else refresh(answer);
  });
  refresh();
  return h('div', {class: 'field'}, h('label', {}, 'Connection'),
    h('div', {class: 'control'}, h('div', {class: 'toolbar tight'}, state, button, note),
      h('div', {class: 'help'}, 'Disconnect stops all SIP toward the servers (registrations, calls, probes) until Connect.')));
}

/**
 * Central configuration: state, document in force, Sync now, trusting an untrusted server by fingerprint,
 * and Connect (take settings from the folder typed in management.url) / Disconnect (clear it: every
 * managed key returns to this computer's value). The form is reloaded once the service has acted.
 */
function managementPart(form) {
  const view = h('div', {id: 'management-state'});
  const note = h('span', {class: 'error-text'});
  const sync = h('button', {type: 'button', id: 'management-sync'}, 'Sync now');
  const connect = h('button', {type: 'button', id: 'management-connect'}, 'Connect to the server');
  const disconnect = h('button', {type: 'button', id: 'management-disconnect'}, 'Disconnect from the server');
  const urlInput = () => form.fields.find(f => f.key === 'management.url').input;
  /** PUTs management.url, then waits (up to 10 s) until the service reports {@code wanted}, then reloads. */
  async function change(url, wanted) {
    clear(note);
    form.clearErrors();
    connect.disabled = disconnect.disabled = true;
    const answer = await put('/api/config', {management: {url}});
    if (!answer.ok) {
      connect.disabled = disconnect.disabled = false;
      if (answer.status === 400 && answer.body && Array.isArray(answer.body.errors)) form.showErrors(answer.body.errors);
      else clear(note, errorText(answer));
      return;
    }
    for (let i = 0; i < 20; i++) {
      const m = await get('/api/management');
      if (m.ok && wanted(m.body.state)) break;
      await new Promise(resolve => setTimeout(resolve, 500));
    }
    connect.disabled = disconnect.disabled = false;
    await form.load();
    refresh();
  }
  connect.addEventListener('click', () => {
    const url = urlInput().value.trim();
    if (!url) clear(note, 'Type the configuration server folder (https://…/) first.');
    else change(url, state => state !== 'off' && state !== 'waiting');
  });
  disconnect.addEventListener('click', () => change('', state => state === 'off'));
  const STATES = {off: ['Not managed', ''], waiting: ['Waiting for the server', 'warn'], managed: ['Managed', 'ok'],
    failing: ['Failing', 'bad']};
  async function refresh(answer) {
    answer = answer || await get('/api/management');
    if (!answer.ok) {
      clear(note, errorText(answer));
      return;
    }
    const m = answer.body;
    const [text, kind] = STATES[m.state] || [m.state, ''];
    const rows = [['State', badge(text, kind)]];
    if (m.state !== 'off') {
      rows.push(['Document', m.source || '—'], ['Version', m.version || '—'],
        ['Last sync', m.lastSync ? fmtTime(m.lastSync) : '—'],
        ['Managed keys', (m.managedKeys || []).join(', ') || '—']);
      if (m.problem) rows.push(['Problem', h('span', {class: 'error-text'}, m.problem)]);
    }
    const parts = [h('table', {class: 'facts'}, h('tbody', {}, rows.map(([name, value]) =>
      h('tr', {}, h('th', {}, name), h('td', {}, value)))))];
    if ((m.untrusted || []).length) {
      const leaf = m.untrusted[0];
      const trust = h('button', {type: 'button', id: 'management-trust'}, 'Trust this certificate');
      trust.addEventListener('click', async () => {
        const result = await post('/api/management/trust', {sha256: leaf.sha256Fingerprint});
        if (!result.ok) clear(note, errorText(result));
        else setTimeout(refresh, 1000);
      });
      parts.push(h('div', {class: 'banner warn', id: 'management-untrusted'},
        h('strong', {}, 'Untrusted certificate: '), m.untrustedProblem || '',
        h('div', {}, 'Subject: ' + leaf.subject), h('div', {}, 'Issuer: ' + leaf.issuer),
        h('div', {}, 'SHA-256: ' + leaf.sha256Fingerprint), trust));
    }
    clear(view, parts);
    connect.hidden = m.state !== 'off';
    disconnect.hidden = m.state === 'off';
  }
  sync.addEventListener('click', async () => {
    clear(note);
    const answer = await post('/api/management/sync');
    if (!answer.ok) clear(note, errorText(answer));
    setTimeout(refresh, 1000);
  });
  refresh();
  return {element: h('div', {}, view, h('div', {class: 'toolbar tight'}, connect, disconnect, sync, note),
    h('div', {class: 'help'}, 'Connect to the server takes this bridge\'s settings from the folder above; Disconnect stops that, and every '
      + 'centrally managed setting returns to this computer\'s own value.')), refresh};
}

export function bridge(main) {
  const form = new ConfigForm(main, 'Bridge', 'Which PBX to use, which adapters face the phone and the VPN, and phone provisioning.');
  const status = h('span', {id: 'bridge-status'});
  const lan = adapterPart(form, 'bridge.lanAdapter');
  const vpn = adapterPart(form, 'bridge.vpnAdapter');
  const management = managementPart(form);
  append(form.body,
    card('SIP bridge',
      h('div', {class: 'field'}, h('label', {}, 'Status'), h('div', {class: 'control'}, status)),
      form.field('bridge.name', 'Bridge name'),
      form.field('bridge.servers', 'Servers (one per line, failover order)', 'lines'),
      form.field('bridge.serverTransport', 'SIP transport to the servers', 'select', {choices: TRANSPORTS}),
      lan.row, vpn.row,
      form.field('bridge.listenPort', 'Listen port', 'number'),
      connectionPart()),
    card('Managed phone provisioning',
      form.field('bridge.managedPhoneProvisioning', 'Managed phone provisioning', 'checkbox'),
      form.field('bridge.dhcpOptionCode', 'DHCPINFORM option code', 'number'),
      form.field('bridge.provisioningHttpPort', 'HTTP provision proxy port', 'number'),
      form.field('bridge.provisioningHttpsPort', 'HTTPS provision proxy port', 'number'),
      form.field('bridge.provisioningOverHttps', 'Give the phone the HTTPS URL', 'checkbox'),
      form.field('bridge.provisioningUpstream', 'Provisioning server (upstream URL)'),
      form.field('bridge.phoneMacAllowList', 'Phone MAC allow list (one per line)', 'lines'),
      form.field('bridge.sipRegistrationProtocol', 'SIP registration protocol', 'select', {choices: TRANSPORTS}),
      form.field('bridge.maxPhones', 'Phones at most (a REGISTER from one more gets 403)', 'number'),
      form.field('bridge.phoneConfigInjection', 'Tell Polycom phones the bridge is their outbound proxy', 'checkbox')),
    card('Central configuration',
      form.field('management.url', 'Configuration server folder (https://…/)'),
      form.field('management.pollSeconds', 'Check every (seconds)', 'number'),
      management.element));
  form.addCustom({
    async show(config) {
      const [adapters, st] = await Promise.all([get('/api/adapters'), get('/api/status')]);
      const list = adapters.ok ? adapters.body : [];
      lan.fill(list, valueAt(config, 'bridge.lanAdapter'));
      vpn.fill(list, valueAt(config, 'bridge.vpnAdapter'));
      if (st.ok) clear(status, st.body.state === 'READY' ? badge('Ready', 'ok') : badge('Not Ready', 'bad'));
    },
    collect() {},
  });
  form.load();
}

/** The TLS cipher-suite checkboxes: the configured suites first, then every other suite this Java offers. */
function cipherSuitesPart(supported) {
  const box = h('div', {class: 'checks', id: 'cipher-suites'});
  const error = h('div', {class: 'error', id: 'cipher-suites-error'});
  const key = 'protocols.tls.cipherSuites';
  return {
    row: h('div', {class: 'field', dataset: {key}}, h('label', {}, 'Allowed TLS cipher suites'),
      h('div', {class: 'control'}, box, error)),
    show(config) {
      const chosen = valueAt(config, key) || [];
      const all = [...chosen, ...supported.filter(s => !chosen.includes(s))];
      clear(box, all.map(suite => h('label', {}, h('input', {type: 'checkbox', value: suite, checked: chosen.includes(suite)}), suite)));
    },
    collect(change) {
      setAt(change, key, [...box.querySelectorAll('input:checked')].map(i => i.value));
    },
    clearErrors() { clear(error); },
    showError(e) {
      if (!e.key.startsWith(key)) return false;
      append(error, h('div', {}, e.message));
      return true;
    },
  };
}

export async function protocols(main) {
  const form = new ConfigForm(main, 'Protocols', 'SIP over UDP, TCP and TLS, with their timers; SIP DSCP marking.');
  const tlsAnswer = await get('/api/tls');
  const tls = tlsAnswer.ok ? tlsAnswer.body : {certificateInstalled: false, trustedAuthorities: 0, supportedCipherSuites: []};
  const suites = cipherSuitesPart(tls.supportedCipherSuites || []);
  form.addCustom(suites);
  const cert = tls.certificate || {};
  append(form.body,
    h('div', {class: 'grid2'},
      card('UDP',
        form.field('protocols.udp.enabled', 'UDP', 'checkbox'),
        form.field('protocols.udp.port', 'Port number', 'number'),
        form.field('protocols.udp.t1Ms', 'Timer T1 (ms)', 'number'),
        form.field('protocols.udp.t2Ms', 'Timer T2 (ms)', 'number'),
        form.field('protocols.udp.maxInviteRetries', 'Max SIP INVITE retries', 'number'),
        form.field('protocols.udp.maxPacketRetries', 'Max packet retries', 'number')),
      h('div', {},
        card('TCP',
          form.field('protocols.tcp.enabled', 'TCP', 'checkbox'),
          form.field('protocols.tcp.port', 'Port number', 'number'),
          form.field('protocols.tcp.connectTimeoutSec', 'Connect timeout (sec)', 'number')),
        card('SIP QoS',
          form.field('protocols.sipQosTaggingEnabled', 'Mark SIP with DSCP', 'checkbox'),
          form.field('protocols.sipQosDscpValue', 'SIP DSCP value', 'number')))),
    card('TLS',
      form.field('protocols.tls.enabled', 'TLS', 'checkbox'),
      form.field('protocols.tls.port', 'Port number', 'number'),
      form.field('protocols.tls.mutualAuth', 'Mutual authentication', 'select', {choices: YES_NO, boolean: true}),
      suites.row,
      h('div', {class: 'field'}, h('label', {}, 'Certificate installed'), h('div', {class: 'control', id: 'certificate-installed'},
        tls.certificateInstalled ? h('div', {}, badge('Yes', 'ok'), ' ', h('span', {class: 'mono'}, cert.subject || ''),
          h('div', {class: 'help'}, 'Valid until ', fmtTime(cert.notAfter), ' · SHA-256 ', cert.sha256Fingerprint || ''))
          : h('div', {}, badge('No', 'bad'), h('div', {class: 'help'}, 'SIP over TLS is off, or the SIP relay is not running.')))),
      h('div', {class: 'field'}, h('label', {}, 'Trusted authorities installed'),
        h('div', {class: 'control', id: 'trusted-authorities'}, String(tls.trustedAuthorities),
          h('div', {class: 'help'}, 'The Java trust store plus the trusted-authorities file below.'))),
      form.field('protocols.tls.certificateFile', 'Certificate file (PEM)'),
      form.field('protocols.tls.privateKeyFile', 'Private key file (PEM)'),
      form.field('protocols.tls.trustedAuthoritiesFile', 'Trusted authorities file (PEM)')));
  form.load();
}

/** Reference-style names of the media properties. */
const MEDIA_NAMES = {
  'media.rtpQosTaggingEnabled': 'RtpQosTaggingEnabled', 'media.rtpQosDscpValue': 'RtpQosDscpValue',
  'media.rtcpQosTaggingEnabled': 'RtcpQosTaggingEnabled', 'media.rtcpQosDscpValue': 'RtcpQosDscpValue',
  'media.rtpPortRange': 'RtpPortRange', 'media.rtpDiagnosticCaptureEnabled': 'RtpDiagnosticCaptureEnabled',
  'media.rtpDiagnosticCaptureCipherSuite': 'RtpDiagnosticCaptureCipherSuite',
  'media.maxStreamsPerCall': 'MaxStreamsPerCall', 'media.holdTimeoutSec': 'HoldTimeoutSec',
  'media.vpnSourceLearning': 'VpnSourceLearning',
};

/**
 * Configuration › Media as in the reference: a table of the properties set to something other than
 * their default; add one from the list, edit its value, or tick Delete to return it to its default.
 */
export async function media(main) {
  const form = new ConfigForm(main, 'Media', 'RTP ports, DSCP marks, diagnostic captures and per-call media limits. Properties in red take effect after a restart.');
  const body = h('tbody');
  const picker = h('select', {id: 'property-picker', 'aria-label': 'Select name of property to add'});
  const rows = new Map();
  let settings = {};

  function editor(setting, value) {
    if (setting.type === 'BOOLEAN') {
      return h('select', {}, h('option', {value: 'true'}, 'true'), h('option', {value: 'false'}, 'false'));
    }
    if (setting.allowedValues && setting.allowedValues.length) {
      return h('select', {}, setting.allowedValues.map(v => h('option', {value: v}, v)));
    }
    return h('input', {type: 'text', spellcheck: 'false'});
  }

  function addRow(key, value) {
    const setting = settings[key];
    const input = editor(setting);
    input.value = String(value);
    input.id = 'm-' + key.split('.')[1];
    const remove = h('input', {type: 'checkbox', 'aria-label': 'Delete ' + MEDIA_NAMES[key], class: 'delete'});
    const error = h('div', {class: 'error'});
    const tr = h('tr', {dataset: {key}},
      h('td', {class: setting.restart ? 'restart' : ''}, MEDIA_NAMES[key] || key,
        h('div', {class: 'help muted'}, setting.description)),
      h('td', {}, input, h('div', {class: 'help muted'}, setting.range.replace(/`/g, '')), error),
      h('td', {}, remove));
    rows.set(key, {input, remove, error, setting, tr});
    none.remove();
    body.append(tr);
    fillPicker();
  }

  function fillPicker() {
    clear(picker, h('option', {value: ''}, 'Select name of property to add'),
      Object.keys(MEDIA_NAMES).filter(k => !rows.has(k)).map(k => h('option', {value: k,
        class: settings[k] && settings[k].restart ? 'restart' : ''}, MEDIA_NAMES[k])));
  }

  const none = h('tr', {class: 'none'}, h('td', {colspan: 3, class: 'empty'},
    'Every media property has its default value. Add one below to change it.'));
  form.addCustom({
    show(config) {
      rows.clear();
      clear(body, none);
      for (const key of Object.keys(MEDIA_NAMES)) {
        const value = valueAt(config, key);
        if (JSON.stringify(value) !== JSON.stringify(settings[key] && settings[key].default)) addRow(key, value);
      }
      fillPicker();
    },
    collect(change) {
      for (const [key, row] of rows) {
        let value;
        if (row.remove.checked) value = row.setting.default;
        else if (row.setting.type === 'BOOLEAN') value = row.input.value === 'true';
        else if (row.setting.type === 'INTEGER') value = /^-?\d+$/.test(row.input.value.trim()) ? Number(row.input.value.trim()) : row.input.value;
        else value = row.input.value;
        setAt(change, key, value);
      }
    },
    clearErrors() { rows.forEach(r => clear(r.error)); },
    showError(e) {
      const row = rows.get(e.key);
      if (!row) return false;
      append(row.error, e.message);
      return true;
    },
  });
  append(form.body, card('Media properties',
    h('table', {id: 'media-properties'}, h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Value'), h('th', {}, 'Delete'))), body),
    h('div', {class: 'toolbar'}, picker, h('button', {type: 'button', id: 'add-property', onclick: () => {
      if (picker.value) addRow(picker.value, settings[picker.value].default);
    }}, 'Add'))));
  settings = await schema();
  form.load();
}

export async function diagnostics(main) {
  const form = new ConfigForm(main, 'Diagnostics', 'Configuration file, the phone\'s syslog, log files and tracing levels.');
  const about = await get('/api/about');
  const levels = ['OFF', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE'].map(l => [l, l]);
  const topics = h('div', {id: 'trace-topics'});
  append(form.body,
    card('General', h('div', {class: 'field'}, h('label', {}, 'Configuration file'), h('div', {class: 'control'},
      h('a', {href: '/api/config/download', id: 'config-download', download: 'sipbridge.json'}, 'sipbridge.json'),
      h('div', {class: 'help'}, 'The running configuration with passwords removed, for a support case.')))),
    card('Syslog receiver',
      form.field('diagnostics.syslogReceiverEnabled', 'Syslog receiver', 'select', {choices: ENABLE, boolean: true}),
      form.field('diagnostics.syslogPort', 'UDP port', 'number')),
    card('Diagnostic logs',
      h('div', {class: 'field'}, h('label', {}, 'Location'), h('div', {class: 'control mono', id: 'log-location'},
        about.ok ? about.body.logDirectory : '–')),
      form.field('diagnostics.retentionDays', 'Retention (days)', 'number'),
      form.field('diagnostics.compression', 'Compression', 'select', {choices: YES_NO, boolean: true})),
    card('Tracing topics', h('p', {class: 'muted'},
      'Each topic is one part of the bridge. A new level applies at once; raise levels only while you look for a problem.'),
    topics));
  form.addCustom({show(config) {
    const current = valueAt(config, 'diagnostics.traceLevels') || {};
    form.fields = form.fields.filter(f => !f.key.startsWith('diagnostics.traceLevels.'));
    clear(topics, Object.keys(current).map(topic => form.field('diagnostics.traceLevels.' + topic, topic, 'select', {choices: levels})));
    form.fields.filter(f => f.key.startsWith('diagnostics.traceLevels.')).forEach(f => { f.input.value = current[f.key.split('.')[2]]; });
  }, collect() {}});
  form.load();
}
