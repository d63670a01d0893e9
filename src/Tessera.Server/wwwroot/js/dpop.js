// DPoP (RFC 9449) for the console's "tokens + DPoP" mode: one ECDSA P-256 key made by WebCrypto
// with extractable: false, so script (the page's own or an injected one) can sign with it but never
// read it out; it is kept in IndexedDB (which stores CryptoKey objects as they are), so a reload and
// the other tabs of this origin use the same key. Every token request and API call carries a fresh
// proof signed with it.
import { call } from './api.js';

const DB_NAME = 'tessera-dpop';
const STORE = 'keys';
const KEY_ID = 'console';

// The server's latest DPoP-Nonce (RFC 9449 §8): sent in every proof once the server has given one.
let serverNonce = null;
let cached = null;

function openDb() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE);
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

async function withStore(mode, work) {
  const db = await openDb();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const result = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(result.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

// A new key pair for a new sign-in; the previous one (if any) is replaced and forgotten.
export async function createKey() {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const key = await describe(pair);
  await withStore('readwrite', (store) => store.put({ privateKey: pair.privateKey, publicKey: pair.publicKey }, KEY_ID));
  cached = key;
  return key;
}

// The stored key after a reload (or from another tab), or null when there is none (or no IndexedDB).
export async function loadKey() {
  let saved;
  try {
    saved = await withStore('readonly', (store) => store.get(KEY_ID));
  } catch {
    return null;
  }
  if (!saved?.privateKey || !saved?.publicKey) return null;
  cached = await describe(saved);
  return cached;
}

export async function currentKey() {
  return cached ?? loadKey();
}

// Another tab may have signed in again (a new key): read the key from IndexedDB at the next use.
export function dropCachedKey() {
  cached = null;
}

export async function forgetKey() {
  cached = null;
  serverNonce = null;
  await withStore('readwrite', (store) => store.delete(KEY_ID));
}

// A key pair made only for the theft demonstration (the thief's own key); never stored.
export async function throwawayKey() {
  return describe(await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']));
}

async function describe({ privateKey, publicKey }) {
  // The public half of a WebCrypto key pair is always extractable; only x and y go in the proof.
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', publicKey);
  const jwk = { kty, crv, x, y };
  return { privateKey, publicKey, jwk, thumbprint: await thumbprint(jwk) };
}

// RFC 7638: SHA-256 of the required members in lexicographic order, no whitespace.
export async function thumbprint({ crv, kty, x, y }) {
  return b64u(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify({ crv, kty, x, y }))));
}

// RFC 9449 §4.2: a JWT with typ dpop+jwt and the public key in the header; jti, htm, htu (no query
// nor fragment), iat; ath (base64url SHA-256 of the access token) on resource requests; the
// server's nonce when it gave one. ECDSA signatures from WebCrypto are already the raw r||s JWS wants.
export async function createProof(key, method, url, { accessToken, nonce } = {}) {
  const target = new URL(url, location.origin);
  const header = { typ: 'dpop+jwt', alg: 'ES256', jwk: key.jwk };
  const payload = {
    jti: b64u(crypto.getRandomValues(new Uint8Array(16))),
    htm: method,
    htu: `${target.origin}${target.pathname}`,
    iat: Math.floor(Date.now() / 1000),
  };
  if (accessToken) payload.ath = b64u(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken)));
  if (nonce) payload.nonce = nonce;
  const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(payload))}`;
  const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key.privateKey, new TextEncoder().encode(input));
  return `${input}.${b64u(signature)}`;
}

// A call with a proof (and, given an access token, Authorization: DPoP). When the server answers
// use_dpop_nonce (a 400 from a token endpoint, a 401 challenge from an API: RFC 9449 §8, §9), the
// call is made once more with the nonce from DPoP-Nonce.
export async function dpopCall(method, path, { accessToken, key, ...options } = {}) {
  const signer = key ?? await currentKey();
  if (!signer) return { status: 0, ok: false, body: null, error: 'no_dpop_key', detail: 'This page has no DPoP key: sign in again.' };
  const send = async () => call(method, path, {
    ...options,
    dpop: await createProof(signer, method, path, { accessToken, nonce: serverNonce }),
    dpopToken: accessToken,
  });
  let answer = await send();
  if (answer.dpopNonce) serverNonce = answer.dpopNonce;
  if (isNonceError(answer) && answer.dpopNonce) {
    answer = await send();
    if (answer.dpopNonce) serverNonce = answer.dpopNonce;
  }
  return answer;
}

export function isNonceError(answer) {
  return answer.error === 'use_dpop_nonce' || /error="use_dpop_nonce"/.test(answer.challenge ?? '');
}

function b64u(input) {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : new Uint8Array(input);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
