namespace Tessera.Passwords;

/// <summary>What a password check found. Primitives answer; the sign-in flow decides.</summary>
public enum PasswordVerification
{
    /// <summary>Wrong password, or a stored hash this hasher cannot read.</summary>
    Failed,

    /// <summary>Right password, stored with the current parameters.</summary>
    Succeeded,

    /// <summary>Right password, stored with older or weaker parameters: hash it again and store that.</summary>
    SucceededRehashNeeded,
}
