using System.Net;
using System.Text.Json;

namespace Tessera.Server.Tests;

/// <summary>
/// #14 finding 9 over HTTP: registration and password change refuse the most common passwords and
/// passwords built on the username, with a validation problem that names the field.
/// </summary>
public sealed class WeakPasswordTests : IDisposable
{
    private readonly TestServerFactory _server = new();

    public void Dispose() => _server.Dispose();

    [Theory]
    [InlineData("password")]
    [InlineData("12345678")]
    [InlineData("Mallory.Example")]
    [InlineData("mallory.example2024")]
    public async Task RegistrationRefusesAWeakPassword(string password)
    {
        HttpResponseMessage response = await _server.CreateBrowser().PostJsonAsync("/auth/register", new { username = "mallory.example", password });

        JsonElement problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.False(problem.GetProperty("errors").TryGetProperty("username", out _));
        Assert.NotEmpty(problem.GetProperty("errors").GetProperty("password")[0].GetString()!);
        // Nothing was created: the name is still free for a good password.
        await _server.CreateBrowser().RegisterAsync("mallory.example");
    }

    [Theory]
    [InlineData("password")]
    [InlineData("12345678")]
    [InlineData("alice-example")]
    public async Task PasswordChangeRefusesAWeakPassword(string newPassword)
    {
        HttpClient browser = _server.CreateBrowser();
        await browser.RegisterAndSignInAsync("alice-example");

        HttpResponseMessage response = await browser.PostJsonAsync("/auth/password", new { currentPassword = Http.Password, newPassword });

        JsonElement problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("newPassword", out _));
        // The old password still works.
        await _server.CreateBrowser().SignInAsync("alice-example");
    }
}
