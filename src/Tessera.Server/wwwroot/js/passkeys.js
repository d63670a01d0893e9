// Passkeys (W3C WebAuthn Level 3): the two ceremonies and the account's passkey calls, without any
// markup. The server makes every decision (challenge, origin, relying party, user verification,
// sign counter); the page only carries its options to the authenticator and the result back.
// Options and results travel as JSON: PublicKeyCredential.parse…OptionsFromJSON and
// credential.toJSON() (WebAuthn L3 §5.1.8, §5.1.9, §5.1.10) do the base64url conversions.
import { call } from './api.js';
import { adoptSignIn, request } from './auth.js';
import { createKey, dpopCall, forgetKey } from './dpop.js';

// The passkey sign-in of each console mode answers as the password sign-in of that mode does.
const SIGN_IN_PATHS = {
  session: '/auth/session/passkey',
  bearer: '/auth/token/passkey',
  cookie: '/auth/token/passkey?delivery=cookie',
  // A new non-extractable key and a proof, as the password sign-in of DPoP mode (auth.js, dpop.js).
  dpop: '/auth/token/passkey',
};

export const passkeysSupported = () =>
  typeof window.PublicKeyCredential === 'function'
  && typeof PublicKeyCredential.parseCreationOptionsFromJSON === 'function'
  && typeof PublicKeyCredential.parseRequestOptionsFromJSON === 'function';

export const signInModeSupported = (mode) => Object.hasOwn(SIGN_IN_PATHS, mode);

// JSON null is not "absent" to the WebIDL dictionaries the parse functions fill: a null
// authenticatorAttachment or hint would be a TypeError. A serializer that writes nulls for unset
// members (some do) is therefore cleaned first; nothing the server meant to say is lost.
function withoutNulls(value) {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}

// What the authenticator or the browser refused, in words (WebAuthn L3 §5.1.3, §5.1.4 name the errors).
export function describeCeremonyError(error) {
  switch (error?.name) {
    case 'NotAllowedError': return 'The passkey request was cancelled, timed out, or no passkey on this device was chosen.';
    case 'InvalidStateError': return 'This authenticator already holds a passkey for your account.';
    case 'SecurityError': return 'The browser refused: this page\'s address does not belong to the server\'s relying party.';
    case 'NotSupportedError': return 'This authenticator supports none of the server\'s algorithms.';
    case 'AbortError': return 'The passkey request was stopped.';
    default: return `The passkey request failed: ${error?.name ?? 'Error'}${error?.message ? ` (${error.message})` : ''}.`;
  }
}

// Registration (WebAuthn L3 §7.1): options from the server, a new credential from the
// authenticator, then the server verifies and stores it. { answer } or { ceremonyError }.
export async function addPasskey(name) {
  const options = await request('POST', '/auth/passkeys/registration/options', { body: {} });
  if (!options.ok) return { answer: options };
  let credential;
  try {
    credential = await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(withoutNulls(options.body.options)) });
  } catch (error) {
    return { ceremonyError: error };
  }
  const body = { state: options.body.state, credential: credential.toJSON() };
  if (name) body.name = name;
  return { answer: await request('POST', '/auth/passkeys/registration', { body }) };
}

export const listPasskeys = () => request('GET', '/auth/passkeys');

export const renamePasskey = (id, name) => request('PATCH', `/auth/passkeys/${encodeURIComponent(id)}`, { body: { name } });

export const removePasskey = (id) => request('DELETE', `/auth/passkeys/${encodeURIComponent(id)}`);

// The password goes; from now on only passkeys sign this account in.
export const removePassword = (currentPassword) => request('DELETE', '/auth/password', { body: { currentPassword } });

// Authentication (WebAuthn L3 §7.2) with a discoverable credential: the options name no user, the
// authenticator offers the passkeys it holds for this relying party, and the credential's user
// handle tells the server who signs in. mediation "conditional" (§5.1.4.1) shows them in the
// username field's autofill instead of a dialog, and waits there until chosen or aborted.
// { answer } (the sign-in's), { ceremonyError }, or { optionsAnswer } when no options came.
export async function signInWithPasskey(mode, { mediation, signal, label } = {}) {
  const options = await call('POST', '/auth/passkeys/assertion/options', { body: {}, label });
  if (!options.ok) return { optionsAnswer: options };
  let credential;
  try {
    const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(withoutNulls(options.body.options));
    credential = await navigator.credentials.get({ publicKey, mediation, signal });
  } catch (error) {
    return { ceremonyError: error };
  }
  // The mode chosen when the passkey was picked: the radio buttons may have moved meanwhile.
  const chosen = typeof mode === 'function' ? mode() : mode;
  if (!signInModeSupported(chosen)) return { unsupportedMode: chosen };
  const body = { state: options.body.state, credential: credential.toJSON() };
  if (chosen === 'dpop') return { answer: await dpopSignIn(body, label) };
  const answer = await call('POST', SIGN_IN_PATHS[chosen], { body, label });
  if (answer.ok) adoptSignIn(chosen, answer.body);
  return { answer };
}

// DPoP mode: the tokens are bound to a fresh key of this page (RFC 9449 §5); an answer that is not
// token_type DPoP is refused and its session ended, as the password sign-in of that mode does.
async function dpopSignIn(body, label) {
  const answer = await dpopCall('POST', SIGN_IN_PATHS.dpop, { body, label, key: await createKey() });
  if (answer.ok && answer.body?.token_type === 'DPoP') {
    adoptSignIn('dpop', answer.body);
    return answer;
  }
  if (answer.ok) await dpopCall('POST', '/auth/token/revoke', { body: { refresh_token: answer.body?.refresh_token } });
  await forgetKey();
  return answer.ok ? { ...answer, ok: false, error: 'dpop_not_bound', detail: 'The server did not bind the tokens to this page\'s key.' } : answer;
}
