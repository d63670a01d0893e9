// A relying party built from openid-client (panva), with nothing Tessera-specific: it knows only
// the issuer URL and its own registration. Tessera.Provider.Interop.Tests runs one command per
// process and asserts on the JSON printed on stdout.
//
//   node rp.mjs <command> '<json options>'
//
// Every answer is one line: {"ok":true,"result":...} or {"ok":false,"error":{...}}, where error
// carries the library's own name, code, message and cause (for an OAuth error response, the
// server's `error` and `error_description` and the HTTP status).
//
// Options common to all commands: issuer, clientId, clientSecret (absent: a public client, auth
// method none), authMethod (client_secret_basic by default for a client with a secret).
//
// DPoP (RFC 9449): `dpopKeyPair` makes a key pair with the library's randomDPoPKeyPair and prints
// it as JWKs (each command is its own process, so the key travels through the test); callback,
// refresh, userinfo and resource given `dpopKey` (that private JWK) pass the library's DPoP handle
// ({ DPoP: client.getDPoPHandle(config, keyPair) }), and the library makes the proofs and handles
// use_dpop_nonce itself. Every answer also carries `trace`: each HTTP request the library made
// (method, URL, Authorization scheme, the proof's claims) and the status it got, so the tests can
// see the nonce retry happen.
import * as client from 'openid-client';

const trace = [];

const commands = {
  // Both metadata documents (OpenID Connect Discovery 1.0 §4, RFC 8414 §3), each fetched and
  // validated by the library (issuer must equal the URL it was asked for).
  async discover(options) {
    const oidc = await configure(options, 'oidc');
    const oauth2 = await configure(options, 'oauth2');
    return { openidConfiguration: oidc.serverMetadata(), authorizationServer: oauth2.serverMetadata() };
  },

  // The front-channel request: PKCE S256, state and nonce, as the library builds them.
  async authorizeUrl(options) {
    const config = await configure(options);
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const parameters = {
      redirect_uri: options.redirectUri,
      scope: options.scope,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...(options.extraParameters ?? {}),
    };
    const url = client.buildAuthorizationUrl(config, parameters);
    return { url: url.href, state, nonce, codeVerifier };
  },

  // The callback: the library checks state, iss (RFC 9207) and the error response itself, redeems
  // the code with the PKCE verifier, then validates the ID token (signature against the JWKS,
  // iss, aud, exp, iat, nonce, azp).
  async callback(options) {
    const config = await configure(options);
    const tokens = await client.authorizationCodeGrant(config, new URL(options.callbackUrl), {
      pkceCodeVerifier: options.codeVerifier,
      expectedState: options.state,
      expectedNonce: options.nonce,
      idTokenExpected: options.idTokenExpected ?? true,
    }, undefined, await dpopOptions(config, options));
    return describeTokens(tokens);
  },

  async userinfo(options) {
    const config = await configure(options);
    return client.fetchUserInfo(config, options.accessToken, options.expectedSubject ?? client.skipSubjectCheck, await dpopOptions(config, options));
  },

  async refresh(options) {
    const config = await configure(options);
    const tokens = await client.refreshTokenGrant(config, options.refreshToken, options.scope ? { scope: options.scope } : undefined, await dpopOptions(config, options));
    return describeTokens(tokens);
  },

  // A DPoP key pair from the library (ES256 by default), extractable only so that the next process
  // can import it: the private key as a JWK for the test to hand back, the public one to compare.
  async dpopKeyPair(options) {
    const pair = await client.randomDPoPKeyPair(options.alg ?? 'ES256', { extractable: true });
    return {
      privateJwk: await crypto.subtle.exportKey('jwk', pair.privateKey),
      publicJwk: await crypto.subtle.exportKey('jwk', pair.publicKey),
    };
  },

  async revoke(options) {
    const config = await configure(options);
    await client.tokenRevocation(config, options.token, options.tokenTypeHint ? { token_type_hint: options.tokenTypeHint } : undefined);
    return { revoked: true };
  },

  async introspect(options) {
    const config = await configure(options);
    return client.tokenIntrospection(config, options.token, options.tokenTypeHint ? { token_type_hint: options.tokenTypeHint } : undefined);
  },

  async clientCredentials(options) {
    const config = await configure(options);
    const tokens = await client.clientCredentialsGrant(config, options.scope ? { scope: options.scope } : undefined);
    return describeTokens(tokens);
  },

  // An API call with the access token, as the library sends it (Authorization: Bearer, RFC 6750
  // §2.1). A refusal with a challenge (RFC 6750 §3) is an answer here, not a failure: its status
  // and the challenges as the library parsed them.
  async resource(options) {
    const config = await configure(options);
    try {
      const response = await client.fetchProtectedResource(config, options.accessToken, new URL(options.url), options.method ?? 'GET', undefined, undefined, await dpopOptions(config, options));
      return { status: response.status, body: parseOrText(await response.text()) };
    } catch (error) {
      if (error?.code === 'OAUTH_WWW_AUTHENTICATE_CHALLENGE') {
        return { status: error.status, challenges: error.cause };
      }
      throw error;
    }
  },

  async endSessionUrl(options) {
    const config = await configure(options);
    return { url: client.buildEndSessionUrl(config, options.parameters ?? {}).href };
  },
};

async function configure(options, algorithm = 'oidc') {
  const secret = options.clientSecret;
  const auth = !secret
    ? client.None()
    : options.authMethod === 'client_secret_post'
      ? client.ClientSecretPost(secret)
      : client.ClientSecretBasic(secret);
  // Plain http on 127.0.0.1: the tests' servers listen on loopback without TLS.
  const config = await client.discovery(new URL(options.issuer), options.clientId, undefined, auth, {
    algorithm,
    execute: [client.allowInsecureRequests],
  });
  config[client.customFetch] = tracingFetch;
  return config;
}

// { DPoP } for the library when the command was given a key (RFC 9449), otherwise nothing.
async function dpopOptions(config, options) {
  if (!options.dpopKey) return undefined;
  const { kty, crv, x, y } = options.dpopKey;
  const algorithm = kty === 'EC' ? { name: 'ECDSA', namedCurve: crv } : { name: 'Ed25519' };
  const privateKey = await crypto.subtle.importKey('jwk', options.dpopKey, algorithm, false, ['sign']);
  const publicKey = await crypto.subtle.importKey('jwk', kty === 'EC' ? { kty, crv, x, y } : { kty, crv, x }, algorithm, true, ['verify']);
  return { DPoP: client.getDPoPHandle(config, { privateKey, publicKey }) };
}

// The library's requests as they went out (a proof is a JWT: its claims are not secret, and the
// tests check them; tokens are only named by scheme).
async function tracingFetch(url, init) {
  const headers = new Headers(init?.headers);
  const proof = headers.get('dpop');
  const entry = {
    method: init?.method ?? 'GET',
    url: String(url),
    authorization: headers.get('authorization')?.split(' ')[0] ?? null,
    proof: proof ? JSON.parse(Buffer.from(proof.split('.')[1], 'base64url').toString('utf8')) : null,
  };
  const response = await fetch(url, init);
  entry.status = response.status;
  entry.dpopNonce = response.headers.has('dpop-nonce');
  entry.wwwAuthenticate = response.headers.get('www-authenticate');
  trace.push(entry);
  return response;
}

function describeTokens(tokens) {
  const claims = tokens.id_token ? tokens.claims() : undefined;
  return {
    access_token: tokens.access_token,
    token_type: tokens.token_type,
    expires_in: tokens.expires_in,
    refresh_token: tokens.refresh_token,
    scope: tokens.scope,
    id_token: tokens.id_token,
    idTokenClaims: claims,
  };
}

function parseOrText(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describeError(error) {
  const described = { name: error?.name, code: error?.code, message: error?.message };
  // openid-client's ResponseBodyError: the server's RFC 6749 §5.2 answer.
  if (error?.error !== undefined) described.error = error.error;
  if (error?.error_description !== undefined) described.error_description = error.error_description;
  if (error?.status !== undefined) described.status = error.status;
  const cause = error?.cause;
  if (cause !== undefined) {
    described.cause = cause instanceof Error ? describeError(cause) : safeJson(cause);
  }
  return described;
}

function safeJson(value) {
  try {
    return JSON.parse(JSON.stringify(value, (_, v) => (v instanceof Headers ? Object.fromEntries(v.entries()) : v instanceof Response ? { status: v.status } : v)));
  } catch {
    return String(value);
  }
}

const [name, json] = process.argv.slice(2);
const command = commands[name];
if (!command) {
  process.stdout.write(JSON.stringify({ ok: false, error: { name: 'UsageError', message: `unknown command '${name}'; one of ${Object.keys(commands).join(', ')}` } }) + '\n');
  process.exit(2);
}

try {
  const result = await command(JSON.parse(json ?? '{}'));
  process.stdout.write(JSON.stringify({ ok: true, result, trace }) + '\n');
} catch (error) {
  process.stdout.write(JSON.stringify({ ok: false, error: describeError(error), trace }) + '\n');
}
