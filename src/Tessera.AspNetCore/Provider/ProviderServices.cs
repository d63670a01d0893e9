using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.OAuth;
using Tessera.OAuth.Authorization;
using Tessera.Sessions;
using Tessera.Tokens;
using Tessera.Users;

namespace Tessera.AspNetCore.Provider;

/// <summary>What the provider's endpoints share, resolved once: the stores, the domain services, the clock and the log.</summary>
internal sealed class ProviderServices(
    IClientStore clients,
    IConsentStore consents,
    IUserStore users,
    SessionService sessions,
    AuthorizationRequestValidator validator,
    AuthorizationCodeIssuer codes,
    PendingAuthorizations pending,
    IOptions<TesseraTokenOptions> tokenOptions,
    TimeProvider time,
    ILogger<ProviderLog> log)
{
    public IClientStore Clients { get; } = clients;

    public IConsentStore Consents { get; } = consents;

    public IUserStore Users { get; } = users;

    public SessionService Sessions { get; } = sessions;

    public AuthorizationRequestValidator Validator { get; } = validator;

    public AuthorizationCodeIssuer Codes { get; } = codes;

    public PendingAuthorizations Pending { get; } = pending;

    public TesseraTokenOptions TokenOptions { get; } = tokenOptions.Value;

    public TimeProvider Time { get; } = time;

    public ILogger Log { get; } = log;

    public DateTimeOffset Now => Clock.Now(Time);
}
