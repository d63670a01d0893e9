// Acts out a stolen access token: a thief who copied it (an injected script, a log, a proxy)
// replays it from elsewhere. A bearer token works for whoever holds it (RFC 6750 §5.1.1); a
// DPoP-bound one (cnf.jkt, RFC 9449 §6.1) needs a proof signed by the page's key, which the thief
// does not have: the page's key is non-extractable, so not even script here can copy it. Every
// call is real; the page plays both parts. Each mode's last outcome is kept (statuses only, no
// token) so the two can be shown side by side: in memory, which outlives a sign-out and a sign-in
// in another mode on the same page, and in localStorage for a reload (sign-out clears site
// storage with Clear-Site-Data, so only the in-memory copy crosses it).
import { call } from './api.js';
import { current, request } from './auth.js';
import { dpopCall, throwawayKey } from './dpop.js';
import { h, replaceChildren, localTime } from './dom.js';

const TARGET = '/shop/cart';
const RESULT_KEY = (mode) => `tessera.theft.${mode}`;
const remembered = {};

const ROWS = [
  { id: 'owner', text: 'This page, as it always sends it' },
  { id: 'bearer-replay', text: 'A thief, as Authorization: Bearer' },
  { id: 'foreign-proof', text: 'A thief, as Authorization: DPoP with a proof from its own key' },
];

// Resolves to { mode, at, outcomes: { owner, 'bearer-replay', 'foreign-proof'? } } and stores it.
export async function simulateStolenAccessToken() {
  const { mode, accessToken } = current();
  if (mode !== 'bearer' && mode !== 'dpop') throw new Error('Only the modes that keep the token in the page can show it stolen.');
  const outcome = (answer) => ({ status: answer.status, error: answer.error ?? errorOf(answer.challenge) });
  const outcomes = {};
  outcomes.owner = outcome(await request('GET', TARGET, { label: 'this page' }));
  outcomes['bearer-replay'] = outcome(await call('GET', TARGET, { bearer: accessToken, label: 'thief: Bearer' }));
  if (mode === 'dpop') {
    // The thief's best try: its own key, a well-formed proof for this very request, ath included.
    outcomes['foreign-proof'] = outcome(await dpopCall('GET', TARGET, { accessToken, key: await throwawayKey(), label: 'thief: own key' }));
  }
  const result = { mode, at: new Date().toISOString(), outcomes };
  remembered[mode] = result;
  localStorage.setItem(RESULT_KEY(mode), JSON.stringify(result));
  return result;
}

export function storedTheft(mode) {
  if (remembered[mode]) return remembered[mode];
  try {
    return JSON.parse(localStorage.getItem(RESULT_KEY(mode)) ?? 'null');
  } catch {
    return null;
  }
}

// The table: one column per mode, this mode's fresh result beside the other's last one.
export function renderTheft(container) {
  const results = { bearer: storedTheft('bearer'), dpop: storedTheft('dpop') };
  if (!results.bearer && !results.dpop) {
    replaceChildren(container);
    return;
  }
  const cell = (mode, row) => {
    const result = results[mode];
    if (!result) {
      return h('td', { dataset: { mode, row: row.id } }, mode === 'bearer'
        ? 'Not run yet: sign in with "Tokens in the page (bearer)" and run it there.'
        : 'Not run yet: sign in with "Tokens in the page + DPoP" and run it there.');
    }
    const outcome = result.outcomes[row.id];
    if (!outcome) return h('td', { dataset: { mode, row: row.id } }, 'Not needed: the token alone is enough.');
    const accepted = outcome.status >= 200 && outcome.status < 300;
    const good = row.id === 'owner' ? accepted : !accepted;
    return h('td', { class: good ? 'good' : 'bad', dataset: { mode, row: row.id, status: String(outcome.status) } },
      accepted ? `${outcome.status}: accepted` : `${outcome.status}: refused${outcome.error ? ` (${outcome.error})` : ''}`);
  };
  const when = (mode) => (results[mode] ? h('span', { class: 'hint' }, ` run ${localTime(results[mode].at)}`) : null);
  replaceChildren(container, h('table', { id: 'theft-table' },
    h('caption', {}, `A stolen access token replayed against GET ${TARGET}`),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Who sends it, how'),
      h('th', { scope: 'col' }, 'Bearer token', when('bearer')),
      h('th', { scope: 'col' }, 'DPoP-bound token', when('dpop')))),
    h('tbody', {}, ROWS.map((row) => h('tr', {}, h('th', { scope: 'row' }, row.text), cell('bearer', row), cell('dpop', row))))));
}

export function summary({ mode, outcomes }) {
  const thiefAccepted = [outcomes['bearer-replay'], outcomes['foreign-proof']].some((o) => o && o.status >= 200 && o.status < 300);
  if (mode === 'bearer') {
    return thiefAccepted ? 'The thief\'s copy of the bearer token was accepted: holding it is all it takes.' : 'Unexpected: the bearer token was refused to the thief.';
  }
  return thiefAccepted
    ? 'Unexpected: the server accepted the stolen DPoP-bound token.'
    : 'The thief\'s copy of the DPoP-bound token was refused both ways: without this page\'s key it is useless.';
}

// error="…" of a WWW-Authenticate challenge (RFC 6750 §3, RFC 9449 §7.1), when the body had none.
function errorOf(challenge) {
  return (/error="([^"]+)"/.exec(challenge ?? '') ?? [])[1] ?? null;
}
