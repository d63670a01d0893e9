using Tessera.Passwords;

namespace Tessera.Users;

/// <summary>Creates accounts: validates, normalizes the username, hashes the password, stores.</summary>
public sealed class UserRegistration
{
    private readonly IUserStore _users;
    private readonly IPasswordHasher _hasher;
    private readonly TimeProvider _time;

    /// <summary>Registration into <paramref name="users"/>, hashing passwords with <paramref name="hasher"/> and dating accounts with <paramref name="time"/>.</summary>
    public UserRegistration(IUserStore users, IPasswordHasher hasher, TimeProvider time)
    {
        _users = users;
        _hasher = hasher;
        _time = time;
    }

    /// <summary>Field name → problems, empty when the request is acceptable.</summary>
    public static Dictionary<string, string[]> Validate(string? username, string? password)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (UsernameRules.Problem(username) is { } usernameProblem)
        {
            errors["username"] = [usernameProblem];
        }

        if (PasswordRules.Problem(password, username) is { } passwordProblem)
        {
            errors["password"] = [passwordProblem];
        }

        return errors;
    }

    /// <summary>
    /// Registers an account. Fails with <c>validation_failed</c> (see <see cref="Validate"/> for the
    /// per-field detail) or <c>username_taken</c>.
    /// </summary>
    public async ValueTask<Outcome<UserRecord>> RegisterAsync(string? username, string? password, CancellationToken cancellationToken)
    {
        if (Validate(username, password).Count > 0)
        {
            return Outcome.Failure<UserRecord>(TesseraErrorCodes.ValidationFailed, "The username or password is not acceptable.");
        }

        // Hashed before the look-up: a taken name costs the same Argon2id work as a new account, so
        // registration confirms a name no faster than a sign-in attempt would (issue #14, finding 6).
        string passwordHash = await _hasher.HashAsync(password!, cancellationToken).ConfigureAwait(false);
        string normalized = UsernameRules.Normalize(username!);
        if (await _users.FindByNormalizedUsernameAsync(normalized, cancellationToken).ConfigureAwait(false) is not null)
        {
            return Taken();
        }

        var user = new UserRecord
        {
            Id = RandomIds.New128(),
            Username = username!.Trim(),
            NormalizedUsername = normalized,
            PasswordHash = passwordHash,
            CreatedAt = Clock.Now(_time),
        };

        // The look-up above spares an insert that would fail; the store's unique key decides races.
        return await _users.TryCreateAsync(user, cancellationToken).ConfigureAwait(false)
            ? Outcome.Success(user)
            : Taken();
    }

    private static Outcome<UserRecord> Taken() =>
        Outcome.Failure<UserRecord>(TesseraErrorCodes.UsernameTaken, "This username is already taken.");
}
