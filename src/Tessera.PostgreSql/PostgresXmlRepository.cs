using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Tessera.PostgreSql;

/// <summary>
/// The ASP.NET Core data-protection key ring in a PostgreSQL table, so every instance that
/// shares the database unprotects the signing keys the others stored. The framework calls this
/// synchronously (and caches the ring); an outage surfaces as StoreUnavailableException. The
/// server and the <c>tessera key</c> commands both use it.
/// </summary>
public sealed class PostgresXmlRepository(PostgresDatabase database) : IXmlRepository
{
    /// <summary>The migration module name of the key ring's table, apart from Tessera's own <see cref="TesseraPostgresSchema.Module"/>.</summary>
    public const string Module = "dataprotection";

    /// <summary>The key ring table's migrations, applied with Tessera's by <c>AddTesseraPostgres</c>.</summary>
    public static IReadOnlyList<PostgresMigration> Migrations { get; } =
    [
        new(Module, 1, "data-protection key ring", """
            CREATE TABLE data_protection_keys (
                id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                friendly_name text   NOT NULL,
                xml           text   NOT NULL
            );
            """),
    ];

    /// <inheritdoc />
    public IReadOnlyCollection<XElement> GetAllElements() =>
        database.Run(connection =>
        {
            using var command = connection.Command("SELECT xml FROM data_protection_keys ORDER BY id;");
            using var reader = command.ExecuteReader();
            var elements = new List<XElement>();
            while (reader.Read())
            {
                elements.Add(XElement.Parse(reader.GetString(0)));
            }

            return elements;
        });

    /// <inheritdoc />
    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        database.Run(connection =>
        {
            using var command = connection.Command("INSERT INTO data_protection_keys (friendly_name, xml) VALUES (@name, @xml);")
                .With("name", friendlyName).With("xml", element.ToString(SaveOptions.DisableFormatting));
            return command.ExecuteNonQuery();
        });
    }
}
