// Reads a JWS compact token for display only: the page never trusts it (the server checks the
// signature on every request), it only shows what is inside.

export function decodeJwt(token) {
  const parts = String(token).split('.');
  if (parts.length !== 3) return null;
  try {
    return { parts, header: JSON.parse(base64UrlText(parts[0])), payload: JSON.parse(base64UrlText(parts[1])), signatureBytes: base64UrlBytes(parts[2]).length };
  } catch {
    return null;
  }
}

function base64UrlBytes(segment) {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(segment.length / 4) * 4, '=');
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

function base64UrlText(segment) {
  return new TextDecoder().decode(base64UrlBytes(segment));
}

// What each claim or header member means, in a sentence.
export const EXPLANATIONS = {
  alg: 'the signature algorithm; the server accepts only the one it signs with',
  kid: 'which key signed it: its RFC 7638 thumbprint, found in /.well-known/jwks.json',
  typ: '"at+jwt": an access token (RFC 9068), not an ID token',
  iss: 'the issuer: who made and signed the token',
  sub: 'the subject: the user id',
  aud: 'the audience: the services meant to accept it',
  exp: 'expires at (seconds since 1970); refused afterwards',
  iat: 'issued at',
  nbf: 'not valid before',
  jti: 'a unique id for this token',
  client_id: 'the client the token was issued to',
  sid: 'the session: the server looks it up, so signing out stops this token at once',
  scope: 'what the token may be used for',
  roles: 'the user\'s roles',
  cnf: 'confirmation (RFC 9449 §6.1): jkt is the thumbprint of the key every request must prove it holds',
};

export const TIME_CLAIMS = new Set(['exp', 'iat', 'nbf']);
