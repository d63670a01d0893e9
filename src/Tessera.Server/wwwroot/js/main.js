// Wires the console: the forms and buttons, and what each part shows after every change.
import { $, h } from './dom.js';
import { call, onRequestLogged } from './api.js';
import { MODES, current, forget, nextRefreshAt, onAuthChanged, refresh, register, request, resume, signIn, signOut } from './auth.js';
import { hideAdmin, renderAdmin } from './admin-view.js';
import { initAccountDeletion, resetAccountDeletion, setAccountDeletionPasswordless } from './account-deletion.js';
import { addLogRow } from './log-view.js';
import { hidePasskeySignIn, initPasskeySignIn, startPasskeyAutofill, stopPasskeyAutofill } from './passkey-sign-in.js';
import { initPasskeys, loadPasskeys, resetPasskeys } from './passkeys-view.js';
import { simulateStolenRefreshToken } from './replay.js';
import { renderTheft, simulateStolenAccessToken, summary } from './dpop-theft.js';
import { renderAttributes, renderDevices, renderSessionFacts, tickCountdowns } from './session-view.js';
import { renderCart, renderOrders, renderProducts } from './shop-view.js';
import { renderToken } from './token-view.js';

const REASONS = {
  'signed-out': 'Signed out: the session is revoked on the server.',
  'signed-out-elsewhere': 'Signed out in another tab.',
  'account-deleted': 'Your account is deleted: every session of it has ended.',
  session_revoked: 'This session has ended (signed out or revoked, maybe from another device).',
  session_expired: 'This session has expired.',
  refresh_token_reused: 'A used-up refresh token came back: the server revoked the whole session.',
  invalid_grant: 'The refresh token is no longer valid.',
  unauthenticated: 'Not signed in.',
};

let settings = null;

onRequestLogged((entry) => addLogRow($('#log-table tbody'), entry));

onAuthChanged((state, why) => {
  const signedIn = Boolean(state.mode);
  $('#sign-in').hidden = signedIn;
  $('#account').hidden = !signedIn;
  $('#session').hidden = !signedIn;
  $('#devices').hidden = !signedIn;
  $('#token').hidden = !(state.mode === 'bearer' || state.mode === 'cookie' || state.mode === 'dpop');
  // DPoP mode: a thief's copy of the refresh token refreshes nothing, so the reuse story does not apply.
  $('#replay-button').hidden = state.mode === 'dpop';
  $('#theft').hidden = !(state.mode === 'bearer' || state.mode === 'dpop');
  renderTheft($('#theft-result'));
  $('#order-button').disabled = !signedIn;
  if (!signedIn) {
    hideAdmin();
    resetAccountDeletion();
    resetPasskeys();
    startPasskeyAutofill();
    setStatus(REASONS[why] ?? 'Signed out.');
    $('#cart').replaceChildren(h('p', { class: 'hint' }, 'Sign in to fill a cart.'));
    $('#orders').replaceChildren();
    $('#after-sign-out').hidden = why !== 'signed-out';
    document.body.dataset.mode = '';
    document.body.dataset.ready = 'signed-out';
    return;
  }
  hidePasskeySignIn();
  document.body.dataset.mode = state.mode;
  $('#after-sign-out').hidden = true;
  $('#mode-name').textContent = MODES[state.mode];
  renderTokenPanel();
  if (state.mode === 'cookie' && (why === 'refreshed' || why === 'refreshed-elsewhere')) loadCookieToken();
});

function setStatus(text) {
  $('#status').textContent = text;
}

let cookieParts = null;

function renderTokenPanel() {
  const state = current();
  if (state.mode === 'bearer' || state.mode === 'cookie' || state.mode === 'dpop') {
    renderToken($('#token-view'), { ...state, nextRefreshAt: nextRefreshAt(), cookieParts });
    tickCountdowns($('#token-view'));
  }
}

// Cookie mode: script cannot read the access-token cookie, so ask the server to decode it.
async function loadCookieToken() {
  cookieParts = null;
  if (current().mode !== 'cookie') return;
  const answer = await request('GET', '/console/access-token');
  if (answer.ok) cookieParts = answer.body;
  renderTokenPanel();
}

async function showSignedIn(me) {
  document.body.dataset.ready = 'loading';
  $('#who').textContent = me.user.username;
  setStatus(`Signed in as ${me.user.username} (${MODES[current().mode]}).`);
  renderSessionFacts($('#session-facts'), me.session);
  setAccountDeletionPasswordless(me.user.hasPassword === false);
  await Promise.all([loadAttributes(), loadDevices(), loadCart(), loadOrders(), loadCookieToken(), renderAdmin(me), loadPasskeys(me)]);
  document.body.dataset.ready = 'signed-in';
}

async function refreshMe() {
  const me = await request('GET', '/auth/me');
  if (me.ok) await showSignedIn(me.body);
}

async function loadAttributes() {
  const answer = await request('GET', '/auth/session/attributes');
  if (answer.ok) renderAttributes($('#attributes'), answer.body.attributes);
}

async function loadDevices() {
  const answer = await request('GET', '/auth/sessions');
  if (answer.ok) renderDevices($('#device-list'), answer.body.sessions, endDevice);
}

async function loadCart() {
  const answer = await request('GET', '/shop/cart');
  if (answer.ok) renderCart($('#cart'), answer.body);
}

async function loadOrders() {
  const answer = await request('GET', '/shop/orders');
  if (answer.ok) renderOrders($('#orders'), answer.body.orders);
}

async function endDevice(session) {
  const answer = await request('DELETE', `/auth/sessions/${encodeURIComponent(session.id)}`);
  if (answer.ok && session.current) {
    forget('signed-out');
    return;
  }
  $('#account-message').textContent = answer.ok ? `Session ${session.id} ended.` : answer.detail ?? 'Could not end it.';
  if (current().mode) await loadDevices();
}

function credentials() {
  const username = $('#username').value.trim();
  const password = $('#password').value;
  const mode = document.querySelector('input[name="mode"]:checked').value;
  return { username, password, mode };
}

function explain(answer) {
  if (answer.error === 'validation_failed' && answer.body?.errors) {
    return Object.values(answer.body.errors).flat().join(' ');
  }
  return answer.detail ?? answer.error ?? `HTTP ${answer.status}`;
}

$('#credentials').addEventListener('submit', async (event) => {
  event.preventDefault();
  const { username, password, mode } = credentials();
  const message = $('#form-message');
  if (!username || !password) {
    message.textContent = 'Enter a username and a password.';
    return;
  }
  message.textContent = '';
  // One WebAuthn request at a time, and none left waiting behind a password sign-in.
  await stopPasskeyAutofill('password submitted');
  const answer = await signIn(mode, username, password);
  if (!answer.ok) {
    message.textContent = explain(answer);
    startPasskeyAutofill();
    return;
  }
  $('#password').value = '';
  await refreshMe();
});

$('#register-button').addEventListener('click', async () => {
  const { username, password } = credentials();
  const message = $('#form-message');
  const answer = await register(username, password);
  message.textContent = answer.ok ? `Registered ${answer.body.username}. Now sign in.` : explain(answer);
});

// After signing out, the page presents whatever credential it still has: none in the cookie
// modes (the server cleared the cookies), the old access token in bearer mode.
let lastBearer = null;

$('#sign-out-button').addEventListener('click', async () => {
  lastBearer = current().mode === 'bearer' ? current().accessToken : null;
  $('#try-again-result').textContent = '';
  await signOut();
});

$('#sign-out-others-button').addEventListener('click', async () => {
  const answer = await request('DELETE', '/auth/sessions?others=true');
  $('#account-message').textContent = answer.ok ? `Signed out ${answer.body.revoked} other session(s).` : explain(answer);
  if (answer.ok) await loadDevices();
});

$('#try-again-button').addEventListener('click', async () => {
  const answer = await call('GET', '/shop/cart', { bearer: lastBearer ?? undefined, label: lastBearer ? 'old token' : undefined });
  $('#try-again-result').textContent = answer.ok ? 'Still accepted?!' : `Refused: ${answer.status} ${answer.error}. ${answer.detail ?? ''}`;
});

$('#session-reload-button').addEventListener('click', refreshMe);

initAccountDeletion();
initPasskeys({ passwordRemoved: refreshMe });
initPasskeySignIn({ signedIn: refreshMe, mode: () => credentials().mode });

$('#attribute-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const key = $('#attribute-key').value.trim();
  const answer = await request('PUT', `/auth/session/attributes/${encodeURIComponent(key)}`, { body: { value: $('#attribute-value').value } });
  if (answer.ok) await loadAttributes();
});

async function addToCart(product) {
  const answer = await request('POST', '/shop/cart/items', { body: { productId: product.id, quantity: 1 } });
  $('#shop-message').textContent = answer.ok ? `${product.name} added.` : explain(answer);
  if (answer.ok) renderCart($('#cart'), answer.body);
}

$('#order-button').addEventListener('click', async () => {
  const answer = await request('POST', '/shop/orders');
  $('#shop-message').textContent = answer.ok ? `Order placed: ${answer.body.id}.` : explain(answer);
  if (answer.ok) await Promise.all([loadCart(), loadOrders()]);
});

$('#refresh-button').addEventListener('click', async () => {
  if (await refresh({ label: 'manual' })) await refreshMe();
});

$('#replay-button').addEventListener('click', async () => {
  const output = $('#replay-result');
  $('#replay-button').disabled = true;
  try {
    const result = await simulateStolenRefreshToken(settings?.reuseGraceWindowSeconds ?? 5, (text) => { output.textContent = text; });
    output.textContent = result.revoked
      ? `The real client's refresh was refused: refresh_token_reused. The server revoked the session${result.thiefRefused ? `, and the thief's access token is refused too (${result.thiefRefused})` : ''}.`
      : `Unexpected: ${result.error ?? 'the replay was accepted'}.`;
    if (result.revoked) {
      forget('refresh_token_reused');
      setStatus(output.textContent);
      document.body.dataset.replay = 'revoked';
    }
  } finally {
    $('#replay-button').disabled = false;
  }
});

$('#theft-button').addEventListener('click', async () => {
  $('#theft-button').disabled = true;
  try {
    const result = await simulateStolenAccessToken();
    $('#theft-message').textContent = summary(result);
    renderTheft($('#theft-result'));
    document.body.dataset.theft = result.mode;
  } finally {
    $('#theft-button').disabled = false;
  }
});

$('#clear-log-button').addEventListener('click', () => $('#log-table tbody').replaceChildren());

setInterval(() => {
  tickCountdowns(document);
}, 1000);

async function start() {
  const [products, loadedSettings] = await Promise.all([call('GET', '/shop/products'), call('GET', '/console/settings')]);
  if (products.ok) renderProducts($('#products'), products.body.products, addToCart);
  if (loadedSettings.ok) settings = loadedSettings.body;
  const me = await resume();
  if (me) await showSignedIn(me.body);
  else {
    document.body.dataset.ready = 'signed-out';
    startPasskeyAutofill();
  }
}

start();
