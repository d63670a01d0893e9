namespace Tessera.PostgreSql;

/// <summary>
/// Tessera's own tables, the same layout as the SQLite schema's latest version (version 1 started
/// at SQLite's version 2; later versions follow SQLite's one for one). Append new versions; never
/// edit a shipped one. Each row carries the <c>format</c> of its record layout.
/// </summary>
public static class TesseraPostgresSchema
{
    /// <summary>The module name Tessera's versions are recorded under in <c>schema_migrations</c>; an app's own migrations take another.</summary>
    public const string Module = "tessera";

    /// <summary>The first schema version with the OAuth provider's tables and user roles.</summary>
    public const int OAuthProviderVersion = 2;

    /// <summary>The first schema version with refresh generations instead of retired hashes.</summary>
    public const int RefreshGenerationsVersion = 3;

    /// <summary>The first schema version with disabled accounts (<c>users.disabled_at</c>) and the audit log (<c>audit_events</c>).</summary>
    public const int AuditVersion = 4;

    /// <summary>
    /// The first schema version with passkeys (<c>passkeys</c>), a session's authentication methods
    /// and DPoP key, an authorization code's <c>dpop_jkt</c> and a client's DPoP requirement (issue #16).
    /// </summary>
    public const int PasskeysVersion = 5;

    /// <summary>Every version of Tessera's tables, oldest first; the runner applies those above the database's recorded version.</summary>
    public static IReadOnlyList<PostgresMigration> Migrations { get; } =
    [
        new(Module, 1, "users, sessions with refresh rotation, session attributes, signing keys", """
            CREATE TABLE users (
                id                  text        NOT NULL PRIMARY KEY,
                username            text        NOT NULL,
                normalized_username text        NOT NULL UNIQUE,
                password_hash       text        NOT NULL,
                created_at          timestamptz NOT NULL,
                failed_sign_ins     integer     NOT NULL DEFAULT 0,
                locked_until        timestamptz NULL,
                format              integer     NOT NULL
            );

            -- secret_hash is the SHA-256 of the cookie secret or of the current refresh token.
            CREATE TABLE sessions (
                handle               text        NOT NULL PRIMARY KEY,
                secret_hash          bytea       NOT NULL UNIQUE,
                user_id              text        NOT NULL,
                created_at           timestamptz NOT NULL,
                last_seen_at         timestamptz NOT NULL,
                idle_expires_at      timestamptz NOT NULL,
                absolute_expires_at  timestamptz NOT NULL,
                client_ip            text        NULL,
                user_agent           text        NULL,
                revoked_at           timestamptz NULL,
                revoked_reason       text        NULL,
                flagged_at           timestamptz NULL,
                flag_reason          text        NULL,
                format               integer     NOT NULL,
                kind                 text        NOT NULL DEFAULT 'cookie',
                previous_secret_hash bytea       NULL,
                secret_rotated_at    timestamptz NULL
            );
            CREATE INDEX sessions_by_user ON sessions (user_id, created_at);
            CREATE INDEX sessions_by_previous_secret ON sessions (previous_secret_hash) WHERE previous_secret_hash IS NOT NULL;

            CREATE TABLE session_attributes (
                handle text NOT NULL REFERENCES sessions (handle) ON DELETE CASCADE,
                key    text NOT NULL,
                value  text NOT NULL,
                PRIMARY KEY (handle, key)
            );

            -- Every secret hash a rotation replaced, so a replayed old refresh token is recognised.
            CREATE TABLE session_retired_secrets (
                secret_hash bytea NOT NULL PRIMARY KEY,
                handle      text  NOT NULL REFERENCES sessions (handle) ON DELETE CASCADE
            );
            CREATE INDEX session_retired_secrets_by_handle ON session_retired_secrets (handle);

            CREATE TABLE signing_keys (
                kid               text        NOT NULL PRIMARY KEY,
                use               text        NOT NULL,
                algorithm         text        NOT NULL,
                public_jwk        text        NULL,
                protected_private text        NOT NULL,
                created_at        timestamptz NOT NULL,
                activates_at      timestamptz NOT NULL,
                retires_at        timestamptz NULL,
                format            integer     NOT NULL
            );
            """),
        new(Module, 2, "OAuth provider: session grants, user roles, clients, authorization codes, consents", """
            -- NULL in all three: a first-party session, which every existing row is (its format stays 2).
            ALTER TABLE sessions ADD COLUMN client_id text NULL;
            ALTER TABLE sessions ADD COLUMN scope text NULL;
            ALTER TABLE sessions ADD COLUMN authenticated_at timestamptz NULL;

            -- A JSON array of role names.
            ALTER TABLE users ADD COLUMN roles text NOT NULL DEFAULT '[]';

            -- List-valued columns are JSON arrays of strings; secrets only as SHA-256 (base64url).
            CREATE TABLE oauth_clients (
                client_id                    text        NOT NULL PRIMARY KEY,
                display_name                 text        NOT NULL,
                client_type                  text        NOT NULL,
                token_endpoint_auth_method   text        NOT NULL,
                secret_hashes                text        NOT NULL,
                jwks                         text        NULL,
                redirect_uris                text        NOT NULL,
                post_logout_redirect_uris    text        NOT NULL,
                grant_types                  text        NOT NULL,
                scopes                       text        NOT NULL,
                cors_origins                 text        NOT NULL,
                require_consent              boolean     NOT NULL,
                id_token_signed_response_alg text        NOT NULL,
                created_at                   timestamptz NOT NULL,
                format                       integer     NOT NULL
            );

            -- Only the SHA-256 of a code is kept (RFC 6749 §10.5); redeemed_at marks its one use.
            CREATE TABLE oauth_authorization_codes (
                code_hash              bytea       NOT NULL PRIMARY KEY,
                client_id              text        NOT NULL,
                user_id                text        NOT NULL,
                redirect_uri           text        NOT NULL,
                scope                  text        NOT NULL,
                code_challenge         text        NOT NULL,
                nonce                  text        NULL,
                authenticated_at       timestamptz NOT NULL,
                browser_session_handle text        NULL,
                created_at             timestamptz NOT NULL,
                expires_at             timestamptz NOT NULL,
                redeemed_at            timestamptz NULL,
                issued_session_handle  text        NULL,
                format                 integer     NOT NULL
            );
            CREATE INDEX oauth_authorization_codes_by_expiry ON oauth_authorization_codes (expires_at);

            CREATE TABLE oauth_consents (
                user_id    text        NOT NULL,
                client_id  text        NOT NULL,
                scopes     text        NOT NULL,
                granted_at timestamptz NOT NULL,
                format     integer     NOT NULL,
                PRIMARY KEY (user_id, client_id)
            );
            CREATE INDEX oauth_consents_by_client ON oauth_consents (client_id);
            """),
        new(Module, RefreshGenerationsVersion, "bounded reuse history: refresh generations, the rotating client; no retired hashes", """
            -- A refresh token names its session and generation: any older one is reuse, with nothing
            -- kept per retired token (issue #14). Rows so far never rotated under this scheme: 0, NULL.
            ALTER TABLE sessions ADD COLUMN generation bigint NOT NULL DEFAULT 0;
            -- SHA-256 of the address and user agent of the client whose refresh made the last
            -- rotation: only it gets the grace answer to the previous refresh token.
            ALTER TABLE sessions ADD COLUMN rotated_by bytea NULL;
            -- One row per refresh, kept for a session's whole lifetime: no longer needed.
            DROP TABLE session_retired_secrets;
            """),
        new(Module, AuditVersion, "administration: disabled accounts, the audit log", """
            -- When an administrator disabled the account; NULL (every existing row): enabled.
            ALTER TABLE users ADD COLUMN disabled_at timestamptz NULL;
            -- The user list pages in byte order whatever the database's collation.
            CREATE INDEX users_by_normalized_username_bytes ON users (normalized_username COLLATE "C");

            -- Security events, append only. An identity never hands a sequence out twice, not even
            -- after a purge emptied the table, so a paging cursor never meets a newer event.
            CREATE TABLE audit_events (
                seq        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                at         timestamptz NOT NULL,
                type       text        NOT NULL,
                actor_id   text        NULL,
                user_id    text        NULL,
                session_id text        NULL,
                client_id  text        NULL,
                address    text        NULL,
                outcome    text        NULL,
                detail     text        NULL,
                format     integer     NOT NULL
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
            ALTER TABLE sessions ADD COLUMN authentication_methods text NULL;
            ALTER TABLE sessions ADD COLUMN key_thumbprint text NULL;

            -- RFC 9449 §10: the dpop_jkt the authorization request named; NULL: none.
            ALTER TABLE oauth_authorization_codes ADD COLUMN dpop_jkt text NULL;
            -- RFC 9449 §5.2 dpop_bound_access_tokens; false (every existing client): DPoP optional.
            ALTER TABLE oauth_clients ADD COLUMN require_dpop boolean NOT NULL DEFAULT false;

            -- WebAuthn credentials. The id (base64url of at most 1023 bytes) is unique across
            -- accounts (WebAuthn §7.1 step 25); transports is a JSON array of strings; nothing here
            -- is secret. A deleted account's rows go in the same transaction as the account.
            CREATE TABLE passkeys (
                credential_id      text        NOT NULL PRIMARY KEY,
                user_id            text        NOT NULL,
                public_key         bytea       NOT NULL,
                sign_count         bigint      NOT NULL,
                transports         text        NOT NULL,
                backup_eligible    boolean     NOT NULL,
                backed_up          boolean     NOT NULL,
                aaguid             uuid        NOT NULL,
                attestation_format text        NOT NULL,
                name               text        NOT NULL,
                created_at         timestamptz NOT NULL,
                last_used_at       timestamptz NULL,
                format             integer     NOT NULL
            );
            CREATE INDEX passkeys_by_user ON passkeys (user_id, created_at);
            """),
    ];
}
