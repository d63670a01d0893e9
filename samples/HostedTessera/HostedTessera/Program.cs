using System.Security.Claims;
using Microsoft.AspNetCore.DataProtection;
using Tessera.AspNetCore;
using Tessera.AspNetCore.Endpoints;
using Tessera.Keys;
using Tessera.Sqlite;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);

// One data folder: data/tessera.db (users, sessions, signing keys) and data/keys/ (the Data
// Protection key ring that protects the signing keys). Back the two up together.
var data = new TesseraDataFolder(builder.Configuration["DataFolder"] ?? "data");
builder.Services.AddTessera();
builder.Services.AddTesseraSqlite(data);

IDataProtectionBuilder dataProtection = builder.Services.AddDataProtection()
    .SetApplicationName("hosted-tessera")
    .PersistKeysToFileSystem(new DirectoryInfo(data.KeysPath));

// Outside development, encrypt the key ring with a certificate kept apart from the data
// (Tessera:KeyEncryption:CertificatePath and :CertificatePassword, as the server reads them).
KeyEncryptionOptions keyEncryption = builder.Configuration.GetSection(KeyEncryptionOptions.Section).Get<KeyEncryptionOptions>() ?? new();
if (keyEncryption.IsConfigured)
{
    // Held by Data Protection for the app's lifetime, so not disposed here.
    var certificates = KeyEncryptionCertificates.Load(keyEncryption);
    dataProtection.ProtectKeysWithCertificate(certificates.Current);
}
else if (!builder.Environment.IsDevelopment())
{
    throw new InvalidOperationException($"Set {KeyEncryptionOptions.CertificatePathSetting}: outside Development the key ring must be encrypted.");
}

WebApplication app = builder.Build();
app.UseTessera();
app.MapTesseraAuth();      // /auth/register, /auth/session, /auth/token, /auth/me, …
app.MapTesseraTokens();    // /oauth2/token, /oauth2/revoke, /.well-known/jwks.json, …
app.MapTesseraHealth();    // /healthz

// The app's own endpoint: any signed-in user, by session cookie or access token.
app.MapGet("/hello", (ClaimsPrincipal user) => new { hello = user.FindFirstValue("sub") })
    .RequireAuthorization();

app.Run();

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
