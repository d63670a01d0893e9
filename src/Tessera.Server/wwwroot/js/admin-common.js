// What every part of the admin view shares: the message line (errors from the API shown, never
// swallowed), the confirmation dialog, and the way times and states are written.
import { $, localTime } from './dom.js';

// The server's problem+json says what went wrong (detail) and which rule (error, the stable code).
export function explain(answer) {
  // A validation problem names each field's problem in errors; its detail is only a summary.
  if (answer.body?.errors && typeof answer.body.errors === 'object') {
    return `${Object.values(answer.body.errors).flat().join(' ')} (${answer.error ?? 'validation_failed'})`;
  }
  const detail = answer.detail ?? (answer.status === 0 ? 'The server could not be reached.' : `HTTP ${answer.status}`);
  return answer.error ? `${detail} (${answer.error})` : detail;
}

// Says what happened on the admin message line. An error takes the focus, so a keyboard or screen
// reader user lands on it; so does a success whose button just disappeared (focus: true).
export function announce(text, { error = false, focus = error } = {}) {
  const line = $('#admin-message');
  line.textContent = text;
  line.classList.toggle('error', error);
  if (focus) line.focus();
}

export function clearMessage() {
  announce('');
}

// Reports a failed call and answers false, or answers true: `if (!succeeded(answer)) return;`.
export function succeeded(answer) {
  if (answer.ok) return true;
  announce(explain(answer), { error: true });
  return false;
}

// A modal confirmation naming what is about to happen. Cancel has the focus first (a stray Enter
// deletes nothing); Escape cancels. Answers true only for the confirm button.
export function confirmAction({ title, text, confirmLabel }) {
  const dialog = $('#admin-confirm');
  $('#admin-confirm-title').textContent = title;
  $('#admin-confirm-text').textContent = text;
  $('#admin-confirm-yes').textContent = confirmLabel;
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'), { once: true });
    dialog.showModal();
  });
}

export const timeOrDash = (iso) => (iso ? localTime(iso) : '—');

// An administrator's lock "until unlocked" is stored as the largest date there is.
export function isForever(iso) {
  return Boolean(iso) && new Date(iso).getUTCFullYear() >= 9999;
}

// active | locked | disabled, and the words for it.
export function userState(user, now = Date.now()) {
  if (user.disabledAt) return { kind: 'disabled', text: `disabled since ${localTime(user.disabledAt)}` };
  if (user.lockedUntil && Date.parse(user.lockedUntil) > now) {
    return { kind: 'locked', text: isForever(user.lockedUntil) ? 'locked until unlocked' : `locked until ${localTime(user.lockedUntil)}` };
  }
  return { kind: 'active', text: 'active' };
}

// Builds a query string from the members that have a value.
export function query(parameters) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
