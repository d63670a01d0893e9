// The admin view's audit log: newest first, filtered by user and type, older pages on demand.
import { $, h, replaceChildren, localTime } from './dom.js';
import { request } from './auth.js';
import { query, succeeded } from './admin-common.js';

const PAGE_SIZE = 50;

let filter = { userId: '', type: '' };
let next = null;
let count = 0;

const cell = (value) => h('td', {}, value === null || value === undefined || value === '' ? '—' : String(value));

function rows(events) {
  return events.map((e) => h('tr', { dataset: { sequence: String(e.sequence), type: e.type } },
    h('td', {}, localTime(e.at)),
    h('td', {}, h('code', {}, e.type)),
    cell(e.actorId),
    cell(e.userId),
    cell(e.outcome),
    cell(e.detail),
    cell(e.address),
    e.sessionId ? h('td', {}, h('code', {}, e.sessionId)) : cell(null)));
}

// Reads the first page again with the current filter (after every admin action, too).
export async function loadAudit() {
  const answer = await request('GET', `/admin/audit${query({ userId: filter.userId, type: filter.type, limit: PAGE_SIZE })}`);
  if (!succeeded(answer)) return;
  count = answer.body.events.length;
  replaceChildren($('#admin-audit-table tbody'), rows(answer.body.events));
  setNext(answer.body.next);
}

async function loadOlder() {
  if (next === null) return;
  const answer = await request('GET', `/admin/audit${query({ userId: filter.userId, type: filter.type, before: next, limit: PAGE_SIZE })}`);
  if (!succeeded(answer)) return;
  const tbody = $('#admin-audit-table tbody');
  const firstNew = tbody.rows.length;
  tbody.append(...rows(answer.body.events));
  count += answer.body.events.length;
  setNext(answer.body.next);
  // Keep the keyboard where the reading goes on: the first older row, made focusable for that.
  const row = tbody.rows[firstNew];
  if (row) {
    row.tabIndex = -1;
    row.focus();
  }
}

function setNext(value) {
  next = value ?? null;
  $('#admin-audit-more').hidden = next === null;
  $('#admin-audit-empty').hidden = count > 0;
}

// Filters the log to one user's events (from the user's "Show audit" button).
export async function showAuditOf(userId) {
  $('#admin-audit-user').value = userId;
  $('#admin-audit-type').value = '';
  filter = { userId, type: '' };
  await loadAudit();
  $('#admin-audit-title').tabIndex = -1;
  $('#admin-audit-title').focus();
}

export function initAudit() {
  $('#admin-audit-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    filter = { userId: $('#admin-audit-user').value.trim(), type: $('#admin-audit-type').value };
    await loadAudit();
  });
  $('#admin-audit-more').addEventListener('click', loadOlder);
}

export function resetAudit() {
  filter = { userId: '', type: '' };
  next = null;
  count = 0;
  $('#admin-audit-user').value = '';
  $('#admin-audit-type').value = '';
  $('#admin-audit-table tbody').replaceChildren();
  $('#admin-audit-more').hidden = true;
  $('#admin-audit-empty').hidden = true;
}
