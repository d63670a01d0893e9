using Tessera.Passwords;

namespace Tessera.Tests.Passwords;

public class Argon2idPasswordHasherTests
{
    // Both strings were produced by the reference implementation (the argon2 command-line tool of
    // the P-H-C/phc-winner-argon2 project), so they pin the encoding and the parameters' meaning.
    private const string ReferenceOwaspHash = "$argon2id$v=19$m=19456,t=2,p=1$dGVzc2VyYS1rYXQtc2FsdA$o6gjF1QQJU7xEMIv/+iN1CH7IIbry22DCeZh2WL+eic";
    private const string ReferenceOlderHash = "$argon2id$v=19$m=8192,t=1,p=1$b2xkZXItcGFyYW1ldGVycw$xcn/urPDYsoDbG9HSm9YY8fFNouJB9pgXOV7hkbwTFY";

    private static readonly Argon2idPasswordHasher Owasp = new(new Argon2idParameters());

    [Fact]
    public void ReferenceImplementationHashVerifies()
    {
        Assert.Equal(PasswordVerification.Succeeded, Owasp.Verify("correct horse battery staple", ReferenceOwaspHash));
    }

    [Fact]
    public void WrongPasswordFailsAgainstTheReferenceHash()
    {
        Assert.Equal(PasswordVerification.Failed, Owasp.Verify("correct horse battery stapler", ReferenceOwaspHash));
    }

    [Fact]
    public void HashWithOlderParametersVerifiesAndAsksForARehash()
    {
        Assert.Equal(PasswordVerification.SucceededRehashNeeded, Owasp.Verify("hunter2hunter2", ReferenceOlderHash));
    }

    [Fact]
    public void DefaultParametersAreOwaspsArgon2idMinimum()
    {
        string hash = Owasp.Hash("a password");

        Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", hash, StringComparison.Ordinal);
        PhcString parsed = PhcString.TryParse(hash)!;
        Assert.Equal(16, parsed.Salt.Length);
        Assert.Equal(32, parsed.Hash.Length);
    }

    [Fact]
    public void SamePasswordHashesDifferentlyEachTime()
    {
        var cheap = new Argon2idPasswordHasher(new Argon2idParameters { MemoryKiB = 1024, Iterations = 1 });

        string first = cheap.Hash("same password");
        string second = cheap.Hash("same password");

        Assert.NotEqual(first, second);
        Assert.Equal(PasswordVerification.Succeeded, cheap.Verify("same password", first));
        Assert.Equal(PasswordVerification.Succeeded, cheap.Verify("same password", second));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a phc string")]
    [InlineData("$argon2i$v=19$m=19456,t=2,p=1$dGVzc2VyYS1rYXQtc2FsdA$o6gjF1QQJU7xEMIv/+iN1CH7IIbry22DCeZh2WL+eic")]
    [InlineData("$argon2id$v=16$m=19456,t=2,p=1$dGVzc2VyYS1rYXQtc2FsdA$o6gjF1QQJU7xEMIv/+iN1CH7IIbry22DCeZh2WL+eic")]
    [InlineData("$argon2id$v=19$m=19456,t=2,p=4$dGVzc2VyYS1rYXQtc2FsdA$o6gjF1QQJU7xEMIv/+iN1CH7IIbry22DCeZh2WL+eic")]
    [InlineData("$argon2id$v=19$m=99999999,t=2,p=1$dGVzc2VyYS1rYXQtc2FsdA$o6gjF1QQJU7xEMIv/+iN1CH7IIbry22DCeZh2WL+eic")]
    [InlineData("$argon2id$v=19$m=19456,t=2,p=1$dGVzc2VyYS1rYXQtc2FsdA$o6gjF1QQJU7xEMIv/+iN1CH7IIbry22DCeZh2WL+eic=")]
    public void UnreadableOrUnsupportedHashFails(string stored)
    {
        Assert.Equal(PasswordVerification.Failed, Owasp.Verify("correct horse battery staple", stored));
    }

    [Fact]
    public void ParametersBelowTheFloorAreRefused()
    {
        Assert.Throws<ArgumentException>(() => new Argon2idPasswordHasher(new Argon2idParameters { MemoryKiB = 64 }));
        Assert.Throws<ArgumentException>(() => new Argon2idPasswordHasher(new Argon2idParameters { Parallelism = 2 }));
    }
}
