// The browser side of a public client on its own origin, written against oauth4webapi alone: it
// knows the issuer URL, its client id and the shop API's address (config.json, served by its host).
// Authorization code + PKCE S256 with state and nonce (RFC 9700 §2.1.1, OIDC Core §3.1), the tokens
// kept in memory only, then the shop API called cross-origin with `Authorization: Bearer`.
// "DPoP sign-in at Tessera" does the same with oauth4webapi's DPoP handle (RFC 9449): a
// non-extractable ES256 key from oauth.generateKeyPair, made when the browser comes back (no
// dpop_jkt, so it need not survive the redirect), proofs on the token request, userinfo and every
// API call (`Authorization: DPoP`).
import * as oauth from 'oauth4webapi';

const PENDING = 'tessera-spa-pending';
const $ = (id) => document.getElementById(id);
const status = (text) => { $('status').value = text; };

const config = await (await fetch('/config.json')).json();
const redirectUri = new URL('/', location.origin).href;
// Plain http on 127.0.0.1 in the tests; a real deployment would not pass this.
const insecure = { [oauth.allowInsecureRequests]: true };
const client = { client_id: config.clientId };
const clientAuth = oauth.None();
let accessToken;
let DPoP;

try {
  const issuer = new URL(config.issuer);
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...insecure, algorithm: 'oidc' }));
  const currentUrl = new URL(location.href);
  if (currentUrl.searchParams.has('code') || currentUrl.searchParams.has('error')) {
    await finishSignIn(as, currentUrl);
  } else {
    $('sign-in').hidden = false;
    $('sign-in').addEventListener('click', () => startSignIn(as, false));
    $('sign-in-dpop').hidden = false;
    $('sign-in-dpop').addEventListener('click', () => startSignIn(as, true));
    status('signed out');
  }
} catch (error) {
  fail(error);
}

async function startSignIn(as, dpop) {
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  sessionStorage.setItem(PENDING, JSON.stringify({ codeVerifier, state, nonce, dpop }));
  const url = new URL(as.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: client.client_id,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: config.scope,
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  }).toString();
  location.assign(url.href);
}

async function finishSignIn(as, currentUrl) {
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null');
  sessionStorage.removeItem(PENDING);
  if (!pending) throw new Error('No sign-in was started in this tab.');
  // Checks state, iss (RFC 9207) and an error response.
  const parameters = oauth.validateAuthResponse(as, client, currentUrl, pending.state);
  history.replaceState(null, '', '/');
  if (pending.dpop) {
    const keyPair = await oauth.generateKeyPair('ES256');
    DPoP = oauth.DPoP(client, keyPair);
    // What script can see of the key: the public half (the test computes its thumbprint) and that the private half stays inside.
    $('dpop-public-jwk').value = JSON.stringify(await crypto.subtle.exportKey('jwk', keyPair.publicKey));
    $('dpop-extractable').value = String(keyPair.privateKey.extractable);
  }
  const response = await oauth.authorizationCodeGrantRequest(as, client, clientAuth, parameters, redirectUri, pending.codeVerifier, { ...insecure, DPoP });
  const result = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: pending.nonce, requireIdToken: true });
  accessToken = result.access_token;
  $('token-type').value = result.token_type;
  $('cnf-jkt').value = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(accessToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)))).cnf?.jkt ?? '';
  const claims = oauth.getValidatedIdTokenClaims(result);
  $('subject').value = claims.sub;
  // OIDC Core §5.3, cross-origin: the library checks the answer's sub is the ID token's.
  const userInfo = await oauth.processUserInfoResponse(as, client, claims.sub, await oauth.userInfoRequest(as, client, accessToken, { ...insecure, DPoP }));
  if (DPoP) {
    // The same token without the key, as a plain bearer token (RFC 9449 §7.2): the API must refuse it.
    const asBearer = await fetch(new URL('/shop/cart', config.api), { headers: { Authorization: `Bearer ${accessToken}` }, mode: 'cors', credentials: 'omit' });
    $('as-bearer').value = String(asBearer.status);
  }
  $('username').value = userInfo.preferred_username ?? '';
  status('signed in');
  $('sign-out').addEventListener('click', () => act(() => signOut(as)));
  await showShop();
}

// RFC 7009 from the browser: the access token is revoked (and with it its session); the API
// refuses it from then on, which the app shows.
async function signOut(as) {
  await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, clientAuth, accessToken, { ...insecure, additionalParameters: { token_type_hint: 'access_token' } }));
  const response = await fetch(new URL('/shop/cart', config.api), { headers: { Authorization: `Bearer ${accessToken}` }, mode: 'cors', credentials: 'omit' });
  accessToken = undefined;
  $('shop').hidden = true;
  status(`signed out; the old token now gets ${response.status}`);
}

async function showShop() {
  const products = await api('GET', '/shop/products');
  const list = $('products');
  for (const product of products.products) {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = `Add ${product.name}`;
    button.dataset.productId = product.id;
    button.addEventListener('click', () => act(async () => showCart(await api('POST', '/shop/cart/items', { productId: product.id, quantity: 1 }))));
    item.append(button);
    list.append(item);
  }
  $('place-order').addEventListener('click', () => act(async () => {
    const order = await api('POST', '/shop/orders');
    $('order-id').value = order.id;
    showCart(await api('GET', '/shop/cart'));
  }));
  showCart(await api('GET', '/shop/cart'));
  $('shop').hidden = false;
}

function showCart(cart) {
  $('cart-total').value = String(cart.totalCents);
  $('cart-count').value = String(cart.items.reduce((sum, line) => sum + line.quantity, 0));
}

// A cross-origin call: CORS mode, the bearer header, never cookies. With DPoP, the library's
// protectedResourceRequest adds the proof and Authorization: DPoP.
async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (DPoP) {
    const response = await oauth.protectedResourceRequest(accessToken, method, new URL(path, config.api), new Headers(headers), body === undefined ? undefined : JSON.stringify(body), { ...insecure, DPoP });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  const response = await fetch(new URL(path, config.api), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    mode: 'cors',
    credentials: 'omit',
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function act(action) {
  try {
    await action();
  } catch (error) {
    fail(error);
  }
}

function fail(error) {
  status('error');
  $('error').textContent = `${error?.name ?? 'Error'}: ${error?.message ?? error}${error?.cause ? `\n${JSON.stringify(error.cause)}` : ''}`;
}
