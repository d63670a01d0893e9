// The admin view's key ring: every signing key with its state and dates, and the rotate button.
import { $, h, replaceChildren } from './dom.js';
import { request } from './auth.js';
import { announce, succeeded, timeOrDash } from './admin-common.js';

// current signs now; next is published ahead of signing (so verifiers cache it first); retiring
// signs no more but stays published until the tokens it signed have expired; retired is gone.
function renderKeys(keys) {
  replaceChildren($('#admin-keys-table tbody'), keys.map((key) => h('tr', { dataset: { kid: key.kid, alg: key.alg, state: key.state } },
    h('th', { scope: 'row' }, h('code', {}, key.kid)),
    h('td', {}, key.alg),
    h('td', { class: `state state-${key.state}` }, key.state),
    h('td', {}, timeOrDash(key.createdAt)),
    h('td', {}, timeOrDash(key.activatesAt)),
    h('td', {}, timeOrDash(key.retiredAt)),
    h('td', {}, key.published ? 'yes' : 'no'))));
}

export async function loadKeys() {
  const answer = await request('GET', '/admin/keys');
  if (succeeded(answer)) renderKeys(answer.body.keys);
}

export function initKeys({ onChanged }) {
  $('#admin-rotate-button').addEventListener('click', async () => {
    const button = $('#admin-rotate-button');
    button.disabled = true;
    try {
      const before = new Set([...$('#admin-keys-table tbody').rows].map((row) => row.dataset.kid));
      const answer = await request('POST', '/admin/keys/rotate', { body: { immediately: $('#admin-rotate-now').checked } });
      if (!succeeded(answer)) return;
      renderKeys(answer.body.keys);
      const added = answer.body.keys.find((k) => !before.has(k.kid));
      announce(added ? `Rotated the signing keys: ${added.kid} is ${added.state === 'current' ? 'current now' : `${added.state}, signing from ${timeOrDash(added.activatesAt)}`}.` : 'Rotated the signing keys.');
      await onChanged();
    } finally {
      button.disabled = false;
      button.focus();
    }
  });
}

export function resetKeys() {
  $('#admin-keys-table tbody').replaceChildren();
}
