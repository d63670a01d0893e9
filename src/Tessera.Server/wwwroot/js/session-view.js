// The server's view of the current session, its attributes, and the user's devices.
import { h, replaceChildren, relative, localTime } from './dom.js';
import { signInMethodText } from './passkeys-view.js';

export function renderSessionFacts(dl, session) {
  const fact = (term, value, attributes = {}) => [h('dt', {}, term), h('dd', attributes, value)];
  replaceChildren(dl,
    fact('Session id', h('code', { id: 'session-id' }, session.id)),
    fact('Kind', session.kind === 'token' ? 'token (refresh token + access tokens)' : 'cookie'),
    fact('Created', localTime(session.createdAt)),
    fact('Last seen', localTime(session.lastSeenAt)),
    fact('Idle expiry', [localTime(session.idleExpiresAt), ' ', h('span', { class: 'countdown', dataset: { until: session.idleExpiresAt } })], { id: 'idle-expiry' }),
    fact('Absolute expiry', [localTime(session.absoluteExpiresAt), ' ', h('span', { class: 'countdown', dataset: { until: session.absoluteExpiresAt } })], { id: 'absolute-expiry' }),
    fact('IP address', session.ip ?? '—'),
    fact('Device', session.device ?? '—'),
    fact('User agent', session.userAgent ?? '—'),
    fact('Flagged', session.flagged ? 'yes: its binding did not match' : 'no'));
  tickCountdowns(dl);
}

// Updates every countdown under root; called once a second.
export function tickCountdowns(root) {
  for (const span of root.querySelectorAll('.countdown[data-until]')) {
    span.textContent = `(${relative(Date.parse(span.dataset.until))})`;
  }
}

export function renderAttributes(container, attributes) {
  const entries = Object.entries(attributes ?? {});
  if (entries.length === 0) {
    replaceChildren(container, h('p', { class: 'hint' }, 'None yet. Attributes live with the session on the server, not in the browser.'));
    return;
  }
  replaceChildren(container, h('dl', { class: 'facts' }, entries.flatMap(([key, value]) => [h('dt', {}, key), h('dd', {}, typeof value === 'string' ? value : JSON.stringify(value))])));
}

export function renderDevices(list, sessions, onEnd) {
  replaceChildren(list, sessions.map((s) => h('li', { class: s.current ? 'card current' : 'card', dataset: { sessionId: s.id } },
    h('p', {}, h('strong', {}, s.current ? 'This device' : 'Another device'), ` · ${s.kind} · `, h('code', {}, s.id)),
    signInMethodText(s) ? h('p', { class: 'sign-in-method' }, signInMethodText(s)) : null,
    h('p', { class: 'hint', title: s.userAgent }, `${s.device ?? s.userAgent ?? 'unknown agent'} · ${s.ip ?? 'unknown address'} · last seen ${localTime(s.lastSeenAt)}`),
    h('button', { type: 'button', class: 'secondary', 'aria-label': `End this session: ${s.id}${s.current ? ' (this device)' : ''}`, onclick: () => onEnd(s) }, 'End this session'))));
}
