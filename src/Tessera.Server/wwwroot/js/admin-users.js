// The admin view's users: search and page through them, open one, and act on it (lock, unlock,
// disable, enable, delete, roles) and on its sessions (end one, end all).
import { $, h, replaceChildren, localTime } from './dom.js';
import { request } from './auth.js';
import { announce, clearMessage, confirmAction, explain, query, succeeded, timeOrDash, userState } from './admin-common.js';

const PAGE_SIZE = 25;

let search = '';
let next = null;
let shown = [];
let selected = null;
// Called after every change an admin makes, so the audit log can show it.
let afterChange = async () => {};
// Shows the audit events of one user (the audit part of the view owns that form).
let showAuditOf = async () => {};

const userPath = (id, rest = '') => `/admin/users/${encodeURIComponent(id)}${rest}`;

export function initUsers({ onChanged, onShowAudit }) {
  afterChange = onChanged;
  showAuditOf = onShowAudit;
  $('#admin-search-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    await loadUsers($('#admin-search').value.trim());
  });
  $('#admin-users-more').addEventListener('click', loadMoreUsers);
  $('#admin-disable-button').addEventListener('click', toggleDisabled);
  $('#admin-unlock-button').addEventListener('click', () => act('POST', '/unlock', undefined, (u) => `${u.username} is unlocked.`));
  $('#admin-lock-form').addEventListener('submit', lock);
  $('#admin-roles-form').addEventListener('submit', saveRoles);
  $('#admin-delete-button').addEventListener('click', deleteSelected);
  $('#admin-end-all-button').addEventListener('click', endAllSessions);
  $('#admin-user-audit-button').addEventListener('click', () => selected && showAuditOf(selected.id));
}

export function resetUsers() {
  search = '';
  next = null;
  shown = [];
  selected = null;
  $('#admin-search').value = '';
  $('#admin-users-table tbody').replaceChildren();
  $('#admin-users-count').textContent = '';
  $('#admin-users-more').hidden = true;
  closeUser();
}

export async function loadUsers(text = search) {
  search = text;
  const answer = await request('GET', `/admin/users${query({ search, limit: PAGE_SIZE })}`);
  if (!succeeded(answer)) return;
  shown = answer.body.users;
  next = answer.body.next;
  renderUsers();
}

async function loadMoreUsers() {
  if (!next) return;
  const firstNew = shown.length;
  const answer = await request('GET', `/admin/users${query({ search, after: next, limit: PAGE_SIZE })}`);
  if (!succeeded(answer)) return;
  shown = shown.concat(answer.body.users);
  next = answer.body.next;
  renderUsers();
  // The keyboard user pressed "Load more" (which may now be hidden): go on from the first new row.
  $('#admin-users-table tbody').rows[firstNew]?.querySelector('button')?.focus();
}

function renderUsers() {
  replaceChildren($('#admin-users-table tbody'), shown.map((user) => {
    const state = userState(user);
    return h('tr', { dataset: { userId: user.id, username: user.username }, class: selected?.id === user.id ? 'selected' : null },
      h('th', { scope: 'row' }, user.username),
      h('td', {}, h('code', {}, user.id)),
      h('td', {}, localTime(user.createdAt)),
      h('td', { class: 'roles' }, user.roles.length ? user.roles.join(', ') : '—'),
      h('td', { class: `state state-${state.kind}` }, state.text),
      h('td', {}, h('button', { type: 'button', class: 'secondary', onclick: () => openUser(user.id) }, `Manage ${user.username}`)));
  }));
  const count = shown.length === 0 ? (search ? `No user matches “${search}”.` : 'No users yet.') : `${shown.length} user(s) shown${next ? ', more to load' : ''}.`;
  $('#admin-users-count').textContent = count;
  $('#admin-users-more').hidden = !next;
}

// Replaces one user in the list after an action, without reloading the page of results.
function updateShown(user) {
  shown = shown.map((u) => (u.id === user.id ? { ...u, ...user } : u));
  renderUsers();
}

export async function openUser(id) {
  clearMessage();
  const answer = await request('GET', userPath(id));
  if (!succeeded(answer)) return;
  selected = answer.body;
  renderUser();
  $('#admin-user').hidden = false;
  renderUsers();
  await loadSessions();
  $('#admin-user-title').focus();
}

function closeUser() {
  selected = null;
  $('#admin-user').hidden = true;
  $('#admin-user-facts').replaceChildren();
  $('#admin-sessions-table tbody').replaceChildren();
}

function renderUser() {
  const user = selected;
  const state = userState(user);
  const fact = (term, value, id) => [h('dt', {}, term), h('dd', { id }, value)];
  $('#admin-user-name').textContent = user.username;
  replaceChildren($('#admin-user-facts'),
    fact('User id', h('code', {}, user.id)),
    fact('Created', localTime(user.createdAt)),
    fact('State', state.text, 'admin-user-state'),
    fact('Roles', user.roles.length ? user.roles.join(', ') : 'none', 'admin-user-roles'),
    user.activeSessions === undefined ? null : fact('Active sessions', String(user.activeSessions), 'admin-user-session-count'));
  const disabled = Boolean(user.disabledAt);
  $('#admin-disable-button').textContent = disabled ? `Enable ${user.username}` : `Disable ${user.username}`;
  $('#admin-unlock-button').textContent = `Unlock ${user.username}`;
  $('#admin-unlock-button').hidden = state.kind !== 'locked';
  $('#admin-lock-button').textContent = `Lock ${user.username}`;
  $('#admin-delete-button').textContent = `Delete ${user.username}…`;
  $('#admin-roles').value = user.roles.join(' ');
}

async function loadSessions() {
  if (!selected) return;
  const answer = await request('GET', userPath(selected.id, '/sessions'));
  if (!succeeded(answer)) return;
  const sessions = answer.body.sessions;
  replaceChildren($('#admin-sessions-table tbody'), sessions.map((s) => h('tr', { dataset: { sessionId: s.id } },
    h('td', { title: s.userAgent ?? '' }, s.device ?? s.userAgent ?? 'unknown agent'),
    h('td', {}, s.ip ?? '—'),
    h('td', {}, timeOrDash(s.lastSeenAt)),
    h('td', {}, s.clientId ? `${s.kind} (client ${s.clientId})` : s.kind),
    h('td', {}, h('code', {}, s.id)),
    h('td', {}, h('button', { type: 'button', class: 'secondary', 'aria-label': `End session ${s.id}`, onclick: () => endSession(s) }, 'End')))));
  $('#admin-sessions-empty').hidden = sessions.length > 0;
  $('#admin-end-all-button').hidden = sessions.length === 0;
}

// One action on the selected user whose answer is the user: show it, list it, say so.
async function act(method, rest, body, said) {
  if (!selected) return;
  const answer = await request(method, userPath(selected.id, rest), { body });
  if (!succeeded(answer)) return;
  selected = { ...selected, ...answer.body };
  renderUser();
  updateShown(answer.body);
  announce(said(selected));
  await Promise.all([loadSessions(), afterChange()]);
  await refreshCount();
}

// The session count in the facts comes with GET /admin/users/{id}; ask again after a change.
async function refreshCount() {
  if (!selected) return;
  const answer = await request('GET', userPath(selected.id));
  if (answer.ok && selected && answer.body.id === selected.id) {
    selected = answer.body;
    renderUser();
  }
}

async function toggleDisabled() {
  if (!selected) return;
  if (selected.disabledAt) {
    await act('POST', '/enable', undefined, (u) => `${u.username} is enabled: they can sign in again.`);
  } else {
    await act('POST', '/disable', undefined, (u) => `${u.username} is disabled: every session ended and sign-in is refused.`);
  }
}

async function lock(event) {
  event.preventDefault();
  const value = $('#admin-lock-until').value;
  let until = null;
  if (value) {
    const at = new Date(value);
    if (Number.isNaN(at.getTime())) {
      announce('The lock end time is not a date.', { error: true });
      $('#admin-lock-until').focus();
      return;
    }
    until = at.toISOString();
  }
  await act('POST', '/lock', { until }, (u) => `${u.username} is ${userState(u).text}.`);
}

async function saveRoles(event) {
  event.preventDefault();
  if (!selected) return;
  const roles = $('#admin-roles').value.split(/[\s,]+/).filter(Boolean);
  const answer = await request('PUT', userPath(selected.id, '/roles'), { body: { roles } });
  if (!succeeded(answer)) return;
  selected = { ...selected, roles: answer.body.roles };
  renderUser();
  updateShown({ id: selected.id, roles: answer.body.roles });
  announce(`${selected.username}'s roles: ${answer.body.roles.join(', ') || 'none'}.`);
  await afterChange();
}

async function endSession(session) {
  if (!selected) return;
  const answer = await request('DELETE', userPath(selected.id, `/sessions/${encodeURIComponent(session.id)}`));
  if (!succeeded(answer)) return;
  // The row and its button are gone: the message takes the focus.
  announce(`Session ${session.id} of ${selected.username} ended.`, { focus: true });
  await Promise.all([loadSessions(), afterChange()]);
  await refreshCount();
}

async function endAllSessions() {
  if (!selected) return;
  const answer = await request('DELETE', userPath(selected.id, '/sessions'));
  if (!succeeded(answer)) return;
  announce(`Ended ${answer.body.ended} session(s) of ${selected.username}.`, { focus: true });
  await Promise.all([loadSessions(), afterChange()]);
  await refreshCount();
}

async function deleteSelected() {
  if (!selected) return;
  const user = selected;
  const confirmed = await confirmAction({
    title: `Delete ${user.username}?`,
    text: `${user.username} (${user.id}) is deleted for good: every session ends at once, the consents they gave are withdrawn, and the name becomes free.`,
    confirmLabel: `Delete ${user.username}`,
  });
  if (!confirmed) {
    $('#admin-delete-button').focus();
    return;
  }
  const answer = await request('DELETE', userPath(user.id));
  if (!answer.ok) {
    announce(explain(answer), { error: true });
    return;
  }
  closeUser();
  shown = shown.filter((u) => u.id !== user.id);
  renderUsers();
  announce(`${user.username} is deleted.`);
  $('#admin-search').focus();
  await afterChange();
}
