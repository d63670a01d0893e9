using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Tessera.AspNetCore.Authentication.Bearer;

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);

// Access tokens from a Tessera server: its discovery document names the keys (fetched lazily,
// cached), and only tokens issued for this API's audience are accepted.
builder.Services.AddAuthentication(TesseraBearerDefaults.AuthenticationScheme)
    .AddTesseraBearer(options =>
    {
        options.Authority = builder.Configuration["Tessera:Authority"];
        options.Audience = builder.Configuration["Tessera:Audience"];
    });

builder.Services.AddAuthorization(options =>
{
    // A missing scope answers 403 with WWW-Authenticate: Bearer error="insufficient_scope" (RFC 6750 §3.1).
    options.AddPolicy("orders:read", policy => policy.RequireScope("orders:read"));
    options.AddPolicy("admin", policy => policy.RequireRole("admin"));
});

WebApplication app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();

// Any valid token: who is calling.
app.MapGet("/me", [Authorize] (ClaimsPrincipal user) => new { subject = user.FindFirstValue("sub") });

// A scope: what the client was allowed to do on the user's behalf.
app.MapGet("/orders", (ClaimsPrincipal user) => new[] { new { id = 1, owner = user.FindFirstValue("sub") } })
    .RequireAuthorization("orders:read");

// A role: what the user is.
app.MapGet("/reports", () => new { orders = 1 }).RequireAuthorization("admin");

app.Run();

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
