// The access token, decoded like a debugger: coloured parts, each claim explained, exp counting down.
import { h, replaceChildren, localTime } from './dom.js';
import { decodeJwt, EXPLANATIONS, TIME_CLAIMS } from './jwt.js';
import { currentKey } from './dpop.js';

export function renderToken(container, { mode, accessToken, accessExpiresAt, nextRefreshAt, cookieParts }) {
  const timing = h('dl', { class: 'facts' },
    h('dt', {}, 'Expires'), h('dd', { id: 'token-expiry' }, h('span', { class: 'countdown', dataset: { until: new Date(accessExpiresAt).toISOString() } })),
    h('dt', {}, 'Automatic refresh'), h('dd', { id: 'next-refresh' }, nextRefreshAt ? h('span', { class: 'countdown', dataset: { until: new Date(nextRefreshAt).toISOString() } }) : 'not scheduled'));

  if (mode === 'cookie') {
    // The server decoded the cookie's header and payload for us; the signature stays in the cookie.
    replaceChildren(container,
      h('p', {}, 'The tokens are in HttpOnly cookies (', h('code', {}, '__Host-tessera-at'), ' and ', h('code', {}, '__Host-tessera-rt'),
        '): script in this page cannot read them, which is the point. The browser sends both with every request to this host (the refresh token only from this site: SameSite=Strict); only ', h('code', {}, '/auth/token/refresh'), ' and ', h('code', {}, '…/revoke'), ' read the refresh token.'),
      timing,
      cookieParts ? decodedParts(cookieParts, 'in the cookie, out of script\'s reach') : h('p', { class: 'hint' }, 'Asking the server what the cookie holds…'));
    return;
  }

  const decoded = decodeJwt(accessToken);
  if (!decoded) {
    replaceChildren(container, h('p', {}, 'No access token.'), timing);
    return;
  }
  const [header, payload, signature] = decoded.parts;
  replaceChildren(container,
    h('p', { class: 'jwt', id: 'jwt-raw', 'aria-label': 'The encoded access token: header, payload and signature' },
      h('span', { class: 'jwt-header' }, header), '.', h('span', { class: 'jwt-payload' }, payload), '.', h('span', { class: 'jwt-signature' }, signature)),
    mode === 'dpop'
      ? h('p', { class: 'hint' }, `${accessToken.length} characters, sent in every request as Authorization: DPoP …, beside a DPoP header: a proof of this request signed with the page's key.`)
      : h('p', { class: 'hint' }, `${accessToken.length} characters, sent in every request as Authorization: Bearer …`),
    mode === 'dpop' ? dpopKeyFacts(decoded.payload) : null,
    timing,
    decodedParts(decoded, 'made with the server\'s private key'));
}

function decodedParts({ header, payload, signatureBytes }, where) {
  return [
    claimTable('Header', 'jwt-header', header),
    claimTable('Payload', 'jwt-payload', payload),
    h('p', {}, h('span', { class: 'jwt-signature' }, 'Signature'), `: ${signatureBytes} bytes of ${header.alg}, ${where}; anyone can check it with the public key in `, h('code', {}, '/.well-known/jwks.json'), '.'),
  ];
}

function claimTable(caption, css, members) {
  return h('table', { class: 'claims' },
    h('caption', {}, h('span', { class: css }, caption)),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Value'), h('th', { scope: 'col' }, 'Meaning'))),
    h('tbody', {}, Object.entries(members).map(([name, value]) => h('tr', { dataset: { claim: name } },
      h('th', { scope: 'row' }, h('code', {}, name)),
      h('td', {}, h('code', {}, JSON.stringify(value)), TIME_CLAIMS.has(name) ? [' ', h('span', { class: 'hint' }, localTime(value * 1000))] : null,
        name === 'exp' ? [' ', h('span', { class: 'countdown', dataset: { until: new Date(value * 1000).toISOString() } })] : null),
      h('td', {}, EXPLANATIONS[name] ?? '')))));
}


// The page's DPoP key as far as script can see it: the public half and its thumbprint, which the
// server put in the token's cnf.jkt. The private half cannot be exported (extractable: false).
function dpopKeyFacts(payload) {
  const thumbprint = h('code', { id: 'dpop-thumbprint' }, '…');
  const bound = h('dd', { id: 'dpop-bound' }, '…');
  currentKey().then((key) => {
    thumbprint.textContent = key?.thumbprint ?? 'no key';
    bound.textContent = key && payload.cnf?.jkt === key.thumbprint ? 'yes: cnf.jkt is this key\'s thumbprint' : 'no: cnf.jkt does not match this page\'s key';
  });
  return h('dl', { class: 'facts', id: 'dpop-key' },
    h('dt', {}, 'DPoP key'), h('dd', {}, 'ECDSA P-256 (ES256), made in this browser, kept in IndexedDB; the private key cannot be exported'),
    h('dt', {}, 'Key thumbprint'), h('dd', {}, thumbprint),
    h('dt', {}, 'Token bound to it'), bound);
}
