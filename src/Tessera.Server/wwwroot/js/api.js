// Every call the page makes goes through here, so the request log sees all of them: method,
// path, status and the credential the request carried (the server reports the Cookie header's
// size, which script cannot read for itself: the interesting cookies are HttpOnly).

const listeners = new Set();

export function onRequestLogged(listener) {
  listeners.add(listener);
}

// { method, path, body, bearer, dpop, dpopToken, label } → { status, ok, body, error, dpopNonce, challenge }
// dpop is a DPoP proof (RFC 9449 §4) for the DPoP header; dpopToken an access token sent as
// Authorization: DPoP (§7.1). dpop.js makes both.
export async function call(method, path, { body, bearer, dpop, dpopToken, label } = {}) {
  const headers = { 'Tessera-Console': '1', Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (dpopToken) headers.Authorization = `DPoP ${dpopToken}`;
  if (dpop) headers.DPoP = dpop;
  const started = performance.now();
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (failure) {
    publish({ method, path, status: 0, label, credentials: null, milliseconds: performance.now() - started });
    return { status: 0, ok: false, body: null, error: 'network_error', detail: String(failure) };
  }

  const text = await response.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }

  publish({
    method,
    path,
    status: response.status,
    label,
    credentials: parseCredentials(response.headers.get('Tessera-Credentials')),
    scheme: bearer || dpopToken ? 'Authorization' : null,
    dpop: Boolean(dpop),
    milliseconds: performance.now() - started,
  });
  return {
    status: response.status,
    ok: response.ok,
    body: parsed,
    error: parsed && typeof parsed === 'object' ? (parsed.error ?? null) : null,
    detail: parsed && typeof parsed === 'object' ? (parsed.detail ?? null) : null,
    dpopNonce: response.headers.get('DPoP-Nonce'),
    challenge: response.headers.get('WWW-Authenticate'),
  };
}

// cookie-bytes=57, authorization-bytes=0, cookies="a b", set-cookies="c"
export function parseCredentials(header) {
  if (!header) return null;
  const number = (name) => Number((header.match(new RegExp(`${name}=(\\d+)`)) ?? [])[1] ?? 0);
  const names = (name) => ((header.match(new RegExp(`(?:^|, )${name}="([^"]*)"`)) ?? [])[1] ?? '').split(' ').filter(Boolean);
  return {
    cookieBytes: number('cookie-bytes'),
    authorizationBytes: number('authorization-bytes'),
    cookies: names('cookies'),
    setCookies: names('set-cookies'),
  };
}

function publish(entry) {
  const stamped = { ...entry, at: new Date() };
  for (const listener of listeners) listener(stamped);
}
