// The admin view's key ring: every signing key with its state and dates, and the rotate button.
import { $, h, replaceChildren, localTime } from './dom.js';
import { request } from './auth.js';
import { announce, succeeded } from './admin-common.js';

// The dates other than createdAt that the server gives a key (activatesAt, retiresAt, …): shown by
// name, so a date the ring adds later still appears.
function otherDates(key) {
  return Object.entries(key)
    .filter(([name, value]) => name !== 'createdAt' && name.endsWith('At') && typeof value === 'string')
    .map(([name, value]) => `${name.slice(0, -2)}: ${localTime(value)}`)
    .join('; ') || '—';
}

function renderKeys(keys) {
  replaceChildren($('#admin-keys-table tbody'), keys.map((key) => h('tr', { dataset: { kid: key.kid, state: key.state } },
    h('th', { scope: 'row' }, h('code', {}, key.kid)),
    h('td', {}, key.alg),
    h('td', { class: `state state-${key.state}` }, key.state),
    h('td', {}, key.createdAt ? localTime(key.createdAt) : '—'),
    h('td', {}, otherDates(key)))));
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
      const answer = await request('POST', '/admin/keys/rotate');
      if (!succeeded(answer)) return;
      renderKeys(answer.body.keys);
      const current = answer.body.keys.find((k) => k.state === 'current');
      announce(`Rotated the signing keys${current ? `: ${current.kid} is now current` : ''}.`);
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
