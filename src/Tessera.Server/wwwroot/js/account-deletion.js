// "Delete my account": the password again, then DELETE /auth/me. The server ends every session and
// clears the cookies; the page forgets whatever it held and returns to the signed-out state.
import { $ } from './dom.js';
import { current, forget, request } from './auth.js';

function explain(answer) {
  if (answer.error === 'validation_failed' && answer.body?.errors) return Object.values(answer.body.errors).flat().join(' ');
  const detail = answer.detail ?? `HTTP ${answer.status}`;
  return answer.error ? `${detail} (${answer.error})` : detail;
}

// A passwordless account (#16) has no password to type: the server takes a recent passkey sign-in instead.
let passwordless = false;

export function setAccountDeletionPasswordless(value) {
  passwordless = value;
  $('#delete-account-password-field').hidden = value;
  $('#delete-account-confirm-text').textContent = value
    ? 'Your account, its sessions, its passkeys and the consents you gave end for good. Your account has no password: the server accepts this within a few minutes of a passkey sign-in.'
    : 'Your account, its sessions and the consents you gave end for good. Enter your password again to confirm.';
}

function open() {
  $('#delete-account-form').hidden = false;
  $('#delete-account-button').setAttribute('aria-expanded', 'true');
  if (passwordless) $('#delete-account-confirm').focus();
  else $('#delete-account-password').focus();
}

export function resetAccountDeletion() {
  $('#delete-account-form').hidden = true;
  $('#delete-account-button').setAttribute('aria-expanded', 'false');
  $('#delete-account-password').value = '';
  $('#delete-account-message').textContent = '';
}

async function submit(event) {
  event.preventDefault();
  const password = $('#delete-account-password').value;
  const message = $('#delete-account-message');
  if (!password && !passwordless) {
    message.textContent = 'Enter your password to delete the account.';
    $('#delete-account-password').focus();
    return;
  }
  const answer = await request('DELETE', '/auth/me', { body: passwordless ? {} : { password } });
  $('#delete-account-password').value = '';
  if (!answer.ok) {
    // A wrong password (invalid_credentials) keeps the session; anything that ended it already
    // signed the page out (auth.js), and the status line says why.
    if (current().mode) {
      message.textContent = explain(answer);
      $('#delete-account-password').focus();
    }
    return;
  }
  forget('account-deleted');
  $('#username').focus();
}

export function initAccountDeletion() {
  $('#delete-account-button').addEventListener('click', () => {
    if ($('#delete-account-form').hidden) open();
    else resetAccountDeletion();
  });
  $('#delete-account-cancel').addEventListener('click', () => {
    resetAccountDeletion();
    $('#delete-account-button').focus();
  });
  $('#delete-account-form').addEventListener('submit', submit);
}
