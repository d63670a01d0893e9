namespace Tessera.PostgreSql;

/// <summary>
/// Tessera's own tables, the same layout as the SQLite schema's latest version (a PostgreSQL
/// database starts there: there is nothing older to upgrade). Append new versions; never edit a
/// shipped one. Each row carries the <c>format</c> of its record layout.
/// </summary>
public static class TesseraPostgresSchema
{
    public const string Module = "tessera";

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
    ];
}
