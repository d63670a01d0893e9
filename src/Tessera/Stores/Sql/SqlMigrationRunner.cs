using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Tessera.Stores.Sql;

/// <summary>
/// Applies schema migrations on one connection: every module's pending steps in one transaction
/// (all or none), its version recorded in <c>schema_migrations</c>, under the dialect's lock so
/// processes starting at once take turns. Refuses a database that a newer program migrated
/// further (a downgrade would misread it).
/// </summary>
public static class SqlMigrationRunner
{
    /// <summary>Applies the steps of <paramref name="migrations"/> not applied yet; <paramref name="now"/> is recorded with each.</summary>
    public static async ValueTask MigrateAsync(DbConnection connection, SqlDialect dialect, IEnumerable<SqlMigration> migrations, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(migrations);
        SqlMigration[][] modules = [.. migrations.GroupBy(m => m.Module, StringComparer.Ordinal).Select(CheckedSteps)];
        IAsyncDisposable? held = await dialect.LockMigrationsAsync(connection, cancellationToken).ConfigureAwait(false);
        try
        {
            await connection.Command(dialect.MigrationsTableSql).ExecuteAsync(cancellationToken).ConfigureAwait(false);
            foreach (SqlMigration[] steps in modules)
            {
                await MigrateModuleAsync(connection, dialect, steps, now, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (held is not null)
            {
                await held.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>The schema version applied for <paramref name="module"/>; 0 when none.</summary>
    public static async ValueTask<int> SchemaVersionAsync(DbConnection connection, DbTransaction? transaction, string module, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        DbCommand command = connection.Command("SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE module = @module;", transaction).With("module", module);
        await using (command.ConfigureAwait(false))
        {
            return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }
    }

    private static SqlMigration[] CheckedSteps(IGrouping<string, SqlMigration> module)
    {
        SqlMigration[] steps = [.. module.OrderBy(m => m.Version)];
        for (int i = 0; i < steps.Length; i++)
        {
            if (steps[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Migrations of module '{module.Key}' must be numbered 1, 2, 3… without gaps.");
            }
        }

        return steps;
    }

    private static async ValueTask MigrateModuleAsync(DbConnection connection, SqlDialect dialect, SqlMigration[] steps, DateTimeOffset now, CancellationToken cancellationToken)
    {
        string module = steps[0].Module;
        DbTransaction transaction = await dialect.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            int current = await SchemaVersionAsync(connection, transaction, module, cancellationToken).ConfigureAwait(false);
            if (current > steps.Length)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"The database has schema version {current} of '{module}', newer than this program knows ({steps.Length}). Use a newer Tessera or {dialect.ElsewhereHint}."));
            }

            foreach (SqlMigration step in steps.Skip(current))
            {
                await ExecuteStepAsync(connection, transaction, step, cancellationToken).ConfigureAwait(false);
                await connection.Command("INSERT INTO schema_migrations (module, version, description, applied_at) VALUES (@module, @version, @description, @at);", transaction)
                    .With("module", step.Module).With("version", step.Version).With("description", step.Description).With("at", dialect.Time(now))
                    .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    [SuppressMessage("Security", "CA2100:Review SQL queries for security vulnerabilities", Justification = "Migration SQL is compiled into the program, never built from input.")]
    private static ValueTask<int> ExecuteStepAsync(DbConnection connection, DbTransaction transaction, SqlMigration step, CancellationToken cancellationToken) =>
        connection.Command(step.Sql, transaction).ExecuteAsync(cancellationToken);
}
