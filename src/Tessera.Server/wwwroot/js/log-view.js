// The request log: method, path, status and the credential each call carried.
import { h } from './dom.js';

const MAX_ROWS = 200;

export function credentialText(entry) {
  const c = entry.credentials;
  if (!c) return entry.scheme === 'Authorization' ? 'Authorization' : 'unknown';
  const sent = [];
  if (c.authorizationBytes > 0) sent.push(`Authorization: ${c.authorizationBytes} B`);
  if (c.cookieBytes > 0) sent.push(`Cookie: ${c.cookieBytes} B (${c.cookies.join(', ') || 'no names'})`);
  // The DPoP header (RFC 9449) is not a credential on its own: a proof that the sender holds the key.
  if (entry.dpop) sent.push('DPoP proof');
  return sent.length ? sent.join(' + ') : 'none';
}

export function addLogRow(tbody, entry) {
  const kind = entry.credentials?.authorizationBytes > 0 ? 'authorization' : entry.credentials?.cookieBytes > 0 ? 'cookie' : 'none';
  const statusClass = entry.status >= 500 || entry.status === 0 ? 'bad' : entry.status >= 400 ? 'warn' : 'good';
  const row = h('tr', { dataset: { credential: kind, status: String(entry.status) } },
    h('td', {}, entry.at.toLocaleTimeString()),
    h('td', {}, h('code', {}, `${entry.method} ${entry.path}`), entry.label ? h('span', { class: 'tag' }, entry.label) : null),
    h('td', { class: statusClass }, entry.status === 0 ? 'network error' : String(entry.status)),
    h('td', { class: `credential ${kind}` }, credentialText(entry)),
    h('td', {}, entry.credentials?.setCookies.join(', ') || '—'));
  tbody.prepend(row);
  while (tbody.rows.length > MAX_ROWS) tbody.lastElementChild.remove();
}
