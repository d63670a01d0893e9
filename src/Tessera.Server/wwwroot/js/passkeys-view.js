// The "Passkeys" section of a signed-in user: add one, list them, rename, remove (after a
// confirmation), and go passwordless (offered only while the account has a passkey and a password).
// The server refuses whatever is not allowed (another user's passkey, the last passkey of an
// account without a password); the page says what it answered.
import { $, h, localTime, replaceChildren } from './dom.js';
import { current } from './auth.js';
import { addPasskey, describeCeremonyError, listPasskeys, passkeysSupported, removePasskey, removePassword, renamePasskey } from './passkeys.js';

let passkeys = [];
// Whether the account still has a password: the server's word when it gives it (hasPassword on
// /auth/me's user), otherwise assumed until "Go passwordless" succeeds.
let hasPassword = true;
let onPasswordRemoved = async () => {};

function explain(answer) {
  if (answer.error === 'validation_failed' && answer.body?.errors) return Object.values(answer.body.errors).flat().join(' ');
  const detail = answer.detail ?? `HTTP ${answer.status}`;
  return answer.error ? `${detail} (${answer.error})` : detail;
}

const say = (text) => { $('#passkeys-message').textContent = text; };

// WebAuthn L3 §6.1.3: BE (backup eligible) says the credential may be synced to the user's other
// devices; BS (backed up) says it is now. Neither flag: it lives on this one authenticator.
export function storageText(passkey) {
  if (!passkey.backupEligible) return 'device-bound';
  return passkey.backedUp ? 'synced' : 'syncable, not backed up yet';
}

function card(passkey) {
  const name = passkey.name || 'Unnamed passkey';
  return h('li', { class: 'card', dataset: { passkeyId: passkey.id } },
    h('p', {}, h('strong', { class: 'passkey-name' }, name), ' · ', h('span', { class: 'passkey-storage' }, storageText(passkey))),
    h('p', { class: 'hint' },
      `added ${localTime(passkey.createdAt)} · `,
      h('span', { class: 'passkey-last-used' }, passkey.lastUsedAt ? `last used ${localTime(passkey.lastUsedAt)}` : 'never used to sign in'),
      passkey.transports?.length ? ` · ${passkey.transports.join(', ')}` : null),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', 'aria-label': `Rename passkey: ${name}`, 'aria-expanded': 'false', onclick: (event) => openRename(event.currentTarget, passkey) }, 'Rename'),
      h('button', { type: 'button', class: 'danger', 'aria-label': `Remove passkey: ${name}`, onclick: () => confirmRemoval(passkey) }, 'Remove')));
}

function render() {
  replaceChildren($('#passkey-list'), passkeys.map(card));
  $('#passkeys-empty').hidden = passkeys.length > 0;
  const offerPasswordless = passkeys.length > 0 && hasPassword;
  $('#passwordless-button').hidden = !offerPasswordless;
  if (!offerPasswordless) closePasswordless();
  $('#passwordless-done').hidden = hasPassword;
}

// Called with every /auth/me answer. A server without passkeys (404) hides the section.
export async function loadPasskeys(me) {
  if (typeof me?.user?.hasPassword === 'boolean') hasPassword = me.user.hasPassword;
  const answer = await listPasskeys();
  if (!current().mode) return;
  if (answer.status === 404) {
    $('#passkeys').hidden = true;
    return;
  }
  $('#passkeys').hidden = false;
  if (!answer.ok) {
    say(`Could not list your passkeys: ${explain(answer)}`);
    return;
  }
  passkeys = answer.body.passkeys ?? [];
  render();
}

export function resetPasskeys() {
  passkeys = [];
  hasPassword = true;
  $('#passkeys').hidden = true;
  replaceChildren($('#passkey-list'));
  $('#passkey-name').value = '';
  say('');
  closePasswordless();
  if ($('#passkey-confirm').open) $('#passkey-confirm').close('cancel');
}

async function add(event) {
  event.preventDefault();
  const button = $('#add-passkey-button');
  button.disabled = true;
  say('Follow your browser: it asks where to keep the new passkey, and for your fingerprint, face or PIN.');
  try {
    const { answer, ceremonyError } = await addPasskey($('#passkey-name').value.trim());
    if (ceremonyError) {
      say(describeCeremonyError(ceremonyError));
      return;
    }
    if (!answer.ok) {
      say(`The passkey was not added: ${explain(answer)}`);
      return;
    }
    $('#passkey-name').value = '';
    say(`Passkey "${answer.body?.name ?? 'new passkey'}" added. You can sign in with it from now on.`);
    await refreshList();
  } finally {
    button.disabled = false;
  }
}

async function refreshList() {
  const answer = await listPasskeys();
  if (answer.ok) {
    passkeys = answer.body.passkeys ?? [];
    render();
  }
}

// An inline form in the passkey's card; Escape or "Cancel" closes it and returns the focus.
function openRename(button, passkey) {
  const item = button.closest('li');
  const existing = item.querySelector('form');
  if (existing) {
    existing.remove();
    button.setAttribute('aria-expanded', 'false');
    return;
  }
  const inputId = `passkey-rename-${passkeys.indexOf(passkey)}`;
  const close = () => {
    form.remove();
    button.setAttribute('aria-expanded', 'false');
    button.focus();
  };
  const form = h('form', { class: 'inline-form single passkey-rename', novalidate: true },
    h('div', { class: 'field' },
      h('label', { for: inputId }, `New name for ${passkey.name || 'this passkey'}`),
      h('input', { id: inputId, required: true, maxlength: 64, value: passkey.name ?? '', autocomplete: 'off', onkeydown: (event) => { if (event.key === 'Escape') close(); } })),
    h('div', { class: 'actions' },
      h('button', { type: 'submit' }, 'Save name'),
      h('button', { type: 'button', class: 'secondary', onclick: close }, 'Cancel')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = form.querySelector('input').value.trim();
    if (!name) {
      say('A passkey needs a name.');
      form.querySelector('input').focus();
      return;
    }
    const answer = await renamePasskey(passkey.id, name);
    if (!answer.ok) {
      say(`Not renamed: ${explain(answer)}`);
      return;
    }
    say(`Renamed to "${name}".`);
    await refreshList();
    $(`#passkey-list li[data-passkey-id="${CSS.escape(passkey.id)}"] button`)?.focus();
  });
  button.setAttribute('aria-expanded', 'true');
  item.append(form);
  form.querySelector('input').select();
}

function confirmRemoval(passkey) {
  const dialog = $('#passkey-confirm');
  const name = passkey.name || 'this passkey';
  $('#passkey-confirm-text').textContent = `"${name}" will no longer sign you in. The authenticator may still list it; remove it there too if you wish.`;
  $('#passkey-confirm-yes').textContent = `Remove ${name}`;
  dialog.returnValue = '';
  dialog.onclose = async () => {
    dialog.onclose = null;
    if (dialog.returnValue !== 'confirm') {
      say('');
      return;
    }
    const answer = await removePasskey(passkey.id);
    say(answer.ok ? `Passkey "${name}" removed.` : `Not removed: ${explain(answer)}`);
    await refreshList();
    $('#add-passkey-button').focus();
  };
  dialog.showModal();
}

function openPasswordless() {
  $('#passwordless-form').hidden = false;
  $('#passwordless-button').setAttribute('aria-expanded', 'true');
  $('#passwordless-password').focus();
}

function closePasswordless() {
  $('#passwordless-form').hidden = true;
  $('#passwordless-button').setAttribute('aria-expanded', 'false');
  $('#passwordless-password').value = '';
  $('#passwordless-message').textContent = '';
}

async function goPasswordless(event) {
  event.preventDefault();
  const password = $('#passwordless-password').value;
  const message = $('#passwordless-message');
  if (!password) {
    message.textContent = 'Enter your current password to remove it.';
    $('#passwordless-password').focus();
    return;
  }
  const answer = await removePassword(password);
  $('#passwordless-password').value = '';
  if (!answer.ok) {
    if (current().mode) {
      message.textContent = explain(answer);
      $('#passwordless-password').focus();
    }
    return;
  }
  hasPassword = false;
  closePasswordless();
  render();
  say('Your password is removed: only your passkeys sign you in now.');
  $('#add-passkey-button').focus();
  await onPasswordRemoved();
}

export function initPasskeys({ passwordRemoved }) {
  onPasswordRemoved = passwordRemoved ?? onPasswordRemoved;
  if (!passkeysSupported()) {
    $('#add-passkey-button').disabled = true;
    $('#passkeys-unsupported').hidden = false;
  }
  $('#add-passkey-form').addEventListener('submit', add);
  $('#passwordless-button').addEventListener('click', () => {
    if ($('#passwordless-form').hidden) openPasswordless();
    else closePasswordless();
  });
  $('#passwordless-cancel').addEventListener('click', () => {
    closePasswordless();
    $('#passwordless-button').focus();
  });
  $('#passwordless-form').addEventListener('submit', goPasswordless);
}

// The device list's words for how a session signed in: the server's "method" (passkey or
// password) and, when it sends them, the session's RFC 8176 amr values ("swk": a synced passkey,
// "hwk": a device-bound one). Null when the server says neither.
export function signInMethodText(session) {
  const raw = session.amr ?? session.authenticationMethods ?? null;
  const amr = raw === null ? [] : Array.isArray(raw) ? raw : String(raw).split(' ').filter(Boolean);
  const method = session.method ?? (amr.includes('swk') || amr.includes('hwk') ? 'passkey' : amr.includes('pwd') ? 'password' : null);
  if (method === 'passkey') {
    if (amr.includes('swk')) return 'signed in with a passkey (synced)';
    if (amr.includes('hwk')) return 'signed in with a passkey (device-bound)';
    return 'signed in with a passkey';
  }
  return method ? `signed in with a ${method}` : null;
}
