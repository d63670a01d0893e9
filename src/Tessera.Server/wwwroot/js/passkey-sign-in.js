// Signing in with a passkey on the sign-in form, two ways:
// - conditional UI (WebAuthn L3 §5.1.4.1, mediation "conditional"): while the form shows, the
//   browser offers this site's passkeys in the username field's autofill (autocomplete
//   "username webauthn"); one pending request, aborted when the password is submitted, the explicit
//   button is pressed, the form goes away or the page is left;
// - the "Sign in with a passkey" button: a modal request, for browsers without autofill and for
//   people who look for a button.
// Either signs in in the mode chosen on the form, like the password.
// body[data-passkey-autofill] says where the autofill request stands (waiting, ended, off,
// unavailable), for the tests and for anyone reading the page.
import { $ } from './dom.js';
import { describeCeremonyError, passkeysSupported, signInModeSupported, signInWithPasskey } from './passkeys.js';

let onSignedIn = async () => {};
let chosenMode = () => 'session';
let formShown = false;
// The conditional request in flight: its controller and the promise that settles when it has ended.
let conditional = null;
let explicitRunning = false;

const setAutofill = (state) => { document.body.dataset.passkeyAutofill = state; };

function explain(answer) {
  if (answer.error === 'validation_failed' && answer.body?.errors) return Object.values(answer.body.errors).flat().join(' ');
  const detail = answer.detail ?? `HTTP ${answer.status}`;
  return answer.error ? `${detail} (${answer.error})` : detail;
}

async function settle(outcome, { quiet }) {
  const message = $('#form-message');
  if (outcome.answer?.ok) {
    message.textContent = '';
    await onSignedIn();
    return true;
  }
  if (outcome.unsupportedMode) {
    message.textContent = `A passkey cannot sign in with "${outcome.unsupportedMode}" here; choose another way to hold the sign-in.`;
  } else if (outcome.answer) {
    message.textContent = `Passkey sign-in refused: ${explain(outcome.answer)}`;
  } else if (outcome.ceremonyError && !quiet) {
    message.textContent = describeCeremonyError(outcome.ceremonyError);
  } else if (outcome.optionsAnswer && !quiet) {
    message.textContent = `Passkey sign-in is not available: ${explain(outcome.optionsAnswer)}`;
  }
  return false;
}

// Starts the autofill request if the browser has conditional mediation and none is pending.
export async function startPasskeyAutofill() {
  formShown = true;
  if (conditional || explicitRunning) return;
  if (!passkeysSupported() || !(await PublicKeyCredential.isConditionalMediationAvailable?.())) {
    setAutofill('unavailable');
    return;
  }
  if (!formShown || conditional || explicitRunning) return;
  const controller = new AbortController();
  let finished;
  conditional = { controller, ended: new Promise((resolve) => { finished = resolve; }) };
  setAutofill('waiting');
  let outcome;
  try {
    outcome = await signInWithPasskey(chosenMode, { mediation: 'conditional', signal: controller.signal, label: 'passkey autofill' });
  } finally {
    // Ended before the sign-in is shown: showing it hides the form, which stops "the" request.
    conditional = null;
    setAutofill(controller.signal.aborted && !outcome?.answer?.ok ? 'off' : 'ended');
    finished();
  }
  // Aborted on purpose, or the browser found nothing to offer (NotAllowedError): nothing to tell
  // the user; the password and the button still work. A refusal by the server is told.
  if (outcome.answer?.ok || !controller.signal.aborted) await settle(outcome, { quiet: true });
}

// Ends the autofill request (one WebAuthn request at a time per page) and waits until it has.
// "off" then, whether one was running or not: an "ended" from an earlier request never lingers.
export async function stopPasskeyAutofill(reason) {
  const running = conditional;
  if (running) {
    running.controller.abort(new DOMException(reason, 'AbortError'));
    await running.ended;
  }
  if (!conditional) setAutofill('off');
}

// The form is gone (signed in): no autofill offer on a form nobody sees.
export function hidePasskeySignIn() {
  formShown = false;
  stopPasskeyAutofill('signed in');
}

async function signInExplicitly() {
  const button = $('#passkey-sign-in-button');
  const message = $('#form-message');
  const mode = chosenMode();
  if (!signInModeSupported(mode)) {
    message.textContent = `A passkey cannot sign in with "${mode}" here; choose another way to hold the sign-in.`;
    return;
  }
  explicitRunning = true;
  button.disabled = true;
  message.textContent = '';
  try {
    await stopPasskeyAutofill('the passkey button was pressed');
    const signedIn = await settle(await signInWithPasskey(chosenMode, { label: 'passkey' }), { quiet: false });
    if (signedIn) return;
  } finally {
    explicitRunning = false;
    button.disabled = false;
  }
  // Still on the form: offer the autofill again.
  if (formShown) startPasskeyAutofill();
}

export function initPasskeySignIn({ signedIn, mode }) {
  onSignedIn = signedIn;
  chosenMode = mode;
  const button = $('#passkey-sign-in-button');
  if (!passkeysSupported()) {
    button.disabled = true;
    button.title = 'This browser cannot use passkeys here.';
  }
  button.addEventListener('click', signInExplicitly);
  // Leaving the page ends the request with it (a page restored from the back-forward cache starts anew).
  window.addEventListener('pagehide', () => stopPasskeyAutofill('page left'));
  window.addEventListener('pageshow', (event) => { if (event.persisted && formShown) startPasskeyAutofill(); });
}
