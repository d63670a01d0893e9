// The three ways to hold a sign-in, behind one interface: request() adds what the mode needs,
// refresh() renews tokens (one at a time across tabs), signOut() ends the session on the server.
import { call } from './api.js';
import { createKey, dpopCall, dropCachedKey, forgetKey, loadKey } from './dpop.js';

export const MODES = {
  session: 'Session cookie',
  bearer: 'Tokens in the page (bearer)',
  cookie: 'Tokens in HttpOnly cookies',
  dpop: 'Tokens in the page + DPoP',
};

// bearer and dpop keep the tokens in the page; dpop adds a key the page can use but not read (dpop.js).
const inPage = (mode) => mode === 'bearer' || mode === 'dpop';
const tokenMode = (mode) => inPage(mode) || mode === 'cookie';

// What survives a reload. The mode is not a secret. In bearer mode the tokens are kept here too,
// so that a reload and the other tabs share them: script-readable storage, which is exactly the
// risk the HttpOnly-cookie mode exists to avoid (any script injected into the page could read it).
const MODE_KEY = 'tessera.mode';
const BEARER_KEY = 'tessera.bearer';
const COOKIE_EXPIRY_KEY = 'tessera.cookieTokens.expiresAt';
const REFRESH_LOCK = 'tessera-refresh';
// Set while a refresh is on the wire: if the page unloads before the answer arrives, the server
// has rotated the token but the page never stored the new one. The next load then refreshes at
// once, inside the server's grace window, and receives that same new token again.
const IN_FLIGHT_KEY = 'tessera.refreshInFlight';

const listeners = new Set();
let state = { mode: null, accessToken: null, refreshToken: null, accessExpiresAt: null };
let refreshTimer = null;
let refreshDueAt = null;

export function onAuthChanged(listener) {
  listeners.add(listener);
}

export const current = () => ({ ...state });

function setState(next, why) {
  state = { ...state, ...next };
  scheduleRefresh();
  for (const listener of listeners) listener(current(), why);
}

function persist() {
  if (state.mode) localStorage.setItem(MODE_KEY, state.mode);
  else localStorage.removeItem(MODE_KEY);
  if (inPage(state.mode) && state.refreshToken) {
    localStorage.setItem(BEARER_KEY, JSON.stringify({ accessToken: state.accessToken, refreshToken: state.refreshToken, accessExpiresAt: state.accessExpiresAt }));
  } else {
    localStorage.removeItem(BEARER_KEY);
  }
  if (state.mode === 'cookie' && state.accessExpiresAt) localStorage.setItem(COOKIE_EXPIRY_KEY, String(state.accessExpiresAt));
  else localStorage.removeItem(COOKIE_EXPIRY_KEY);
}

function stored() {
  const mode = localStorage.getItem(MODE_KEY);
  if (inPage(mode)) {
    try {
      return { mode, ...JSON.parse(localStorage.getItem(BEARER_KEY) ?? 'null') };
    } catch {
      return { mode: null };
    }
  }
  if (mode === 'cookie') return { mode, accessToken: null, refreshToken: null, accessExpiresAt: Number(localStorage.getItem(COOKIE_EXPIRY_KEY)) || null };
  return { mode: mode === 'session' ? mode : null, accessToken: null, refreshToken: null, accessExpiresAt: null };
}

// A request with the current credential. In the token modes an access token that expired
// underneath us (sleep, a paused tab) gets one refresh and one retry.
export async function request(method, path, options = {}) {
  let answer = await send(method, path, options);
  if (answer.status === 401 && answer.error === 'invalid_token' && tokenMode(state.mode)) {
    if (await refresh()) answer = await send(method, path, options);
  }
  // invalid_credentials is a password typed again (deleting the account) that was wrong: the
  // session itself is still good, so the page stays signed in.
  if (answer.status === 401 && state.mode && answer.error !== 'invalid_credentials') signedOutBy(answer);
  return answer;
}

// DPoP mode: Authorization: DPoP and a proof with ath (RFC 9449 §7); otherwise the bearer token, if any.
function send(method, path, options) {
  if (state.mode === 'dpop') return dpopCall(method, path, { ...options, accessToken: state.accessToken });
  return call(method, path, { ...options, bearer: state.mode === 'bearer' ? state.accessToken : undefined });
}

export async function register(username, password) {
  return call('POST', '/auth/register', { body: { username, password } });
}

export async function signIn(mode, username, password) {
  const path = { session: '/auth/session', bearer: '/auth/token', cookie: '/auth/token?delivery=cookie', dpop: '/auth/token' }[mode];
  const answer = mode === 'dpop'
    ? await dpopCall('POST', path, { body: { username, password }, key: await createKey() })
    : await call('POST', path, { body: { username, password } });
  if (!answer.ok) {
    if (mode === 'dpop') await forgetKey();
    return answer;
  }
  if (mode === 'dpop' && answer.body?.token_type !== 'DPoP') return refuseUnbound(answer);
  if (mode === 'session') setState({ mode, accessToken: null, refreshToken: null, accessExpiresAt: null }, 'signed-in');
  else adoptTokens(mode, answer.body, 'signed-in');
  persist();
  return answer;
}

// A sign-in answered by another route (a passkey, passkeys.js): the same answer as signIn's, kept the same way.
export function adoptSignIn(mode, body) {
  if (mode === 'session') setState({ mode, accessToken: null, refreshToken: null, accessExpiresAt: null }, 'signed-in');
  else adoptTokens(mode, body, 'signed-in');
  persist();
}

// A server that ignored the proof answers token_type Bearer (RFC 9449 §5): say so rather than
// pretend the tokens are bound, and end the session it made.
async function refuseUnbound(answer) {
  await call('POST', '/auth/token/revoke', { body: { refresh_token: answer.body?.refresh_token } });
  await forgetKey();
  return { ...answer, ok: false, error: 'dpop_not_bound', detail: `The server answered token_type ${answer.body?.token_type ?? '(none)'}, not DPoP: it did not bind the tokens to this page's key.` };
}

function adoptTokens(mode, body, why) {
  setState({
    mode,
    accessToken: inPage(mode) ? body.access_token : null,
    refreshToken: inPage(mode) ? body.refresh_token : null,
    accessExpiresAt: Date.now() + body.expires_in * 1000,
  }, why);
}

export async function signOut() {
  const mode = state.mode;
  let answer;
  if (mode === 'session') answer = await call('DELETE', '/auth/session');
  else if (mode === 'bearer') answer = await call('POST', '/auth/token/revoke', { body: { refresh_token: state.refreshToken } });
  else if (mode === 'cookie') answer = await call('POST', '/auth/token/revoke', { body: {} });
  else if (mode === 'dpop') answer = await dpopCall('POST', '/auth/token/revoke', { body: { refresh_token: state.refreshToken } });
  forget('signed-out');
  return answer;
}

// The session ended on the server (signed out elsewhere, revoked, expired): forget it here too.
function signedOutBy(answer) {
  forget(answer.error ?? 'unauthenticated');
}

export function forget(why) {
  if (state.mode === 'dpop') forgetKey();
  state = { mode: null, accessToken: null, refreshToken: null, accessExpiresAt: null };
  persist();
  setState({}, why);
}

// Back from a reload: the mode (and in bearer mode the tokens) from storage, then ask the server.
export async function resume() {
  const saved = stored();
  if (!saved.mode) return null;
  // The key is in IndexedDB: without it the DPoP-bound tokens are useless, so the sign-in is over.
  if (saved.mode === 'dpop' && !(await loadKey())) return null;
  state = { mode: saved.mode, accessToken: saved.accessToken ?? null, refreshToken: saved.refreshToken ?? null, accessExpiresAt: saved.accessExpiresAt ?? null };
  const interrupted = localStorage.getItem(IN_FLIGHT_KEY) !== null;
  if (state.mode !== 'session' && (interrupted || !state.accessExpiresAt || state.accessExpiresAt - Date.now() < 5000)) {
    if (!(await refresh())) return null;
  }
  const me = await request('GET', '/auth/me');
  if (me.ok) setState({}, 'resumed');
  return me.ok ? me : null;
}

// Renews the token pair. One refresh at a time across every tab of this origin (Web Locks API):
// a tab that waited for the lock first looks whether another tab already refreshed, and takes
// that result instead of presenting a refresh token that has just been used up.
export async function refresh({ label } = {}) {
  const mode = state.mode;
  if (!tokenMode(mode)) return false;
  const seen = { refreshToken: state.refreshToken, accessExpiresAt: state.accessExpiresAt };
  return withRefreshLock(async () => {
    const latest = stored();
    if (latest.mode !== mode) return false;
    const refreshedElsewhere = inPage(mode)
      ? latest.refreshToken && latest.refreshToken !== seen.refreshToken
      : latest.accessExpiresAt && seen.accessExpiresAt && latest.accessExpiresAt > seen.accessExpiresAt;
    if (refreshedElsewhere && latest.accessExpiresAt - Date.now() > 5000) {
      setState({ accessToken: latest.accessToken ?? null, refreshToken: latest.refreshToken ?? null, accessExpiresAt: latest.accessExpiresAt }, 'refreshed-elsewhere');
      return true;
    }
    return refreshNow(mode, label);
  });
}

async function refreshNow(mode, label) {
  localStorage.setItem(IN_FLIGHT_KEY, String(Date.now()));
  const answer = mode === 'dpop'
    ? await dpopCall('POST', '/auth/token/refresh', { body: { refresh_token: state.refreshToken }, label })
    : await call('POST', '/auth/token/refresh', { body: mode === 'bearer' ? { refresh_token: state.refreshToken } : {}, label });
  localStorage.removeItem(IN_FLIGHT_KEY);
  if (!answer.ok) {
    signedOutBy(answer);
    return false;
  }
  adoptTokens(mode, answer.body, 'refreshed');
  persist();
  return true;
}

export function withRefreshLock(work) {
  // Web Locks exist in secure contexts (https, and http://localhost or 127.0.0.1).
  return navigator.locks ? navigator.locks.request(REFRESH_LOCK, work) : work();
}

// Refresh a little before expiry: a quarter of the lifetime, at most a minute, ahead.
function scheduleRefresh() {
  clearTimeout(refreshTimer);
  refreshTimer = null;
  refreshDueAt = null;
  if (!tokenMode(state.mode) || !state.accessExpiresAt) return;
  const remaining = state.accessExpiresAt - Date.now();
  const margin = Math.min(60_000, Math.max(1000, remaining / 4));
  const delay = Math.max(0, remaining - margin);
  refreshDueAt = Date.now() + delay;
  refreshTimer = setTimeout(() => refresh({ label: 'automatic' }), delay);
}

export const nextRefreshAt = () => refreshDueAt;

// Another tab refreshed or signed out: follow it.
window.addEventListener('storage', (event) => {
  if (![MODE_KEY, BEARER_KEY, COOKIE_EXPIRY_KEY].includes(event.key)) return;
  dropCachedKey();
  const latest = stored();
  if (!latest.mode && state.mode) {
    state = { mode: null, accessToken: null, refreshToken: null, accessExpiresAt: null };
    setState({}, 'signed-out-elsewhere');
  } else if (latest.mode && latest.mode === state.mode) {
    setState({ accessToken: latest.accessToken ?? null, refreshToken: latest.refreshToken ?? null, accessExpiresAt: latest.accessExpiresAt }, 'refreshed-elsewhere');
  }
});
