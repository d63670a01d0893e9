namespace Tessera.Sqlite;

/// <summary>
/// Tessera's own tables. Append new versions; never edit a shipped one. Times are Unix
/// milliseconds (UTC). Each row also carries the <c>format</c> of its record layout.
/// </summary>
public static class TesseraSqliteSchema
{
    /// <summary>The module name Tessera's versions are recorded under in <c>schema_migrations</c>; an app's own migrations take another.</summary>
    public const string Module = "tessera";

    /// <summary>The first schema version with the <c>signing_keys</c> table (token mode).</summary>
    public const int SigningKeysVersion = 2;

    /// <summary>The first schema version with the OAuth provider's tables, session grants and user roles.</summary>
    public const int OAuthProviderVersion = 3;

    /// <summary>The first schema version with refresh generations instead of retired hashes.</summary>
    public const int RefreshGenerationsVersion = 4;

    /// <summary>The first schema version with disabled accounts (<c>users.disabled_at</c>) and the audit log (<c>audit_events</c>).</summary>
    public const int AuditVersion = 5;

    /// <summary>
    /// The first schema version with passkeys (<c>passkeys</c>), a session's authentication methods
    /// and DPoP key, an authorization code's <c>dpop_jkt</c> and a client's DPoP requirement (issue #16).
    /// </summary>
    public const int PasskeysVersion = 6;

    /// <summary>Every version of Tessera's tables, oldest first; the runner applies those above the database's recorded version.</summary>
    public static IReadOnlyList<SqliteMigration> Migrations { get; } =
    [
        new(Module, 1, "users, sessions and session attributes", """
            CREATE TABLE users (
                id                  TEXT    NOT NULL PRIMARY KEY,
                username            TEXT    NOT NULL,
                normalized_username TEXT    NOT NULL UNIQUE,
                password_hash       TEXT    NOT NULL,
                created_at          INTEGER NOT NULL,
                failed_sign_ins     INTEGER NOT NULL DEFAULT 0,
                locked_until        INTEGER NULL,
                format              INTEGER NOT NULL
            ) WITHOUT ROWID;

            CREATE TABLE sessions (
                handle              TEXT    NOT NULL PRIMARY KEY,
                secret_hash         BLOB    NOT NULL UNIQUE,
                user_id             TEXT    NOT NULL,
                created_at          INTEGER NOT NULL,
                last_seen_at        INTEGER NOT NULL,
                idle_expires_at     INTEGER NOT NULL,
                absolute_expires_at INTEGER NOT NULL,
                client_ip           TEXT    NULL,
                user_agent          TEXT    NULL,
                revoked_at          INTEGER NULL,
                revoked_reason      TEXT    NULL,
                flagged_at          INTEGER NULL,
                flag_reason         TEXT    NULL,
                format              INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX sessions_by_user ON sessions (user_id, created_at);

            CREATE TABLE session_attributes (
                handle TEXT NOT NULL REFERENCES sessions (handle) ON DELETE CASCADE,
                key    TEXT NOT NULL,
                value  TEXT NOT NULL,
                PRIMARY KEY (handle, key)
            ) WITHOUT ROWID;
            """),
        new(Module, 2, "token mode: session kind, previous refresh hash, signing keys", """
            ALTER TABLE sessions ADD COLUMN kind TEXT NOT NULL DEFAULT 'cookie';
            ALTER TABLE sessions ADD COLUMN previous_secret_hash BLOB NULL;
            ALTER TABLE sessions ADD COLUMN secret_rotated_at INTEGER NULL;
            CREATE INDEX sessions_by_previous_secret ON sessions (previous_secret_hash) WHERE previous_secret_hash IS NOT NULL;
            UPDATE sessions SET format = 2 WHERE format = 1;

            -- Every secret hash a rotation replaced, so a replayed old refresh token is recognised.
            CREATE TABLE session_retired_secrets (
                secret_hash BLOB NOT NULL PRIMARY KEY,
                handle      TEXT NOT NULL REFERENCES sessions (handle) ON DELETE CASCADE
            ) WITHOUT ROWID;
            CREATE INDEX session_retired_secrets_by_handle ON session_retired_secrets (handle);

            CREATE TABLE signing_keys (
                kid               TEXT    NOT NULL PRIMARY KEY,
                use               TEXT    NOT NULL,
                algorithm         TEXT    NOT NULL,
                public_jwk        TEXT    NULL,
                protected_private TEXT    NOT NULL,
                created_at        INTEGER NOT NULL,
                activates_at      INTEGER NOT NULL,
                retires_at        INTEGER NULL,
                format            INTEGER NOT NULL
            ) WITHOUT ROWID;
            """),
        new(Module, 3, "OAuth provider: session grants, user roles, clients, authorization codes, consents", """
            -- NULL in all three: a first-party session, which every existing row is (its format stays 2).
            ALTER TABLE sessions ADD COLUMN client_id TEXT NULL;
            ALTER TABLE sessions ADD COLUMN scope TEXT NULL;
            ALTER TABLE sessions ADD COLUMN authenticated_at INTEGER NULL;

            -- A JSON array of role names.
            ALTER TABLE users ADD COLUMN roles TEXT NOT NULL DEFAULT '[]';

            -- List-valued columns are JSON arrays of strings; secrets only as SHA-256 (base64url).
            CREATE TABLE oauth_clients (
                client_id                    TEXT    NOT NULL PRIMARY KEY,
                display_name                 TEXT    NOT NULL,
                client_type                  TEXT    NOT NULL,
                token_endpoint_auth_method   TEXT    NOT NULL,
                secret_hashes                TEXT    NOT NULL,
                jwks                         TEXT    NULL,
                redirect_uris                TEXT    NOT NULL,
                post_logout_redirect_uris    TEXT    NOT NULL,
                grant_types                  TEXT    NOT NULL,
                scopes                       TEXT    NOT NULL,
                cors_origins                 TEXT    NOT NULL,
                require_consent              INTEGER NOT NULL,
                id_token_signed_response_alg TEXT    NOT NULL,
                created_at                   INTEGER NOT NULL,
                format                       INTEGER NOT NULL
            ) WITHOUT ROWID;

            -- Only the SHA-256 of a code is kept (RFC 6749 §10.5); redeemed_at marks its one use.
            CREATE TABLE oauth_authorization_codes (
                code_hash              BLOB    NOT NULL PRIMARY KEY,
                client_id              TEXT    NOT NULL,
                user_id                TEXT    NOT NULL,
                redirect_uri           TEXT    NOT NULL,
                scope                  TEXT    NOT NULL,
                code_challenge         TEXT    NOT NULL,
                nonce                  TEXT    NULL,
                authenticated_at       INTEGER NOT NULL,
                browser_session_handle TEXT    NULL,
                created_at             INTEGER NOT NULL,
                expires_at             INTEGER NOT NULL,
                redeemed_at            INTEGER NULL,
                issued_session_handle  TEXT    NULL,
                format                 INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX oauth_authorization_codes_by_expiry ON oauth_authorization_codes (expires_at);

            CREATE TABLE oauth_consents (
                user_id    TEXT    NOT NULL,
                client_id  TEXT    NOT NULL,
                scopes     TEXT    NOT NULL,
                granted_at INTEGER NOT NULL,
                format     INTEGER NOT NULL,
                PRIMARY KEY (user_id, client_id)
            ) WITHOUT ROWID;
            CREATE INDEX oauth_consents_by_client ON oauth_consents (client_id);
            """),
        new(Module, RefreshGenerationsVersion, "bounded reuse history: refresh generations, the rotating client; no retired hashes", """
            -- A refresh token names its session and generation: any older one is reuse, with nothing
            -- kept per retired token (issue #14). Rows so far never rotated under this scheme: 0, NULL.
            ALTER TABLE sessions ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
            -- SHA-256 of the address and user agent of the client whose refresh made the last
            -- rotation: only it gets the grace answer to the previous refresh token.
            ALTER TABLE sessions ADD COLUMN rotated_by BLOB NULL;
            -- One row per refresh, kept for a session's whole lifetime: no longer needed.
            DROP TABLE session_retired_secrets;
            """),
        new(Module, AuditVersion, "administration: disabled accounts, the audit log", """
            -- When an administrator disabled the account; NULL (every existing row): enabled.
            ALTER TABLE users ADD COLUMN disabled_at INTEGER NULL;

            -- Security events, append only. AUTOINCREMENT: a sequence is never handed out twice, not
            -- even after a purge emptied the table, so a paging cursor never meets a newer event.
            CREATE TABLE audit_events (
                seq        INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
                at         INTEGER NOT NULL,
                type       TEXT    NOT NULL,
                actor_id   TEXT    NULL,
                user_id    TEXT    NULL,
                session_id TEXT    NULL,
                client_id  TEXT    NULL,
                address    TEXT    NULL,
                outcome    TEXT    NULL,
                detail     TEXT    NULL,
                format     INTEGER NOT NULL
            );
            CREATE INDEX audit_events_by_user ON audit_events (user_id, seq) WHERE user_id IS NOT NULL;
            CREATE INDEX audit_events_by_actor ON audit_events (actor_id, seq) WHERE actor_id IS NOT NULL;
            CREATE INDEX audit_events_by_type ON audit_events (type, seq);
            CREATE INDEX audit_events_by_time ON audit_events (at);
            """),
        new(Module, PasskeysVersion, "passkeys; DPoP and authentication methods on sessions, codes and clients", """
            -- RFC 8176 amr values of the sign-in (space-separated) and the RFC 7638 thumbprint of the
            -- DPoP key the session's tokens are bound to (RFC 9449 §6). NULL (every existing row): a
            -- password sign-in, unbound; the session format stays.
            ALTER TABLE sessions ADD COLUMN authentication_methods TEXT NULL;
            ALTER TABLE sessions ADD COLUMN key_thumbprint TEXT NULL;

            -- RFC 9449 §10: the dpop_jkt the authorization request named; NULL: none.
            ALTER TABLE oauth_authorization_codes ADD COLUMN dpop_jkt TEXT NULL;
            -- RFC 9449 §5.2 dpop_bound_access_tokens; 0 (every existing client): DPoP optional.
            ALTER TABLE oauth_clients ADD COLUMN require_dpop INTEGER NOT NULL DEFAULT 0;

            -- WebAuthn credentials. The id (base64url of at most 1023 bytes) is unique across
            -- accounts (WebAuthn §7.1 step 25); transports is a JSON array of strings; nothing here
            -- is secret. A deleted account's rows go in the same transaction as the account.
            CREATE TABLE passkeys (
                credential_id      TEXT    NOT NULL PRIMARY KEY,
                user_id            TEXT    NOT NULL,
                public_key         BLOB    NOT NULL,
                sign_count         INTEGER NOT NULL,
                transports         TEXT    NOT NULL,
                backup_eligible    INTEGER NOT NULL,
                backed_up          INTEGER NOT NULL,
                aaguid             BLOB    NOT NULL,
                attestation_format TEXT    NOT NULL,
                name               TEXT    NOT NULL,
                created_at         INTEGER NOT NULL,
                last_used_at       INTEGER NULL,
                format             INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX passkeys_by_user ON passkeys (user_id, created_at);
            """),
    ];
}
