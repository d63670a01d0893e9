using Microsoft.Extensions.Time.Testing;
using Tessera.InMemory;
using Tessera.Users;

namespace Tessera.Tests.Users;

public class UserRegistrationTests
{
    private readonly InMemoryUserStore _users = new();
    private readonly CountingPasswordHasher _hasher = new();
    private readonly UserRegistration _registration;

    public UserRegistrationTests() =>
        _registration = new UserRegistration(_users, _hasher, new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero)));

    [Fact]
    public async Task RegisteredUserKeepsTheTrimmedNameAndAHashedPassword()
    {
        Outcome<UserRecord> result = await _registration.RegisterAsync(" Alice ", "correct horse", CancellationToken.None);

        UserRecord stored = (await _users.FindByNormalizedUsernameAsync("alice", CancellationToken.None))!;
        Assert.Equal(result.Value!.Id, stored.Id);
        Assert.Equal("Alice", stored.Username);
        Assert.StartsWith("$argon2id$", stored.PasswordHash, StringComparison.Ordinal);
        Assert.DoesNotContain("correct horse", stored.PasswordHash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NameTakenInAnyCasingIsRefused()
    {
        await _registration.RegisterAsync("alice", "correct horse", CancellationToken.None);

        Outcome<UserRecord> again = await _registration.RegisterAsync("ALICE", "another password", CancellationToken.None);

        Assert.Equal(TesseraErrorCodes.UsernameTaken, again.Error?.Code);
    }

    [Fact]
    public async Task TakenNameCostsOneHashLikeANewOne()
    {
        await _registration.RegisterAsync("alice", "correct horse", CancellationToken.None);
        int before = _hasher.Hashes;

        await _registration.RegisterAsync("ALICE", "another password", CancellationToken.None);

        Assert.Equal(1, _hasher.Hashes - before);
    }

    [Fact]
    public void ValidationNamesEachBadField()
    {
        Dictionary<string, string[]> errors = UserRegistration.Validate("a", "short");

        Assert.Equal(["password", "username"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task InvalidRequestIsNotStored()
    {
        Outcome<UserRecord> result = await _registration.RegisterAsync("alice", "short", CancellationToken.None);

        Assert.Equal(TesseraErrorCodes.ValidationFailed, result.Error?.Code);
        Assert.Null(await _users.FindByNormalizedUsernameAsync("alice", CancellationToken.None));
    }
}
