using Tessera.Audit;
using Tessera.Sessions;
using Tessera.Users;

namespace Tessera.Cli.Stores;

/// <summary>
/// What the administration commands work through: the server's <see cref="UserAdministration"/>
/// (the same code the admin API runs, over the server's own stores, with its sessions in Redis when
/// <c>--redis</c> names it) and its audit log, where every change is recorded as the
/// <see cref="AuditActors.Cli"/> actor.
/// </summary>
internal sealed class AdminAccess : IAsyncDisposable
{
    private readonly ServerStoreAccess _stores;
    private readonly RedisSessionAccess? _redis;
    private readonly CliIo _io;

    private readonly UserAdministration? _administration;

    private AdminAccess(ServerStoreAccess stores, RedisSessionAccess? redis, CliIo io, UserAdministration? administration, SessionService sessions)
    {
        _stores = stores;
        _redis = redis;
        _io = io;
        _administration = administration;
        Sessions = sessions;
    }

    /// <summary>Lists, finds and changes accounts and their sessions.</summary>
    public UserAdministration Administration => _administration
        ?? throw new CliException(CliErrorCodes.InputUnreadable, "this server's user store cannot list, disable or delete accounts (it implements no user directory)");

    /// <summary>The server's sessions (main store or Redis), as <see cref="Administration"/> sees them.</summary>
    public SessionService Sessions { get; }

    /// <summary>The server's audit log.</summary>
    public IAuditLog AuditLog => _stores.AuditLog;

    /// <summary>The server's stores, for what <see cref="UserAdministration"/> does not cover (roles).</summary>
    public ServerStoreAccess Stores => _stores;

    /// <summary>Takes ownership of <paramref name="stores"/> and <paramref name="redis"/> (disposed with this).</summary>
    public static AdminAccess Create(ServerStoreAccess stores, RedisSessionAccess? redis, CliIo io)
    {
        ArgumentNullException.ThrowIfNull(stores);
        ArgumentNullException.ThrowIfNull(io);
        var sessions = new SessionService(redis?.Sessions ?? stores.Sessions, new TesseraSessionOptions(), io.TimeProvider);
        // Every store Tessera ships is a user directory; one that is not cannot be administered.
        UserAdministration? administration = stores.Users is IUserDirectory ? new UserAdministration(stores.Users, sessions, io.TimeProvider, stores.Consents) : null;
        return new AdminAccess(stores, redis, io, administration, sessions);
    }

    /// <summary>The user named by <paramref name="idOrUsername"/>, or the <c>user_not_found</c> failure.</summary>
    public async Task<UserRecord> FindAsync(string idOrUsername, CancellationToken cancellationToken) =>
        Require(await Administration.FindAsync(idOrUsername, cancellationToken));

    /// <summary>
    /// Appends the <c>admin.action</c> event of a change made here: actor <see cref="AuditActors.Cli"/>,
    /// the detail names the action and the operating-system user who ran the command (no secret).
    /// </summary>
    public async Task RecordAsync(string action, string userId, string? sessionId, CancellationToken cancellationToken)
    {
        await AuditLog.AppendAsync(
            new AuditEvent
            {
                At = _io.TimeProvider.GetUtcNow(),
                Type = AuditEventTypes.AdminAction,
                ActorId = AuditActors.Cli,
                UserId = userId,
                SessionId = sessionId,
                Outcome = "ok",
                Detail = $"{action} by {OperatorName(_io)}",
            },
            cancellationToken);
    }

    /// <summary>The value of a successful outcome; a failure becomes the CLI's error with the library's code (exit 1).</summary>
    public static T Require<T>(Outcome<T> outcome)
    {
        return outcome.Succeeded ? outcome.Value! : throw new CliException(outcome.Error.Code, outcome.Error.Message);
    }

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        await _stores.DisposeAsync();
    }

    private static string OperatorName(CliIo io) => string.IsNullOrWhiteSpace(io.OperatorName) ? "an unknown user" : io.OperatorName.Trim();
}
