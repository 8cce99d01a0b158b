// The provisioning upstream's certificate that the bridge refused: details, PEM download and Trust.
import {h, clear, append, card, badge, fmtTime} from '../dom.js';
import {get, post, errorText} from '../api.js';

function details(c, index) {
  const row = (label, value) => [h('dt', {}, label), h('dd', {class: 'mono'}, value)];
  return card(index === 0 ? 'Server certificate' : `Issuer certificate ${index}`, h('dl', {class: 'kv'},
    row('Subject', c.subject), row('Issuer', c.issuer), row('Serial number', c.serialNumber),
    row('Valid from', fmtTime(c.notBefore)), row('Valid until', fmtTime(c.notAfter)),
    row('Signature algorithm', c.signatureAlgorithm), row('SHA-256 fingerprint', c.sha256Fingerprint),
    row('Alternative names', (c.subjectAlternativeNames || []).join(', ') || '–')));
}

export function page(main) {
  const body = h('div', {id: 'certificate-body'});
  append(main, h('h1', {}, 'Provisioning upstream certificate'),
    h('p', {class: 'subtitle'}, 'The certificate of the office provisioning server, when the bridge does not trust it.'), body);
  async function load(note) {
    const answer = await get('/api/certificates/untrusted');
    if (answer.status === 404) {
      clear(body, note || null, h('div', {class: 'banner ok'},
        'No untrusted certificate: the provisioning server\'s certificate is trusted, or it has not been contacted over HTTPS.'));
      return;
    }
    if (!answer.ok) {
      clear(body, h('div', {class: 'banner bad'}, errorText(answer)));
      return;
    }
    const chain = answer.body;
    const leaf = chain.certificates[0];
    const message = h('span', {class: 'error-text'});
    const trust = h('button', {type: 'button', class: 'primary', id: 'trust', disabled: !chain.trustable, onclick: async () => {
      trust.disabled = true;
      const result = await post('/api/certificates/untrusted/trust', {sha256: leaf.sha256Fingerprint});
      if (result.ok) load(h('div', {class: 'banner ok'}, 'Trusted: the bridge now accepts this certificate.'));
      else { trust.disabled = false; message.textContent = errorText(result); }
    }}, 'Trust this certificate');
    clear(body,
      h('div', {class: 'banner warn'}, h('strong', {}, chain.upstream), ' presented a certificate the bridge does not trust: ',
        chain.problem, ' (', fmtTime(chain.seenAt), ')'),
      h('div', {class: 'toolbar'}, trust,
        h('a', {class: 'button', href: '/api/certificates/untrusted/pem', download: 'upstream-chain.pem'}, 'Download PEM chain'),
        chain.trustable ? null : badge('Trusting would not help: fix the server', 'bad'), message),
      chain.certificates.map(details));
  }
  load();
}
