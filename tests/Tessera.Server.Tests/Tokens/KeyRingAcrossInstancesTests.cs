using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Keys;

namespace Tessera.Server.Tests.Tokens;

/// <summary>
/// Two instances over one store, each with its own in-memory copy of the key ring: a key one of
/// them adds outside the schedule is not waited for by the other.
/// </summary>
public sealed class KeyRingAcrossInstancesTests : IDisposable
{
    private readonly TestServerFactory _one = new();
    private readonly TestServerFactory _two;

    public KeyRingAcrossInstancesTests() => _two = new TestServerFactory(dataDirectory: _one.DataDirectory, time: _one.Time);

    public void Dispose()
    {
        _two.Dispose();
        _one.Dispose();
    }

    [Fact]
    public async Task ATokenSignedWithAKeyAnotherInstanceJustAddedVerifiesWithoutWaitingForTheNextRead()
    {
        HttpClient one = _one.CreateBareClient();
        HttpClient two = _two.CreateBareClient();
        JsonElement before = await one.RegisterAndSignInForTokensAsync("alice");
        await (await two.GetWithBearerAsync("/auth/me", before.Access())).AssertOkJsonAsync(); // two has read the ring

        // A second later, an early rotation on instance one (as `tessera key rotate --lead 0s`
        // does): the new key signs at once.
        _one.Time.Advance(TimeSpan.FromSeconds(1));
        SigningKeyRecord added = await _one.Services.GetRequiredService<SigningKeyRing>().RotateAsync(immediately: true, CancellationToken.None);
        JsonElement after = await one.SignInForTokensAsync("alice");

        Assert.Equal(added.KeyId, TokenHttp.Part(after.Access(), 0).GetProperty("kid").GetString());
        // Well within two's one-minute refresh interval, yet it knows the key.
        await (await two.GetWithBearerAsync("/auth/me", after.Access())).AssertOkJsonAsync();
        await (await two.GetWithBearerAsync("/auth/me", before.Access())).AssertOkJsonAsync();
    }

    [Fact]
    public async Task AnUnknownKeyIdIsStillRefusedAfterTheReread()
    {
        HttpClient one = _one.CreateBareClient();
        JsonElement pair = await one.RegisterAndSignInForTokensAsync("alice");
        string[] parts = pair.Access().Split('.');
        string header = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"not-a-key-of-ours\"}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

        HttpResponseMessage response = await _two.CreateBareClient().GetWithBearerAsync("/auth/me", $"{header}.{parts[1]}.{parts[2]}");

        await response.AssertBearerRefusedAsync("invalid_token");
    }
}
