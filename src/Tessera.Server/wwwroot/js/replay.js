// Acts out a stolen refresh token (RFC 9700 §4.14.2): a thief uses a copy first, the real client
// presents its now used-up token later, and the server revokes the whole session. Everything runs
// against the real endpoints; the page only plays both parts.
import { call } from './api.js';
import { current, withRefreshLock } from './auth.js';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// progress(text) is told each step; resolves to { revoked, error, thiefRefused }.
export async function simulateStolenRefreshToken(graceSeconds, progress) {
  const { mode, refreshToken } = current();
  if (mode !== 'bearer' && mode !== 'cookie') throw new Error('Only the token modes have a refresh token.');

  // Hold the refresh lock throughout, so no automatic refresh (here or in another tab) steps in.
  return withRefreshLock(async () => {
    let thiefAccessToken = null;
    if (mode === 'bearer') {
      progress('The thief presents a copy of the refresh token…');
      const stolen = await call('POST', '/auth/token/refresh', { body: { refresh_token: refreshToken }, label: 'thief' });
      if (!stolen.ok) return { revoked: false, error: stolen.error };
      thiefAccessToken = stolen.body.access_token;
    } else {
      // Script cannot copy an HttpOnly cookie; the server plays the thief with the cookie the browser sends.
      progress('The thief uses a copy of the refresh cookie…');
      const stolen = await call('POST', '/auth/token/simulate-theft', { label: 'thief' });
      if (!stolen.ok) return { revoked: false, error: stolen.error };
    }

    // Within the grace window the server would treat the real client's refresh as a lost answer.
    const waitMs = Math.ceil(graceSeconds * 1000) + 1000;
    for (let left = waitMs; left > 0; left -= 1000) {
      progress(`The thief got a fresh pair. The real client refreshes in ${Math.ceil(left / 1000)} s, with the token it still holds…`);
      await sleep(Math.min(1000, left));
    }
    const real = await call('POST', '/auth/token/refresh', { body: mode === 'bearer' ? { refresh_token: refreshToken } : {}, label: 'real client' });
    let thiefRefused = null;
    if (thiefAccessToken) {
      const thief = await call('GET', '/auth/me', { bearer: thiefAccessToken, label: 'thief' });
      thiefRefused = thief.error;
    }
    return { revoked: real.error === 'refresh_token_reused', error: real.error, thiefRefused };
  });
}
