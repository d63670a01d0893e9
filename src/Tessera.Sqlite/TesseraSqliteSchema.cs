namespace Tessera.Sqlite;

/// <summary>
/// Tessera's own tables. Append new versions; never edit a shipped one. Times are Unix
/// milliseconds (UTC). Each row also carries the <c>format</c> of its record layout.
/// </summary>
public static class TesseraSqliteSchema
{
    public const string Module = "tessera";

    /// <summary>The first schema version with the <c>signing_keys</c> table (token mode).</summary>
    public const int SigningKeysVersion = 2;

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
    ];
}
