namespace Tessera.AspNetCore.Passkeys;

/// <summary>
/// What a ceremony's opaque <c>state</c> carries between the options and the response: which
/// ceremony, the challenge, the account (registration) and when it stops being accepted.
/// </summary>
/// <param name="Ceremony"><see cref="PasskeyStates.Registration"/> or <see cref="PasskeyStates.Assertion"/>.</param>
/// <param name="Challenge">The challenge sent to the browser.</param>
/// <param name="UserId">The account a registration is for; null for a sign-in (the passkey names the account).</param>
/// <param name="ExpiresAt">After this instant the state is refused.</param>
internal sealed record PasskeyState(string Ceremony, byte[] Challenge, string? UserId, DateTimeOffset ExpiresAt);
