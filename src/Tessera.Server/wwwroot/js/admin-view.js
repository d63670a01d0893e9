// The admin view: shown only to a user whose /auth/me lists the admin role, and emptied (not just
// hidden) for everyone else. The server refuses non-admins anyway; this keeps the page honest.
import { $ } from './dom.js';
import { clearMessage } from './admin-common.js';
import { initAudit, loadAudit, resetAudit, showAuditOf } from './admin-audit.js';
import { initKeys, loadKeys, resetKeys } from './admin-keys.js';
import { initUsers, loadUsers, resetUsers } from './admin-users.js';

export const ADMIN_ROLE = 'admin';

export const isAdmin = (me) => Array.isArray(me?.user?.roles) && me.user.roles.includes(ADMIN_ROLE);

let shownFor = null;

initUsers({ onChanged: loadAudit, onShowAudit: showAuditOf });
initKeys({ onChanged: loadAudit });
initAudit();

// Called with every /auth/me answer: shows and loads the view for an admin, hides it otherwise.
export async function renderAdmin(me) {
  if (!isAdmin(me)) {
    hideAdmin();
    return;
  }
  $('#admin').hidden = false;
  // The same admin asking /auth/me again keeps what they were looking at.
  if (shownFor === me.user.id) return;
  shownFor = me.user.id;
  await Promise.all([loadUsers(''), loadKeys(), loadAudit()]);
}

export function hideAdmin() {
  $('#admin').hidden = true;
  if (shownFor === null) return;
  shownFor = null;
  clearMessage();
  resetUsers();
  resetKeys();
  resetAudit();
  if ($('#admin-confirm').open) $('#admin-confirm').close();
}
