using Tessera.Passwords;

namespace Tessera.Tests.Passwords;

public class PhcStringTests
{
    [Fact]
    public void FormattedStringParsesBackToTheSameValues()
    {
        var phc = new PhcString("argon2id", 19, 19456, 2, 1, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6, 7]);

        PhcString parsed = PhcString.TryParse(phc.Format())!;

        Assert.Equal(("argon2id", 19, 19456, 2, 1), (parsed.Algorithm, parsed.Version, parsed.MemoryKiB, parsed.Iterations, parsed.Parallelism));
        Assert.Equal(phc.Salt, parsed.Salt);
        Assert.Equal(phc.Hash, parsed.Hash);
        Assert.All(phc.Format().Split('$')[^2..], encoded => Assert.DoesNotContain('=', encoded));
    }

    [Theory]
    [InlineData("$argon2id$v=19$m=019456,t=2,p=1$c2FsdA$aGFzaA")]
    [InlineData("$argon2id$v=19$m=-1,t=2,p=1$c2FsdA$aGFzaA")]
    [InlineData("$argon2id$v=19$t=2,m=19456,p=1$c2FsdA$aGFzaA")]
    [InlineData("$argon2id$v=19$m=19456,t=2$c2FsdA$aGFzaA")]
    [InlineData("argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA")]
    [InlineData("$argon2id$v=19$m=19456,t=2,p=1$c2FsdB$aGFzaA")]
    [InlineData("$argon2id$v=19$m=19456,t=2,p=1$$aGFzaA")]
    public void MalformedStringsAreRefused(string text)
    {
        Assert.Null(PhcString.TryParse(text));
    }
}
