namespace Tessera.OAuth.Registration;

/// <summary>
/// Registers, changes, lists and removes clients in the <see cref="IClientStore"/>, after
/// <see cref="ClientRegistrationRules"/>. Secrets are generated here (never chosen, except in
/// configuration), returned once in <see cref="RegisteredClient.Secret"/> and stored as SHA-256
/// hashes only (<see cref="ClientSecrets"/>). The CLI, the admin API and configured clients all go
/// through this class.
/// </summary>
public sealed class ClientRegistration
{
    private readonly IClientStore _clients;
    private readonly TimeProvider _time;

    /// <summary>Registration of OAuth clients into <paramref name="clients"/>, dating them with <paramref name="time"/>.</summary>
    public ClientRegistration(IClientStore clients, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(time);
        _clients = clients;
        _time = time;
    }

    /// <summary>
    /// Registers a new client. A client secret method gets a new secret (in the result, once).
    /// Fails with the first problem's <c>client_*_invalid</c> code (see
    /// <see cref="ClientRegistrationRules.Validate"/> for all of them) or <c>client_id_taken</c>.
    /// </summary>
    public async ValueTask<Outcome<RegisteredClient>> CreateAsync(ClientRegistrationRequest request, CancellationToken cancellationToken)
    {
        (ClientRegistrationRequest? valid, IReadOnlyList<ClientRegistrationProblem> problems) = ClientRegistrationRules.Check(request);
        if (valid is null)
        {
            return Outcome.Failure<RegisteredClient>(problems[0].ToError());
        }

        (string? secret, byte[]? hash) = ClientRegistrationRules.UsesSecret(valid.TokenEndpointAuthMethod) ? ClientSecrets.Generate() : (null, null);
        OAuthClient client = Build(valid, hash is null ? [] : [hash], Clock.Now(_time));
        return await _clients.TryCreateAsync(client, cancellationToken).ConfigureAwait(false)
            ? Outcome.Success(new RegisteredClient(client, secret))
            : Taken(client.ClientId);
    }

    /// <summary>
    /// Replaces a client's settings (its id, creation time and secrets stay). A client that moves to
    /// a secret method without a secret gets a new one (in the result); one that moves away from
    /// secrets loses them. Fails like <see cref="CreateAsync"/>, or with <c>client_not_found</c>.
    /// </summary>
    public async ValueTask<Outcome<RegisteredClient>> UpdateAsync(ClientRegistrationRequest request, CancellationToken cancellationToken)
    {
        (ClientRegistrationRequest? valid, IReadOnlyList<ClientRegistrationProblem> problems) = ClientRegistrationRules.Check(request);
        if (valid is null)
        {
            return Outcome.Failure<RegisteredClient>(problems[0].ToError());
        }

        if (await _clients.FindAsync(valid.ClientId!, cancellationToken).ConfigureAwait(false) is not { } existing)
        {
            return NotFound(valid.ClientId!);
        }

        string? secret = null;
        IReadOnlyList<ReadOnlyMemory<byte>> hashes = [];
        if (ClientRegistrationRules.UsesSecret(valid.TokenEndpointAuthMethod))
        {
            hashes = existing.SecretHashes;
            if (hashes.Count == 0)
            {
                (secret, byte[] hash) = ClientSecrets.Generate();
                hashes = [hash];
            }
        }

        OAuthClient client = Build(valid, hashes, existing.CreatedAt);
        return await _clients.UpdateAsync(client, cancellationToken).ConfigureAwait(false)
            ? Outcome.Success(new RegisteredClient(client, secret))
            : NotFound(client.ClientId);
    }

    /// <summary>
    /// Creates or replaces a client from configuration, which is its source of truth. A given
    /// <paramref name="secret"/> (it must be shaped like a generated one, see
    /// <see cref="ClientRegistrationRules.SecretProblem"/>) becomes the only valid secret; without
    /// one, a stored client keeps its secrets (so <c>rotate-secret</c> works on it too) and a new
    /// client with a secret method is refused. Never returns a secret.
    /// </summary>
    public async ValueTask<Outcome<RegisteredClient>> UpsertAsync(ClientRegistrationRequest request, string? secret, CancellationToken cancellationToken)
    {
        (ClientRegistrationRequest? valid, IReadOnlyList<ClientRegistrationProblem> problems) = ClientRegistrationRules.Check(request);
        if (valid is null)
        {
            return Outcome.Failure<RegisteredClient>(problems[0].ToError());
        }

        bool usesSecret = ClientRegistrationRules.UsesSecret(valid.TokenEndpointAuthMethod);
        if (secret is not null && (!usesSecret || ClientRegistrationRules.SecretProblem(secret) is not null))
        {
            return Outcome.Failure<RegisteredClient>(TesseraErrorCodes.ClientSecretInvalid, usesSecret
                ? ClientRegistrationRules.SecretProblem(secret)!
                : $"the method {valid.TokenEndpointAuthMethod} takes no client secret");
        }

        OAuthClient? existing = await _clients.FindAsync(valid.ClientId!, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<ReadOnlyMemory<byte>> hashes = !usesSecret ? []
            : secret is not null ? [Hash(secret)]
            : existing?.SecretHashes ?? [];
        if (usesSecret && hashes.Count == 0)
        {
            return Outcome.Failure<RegisteredClient>(TesseraErrorCodes.ClientSecretInvalid, $"the method {valid.TokenEndpointAuthMethod} needs a client secret, and none is stored yet");
        }

        if (existing is null)
        {
            OAuthClient created = Build(valid, hashes, Clock.Now(_time));
            if (await _clients.TryCreateAsync(created, cancellationToken).ConfigureAwait(false))
            {
                return Outcome.Success(new RegisteredClient(created, null));
            }

            // Another instance created it a moment ago: replace its copy with ours (the same configuration).
            existing = await _clients.FindAsync(valid.ClientId!, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                return NotFound(valid.ClientId!);
            }
        }

        OAuthClient updated = Build(valid, hashes, existing.CreatedAt);
        return await _clients.UpdateAsync(updated, cancellationToken).ConfigureAwait(false)
            ? Outcome.Success(new RegisteredClient(updated, null))
            : NotFound(updated.ClientId);
    }

    /// <summary>
    /// Gives a client a new secret (in the result, once). The old one stops working at once, unless
    /// <paramref name="keepPrevious"/>: then the newest previous secret stays valid beside the new one
    /// (never more than two), until the next rotation without it. Fails with <c>client_not_found</c>,
    /// or <c>client_secret_not_used</c> for a client that authenticates without a secret.
    /// </summary>
    public async ValueTask<Outcome<RegisteredClient>> RotateSecretAsync(string clientId, bool keepPrevious, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        if (await _clients.FindAsync(clientId, cancellationToken).ConfigureAwait(false) is not { } existing)
        {
            return NotFound(clientId);
        }

        if (!ClientRegistrationRules.UsesSecret(existing.TokenEndpointAuthMethod))
        {
            return Outcome.Failure<RegisteredClient>(TesseraErrorCodes.ClientSecretNotUsed, $"the client '{clientId}' authenticates with {existing.TokenEndpointAuthMethod}: it has no secret to rotate");
        }

        (string secret, byte[] hash) = ClientSecrets.Generate();
        // Newest first: the one kept is the one the client most likely still uses.
        OAuthClient rotated = existing with
        {
            SecretHashes = keepPrevious && existing.SecretHashes.Count > 0 ? [hash, existing.SecretHashes[0]] : [hash],
        };
        return await _clients.UpdateAsync(rotated, cancellationToken).ConfigureAwait(false)
            ? Outcome.Success(new RegisteredClient(rotated, secret))
            : NotFound(clientId);
    }

    /// <summary>The client registered as <paramref name="clientId"/>; null when there is none.</summary>
    public ValueTask<OAuthClient?> FindAsync(string clientId, CancellationToken cancellationToken) => _clients.FindAsync(clientId, cancellationToken);

    /// <summary>Every client, ordered by id.</summary>
    public ValueTask<IReadOnlyList<OAuthClient>> ListAsync(CancellationToken cancellationToken) => _clients.ListAsync(cancellationToken);

    /// <summary>Removes a client and its consents. Sessions it already holds live on until they end or are revoked.</summary>
    public ValueTask<bool> RemoveAsync(string clientId, CancellationToken cancellationToken) => _clients.DeleteAsync(clientId, cancellationToken);

    private static OAuthClient Build(ClientRegistrationRequest valid, IReadOnlyList<ReadOnlyMemory<byte>> secretHashes, DateTimeOffset createdAt) => new()
    {
        ClientId = valid.ClientId!,
        DisplayName = valid.DisplayName!,
        ClientType = valid.ClientType!,
        TokenEndpointAuthMethod = valid.TokenEndpointAuthMethod!,
        SecretHashes = secretHashes,
        JwksJson = valid.JwksJson,
        RedirectUris = valid.RedirectUris!,
        PostLogoutRedirectUris = valid.PostLogoutRedirectUris!,
        GrantTypes = valid.GrantTypes!,
        Scopes = valid.Scopes!,
        CorsOrigins = valid.CorsOrigins!,
        RequireConsent = valid.RequireConsent ?? true,
        IdTokenSignedResponseAlg = valid.IdTokenSignedResponseAlg!,
        RequireDpopBoundAccessTokens = valid.DpopBoundAccessTokens ?? false,
        CreatedAt = createdAt,
    };

    private static byte[] Hash(string secret)
    {
        byte[] hash = new byte[Sessions.SessionSecret.HashLength];
        return Sessions.SessionSecret.TryHash(secret, hash) ? hash : throw new ArgumentException("Not a client secret.", nameof(secret));
    }

    private static Outcome<RegisteredClient> Taken(string clientId) =>
        Outcome.Failure<RegisteredClient>(TesseraErrorCodes.ClientIdTaken, $"a client with the id '{clientId}' exists already");

    private static Outcome<RegisteredClient> NotFound(string clientId) =>
        Outcome.Failure<RegisteredClient>(TesseraErrorCodes.ClientNotFound, $"no client has the id '{clientId}'");
}
