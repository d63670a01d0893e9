namespace Tessera.LoadTarget.Scenarios;

/// <summary>Which token endpoint an issuing scenario loads.</summary>
public enum IssuingOperation
{
    /// <summary><c>POST /auth/token/refresh</c>: one atomic rotation per request.</summary>
    Refresh,

    /// <summary><c>POST /oauth2/introspect</c> (RFC 7662) of access tokens.</summary>
    Introspection,

    /// <summary><c>POST /oauth2/revoke</c> (RFC 7009) of refresh tokens, each once.</summary>
    Revocation,

    /// <summary><c>POST /oauth2/token</c>, <c>grant_type=client_credentials</c> (RFC 6749 §4.4).</summary>
    ClientCredentials,

    /// <summary><c>POST /auth/token</c>: username and password for tokens (Argon2id).</summary>
    PasswordSignIn,
}

/// <summary>The store behind an issuing scenario.</summary>
public enum IssuingStore
{
    /// <summary>Tessera's default: one SQLite file (AddTesseraSqlite).</summary>
    Sqlite,

    /// <summary>A PostgreSQL database the harness started (AddTesseraPostgres).</summary>
    Postgres,

    /// <summary>
    /// The same database with <c>Tessera:Postgres:ChangeFeed</c> and <c>Tessera:Postgres:NearCache</c>
    /// on (their defaults): sessions answered from memory, dropped when the LISTEN/NOTIFY feed says they changed.
    /// </summary>
    PostgresNearCache,
}
