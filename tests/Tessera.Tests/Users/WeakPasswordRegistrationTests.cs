using Microsoft.Extensions.Time.Testing;
using Tessera.InMemory;
using Tessera.Users;

namespace Tessera.Tests.Users;

/// <summary>#14 finding 9: registration refuses common passwords and ones built on the username.</summary>
public sealed class WeakPasswordRegistrationTests
{
    private readonly InMemoryUserStore _users = new();
    private readonly UserRegistration _registration;

    public WeakPasswordRegistrationTests() =>
        _registration = new UserRegistration(_users, new CountingPasswordHasher(), new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero)));

    [Theory]
    [InlineData("password")]
    [InlineData("12345678")]
    [InlineData("mallory-the-user")]
    public async Task AWeakPasswordIsRefusedAndNothingIsStored(string password)
    {
        Outcome<UserRecord> result = await _registration.RegisterAsync("mallory-the-user", password, CancellationToken.None);

        Assert.Equal(TesseraErrorCodes.ValidationFailed, result.Error?.Code);
        Assert.Null(await _users.FindByNormalizedUsernameAsync("mallory-the-user", CancellationToken.None));
        Assert.Equal(["password"], UserRegistration.Validate("mallory-the-user", password).Keys);
    }
}
