// Tessera: "Sign in with a passkey" on the provider's sign-in page (docs/passkeys.md).
// Inlined by SignInPasskeyScript under the page's CSP, which allows exactly this script by its hash.
// The options (WebAuthn L3 PublicKeyCredentialRequestOptionsJSON) and their single-use state come
// with the page, so the script needs no network access of its own: it asks the browser for a passkey
// (conditional UI in the username field's autofill, or the button), puts credential.toJSON() in the
// hidden form and posts it to the same sign-in endpoint, which continues the authorization.
(() => {
  "use strict";
  const form = document.getElementById("passkey-form");
  const button = document.getElementById("passkey-button");
  const status = document.getElementById("passkey-status");
  if (!form || !button || !window.PublicKeyCredential || typeof PublicKeyCredential.parseRequestOptionsFromJSON !== "function") {
    return;
  }

  const options = JSON.parse(form.dataset.options);
  let pending = null;

  async function signIn(mediation) {
    if (pending) {
      pending.abort();
    }

    const controller = new AbortController();
    pending = controller;
    try {
      const credential = await navigator.credentials.get({
        publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options),
        mediation,
        signal: controller.signal,
      });
      if (!credential) {
        return;
      }

      form.elements.namedItem("passkey_credential").value = JSON.stringify(credential.toJSON());
      form.submit();
    } catch (error) {
      if (error.name !== "AbortError" && mediation !== "conditional" && status) {
        status.textContent = "The passkey sign-in did not finish. Try again, or use your password.";
      }
    }
  }

  button.hidden = false;
  button.addEventListener("click", () => signIn("optional"));
  if (typeof PublicKeyCredential.isConditionalMediationAvailable === "function") {
    PublicKeyCredential.isConditionalMediationAvailable().then((available) => {
      if (available) {
        signIn("conditional");
      }
    }, () => {});
  }
})();
