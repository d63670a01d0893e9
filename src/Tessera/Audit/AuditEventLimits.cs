namespace Tessera.Audit;

/// <summary>
/// What an <see cref="IAuditLog"/> accepts, the same for every store: text fields of bounded length
/// (an event is a short, secret-free line, and a flood of events with long fields must not fill the
/// disk), well-formed UTF-16 without NUL (PostgreSQL's <c>text</c> cannot hold U+0000, and an
/// unpaired surrogate has no UTF-8 form). Anything else, emoji and every script included, is stored
/// exactly as given.
/// </summary>
public static class AuditEventLimits
{
    /// <summary>The longest <see cref="AuditEvent.Detail"/>, in UTF-16 code units.</summary>
    public const int MaxDetailLength = 1024;

    /// <summary>The longest of every other text field (type, actor, user, session, client, address, outcome), in UTF-16 code units.</summary>
    public const int MaxFieldLength = 256;

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the field when <paramref name="auditEvent"/>
    /// has no <see cref="AuditEvent.Type"/>, a field longer than its limit, a NUL character or an
    /// unpaired surrogate.
    /// </summary>
    public static void ThrowIfInvalid(AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        if (string.IsNullOrEmpty(auditEvent.Type))
        {
            throw new ArgumentException("An audit event needs a type.", nameof(auditEvent));
        }

        string? problem = Problem(auditEvent.Type, nameof(AuditEvent.Type), MaxFieldLength)
            ?? Problem(auditEvent.ActorId, nameof(AuditEvent.ActorId), MaxFieldLength)
            ?? Problem(auditEvent.UserId, nameof(AuditEvent.UserId), MaxFieldLength)
            ?? Problem(auditEvent.SessionId, nameof(AuditEvent.SessionId), MaxFieldLength)
            ?? Problem(auditEvent.ClientId, nameof(AuditEvent.ClientId), MaxFieldLength)
            ?? Problem(auditEvent.Address, nameof(AuditEvent.Address), MaxFieldLength)
            ?? Problem(auditEvent.Outcome, nameof(AuditEvent.Outcome), MaxFieldLength)
            ?? Problem(auditEvent.Detail, nameof(AuditEvent.Detail), MaxDetailLength);
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(auditEvent));
        }
    }

    /// <summary>
    /// <paramref name="value"/> made fit for an audit event when it comes from a request (a route
    /// value, a header): a NUL or an unpaired surrogate becomes U+FFFD and the text is cut to
    /// <paramref name="maxLength"/> without splitting a surrogate pair, so a hostile URL can never
    /// make the event invalid and go unaudited.
    /// </summary>
    public static string? Fit(string? value, int maxLength = MaxFieldLength)
    {
        if (value is null)
        {
            return null;
        }

        var fitted = new System.Text.StringBuilder(Math.Min(value.Length, maxLength));
        foreach (System.Text.Rune rune in value.EnumerateRunes())
        {
            // EnumerateRunes gives U+FFFD for an unpaired surrogate already.
            System.Text.Rune kept = rune.Value == 0 ? System.Text.Rune.ReplacementChar : rune;
            if (fitted.Length + kept.Utf16SequenceLength > maxLength)
            {
                break;
            }

            fitted.Append(kept.ToString());
        }

        return fitted.ToString();
    }

    private static string? Problem(string? value, string field, int maxLength)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Length > maxLength)
        {
            return $"The audit event's {field} is {value.Length} characters long; at most {maxLength} are kept.";
        }

        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c == '\0')
            {
                return $"The audit event's {field} contains a NUL character.";
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return $"The audit event's {field} contains an unpaired surrogate (not well-formed UTF-16).";
            }
        }

        return null;
    }
}
