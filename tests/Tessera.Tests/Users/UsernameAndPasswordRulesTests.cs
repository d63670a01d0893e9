using Tessera.Users;

namespace Tessera.Tests.Users;

public class UsernameAndPasswordRulesTests
{
    [Theory]
    [InlineData("  Alice  ", "alice")]
    [InlineData("BOB@example.org", "bob@example.org")]
    public void UsernameIsTrimmedAndCaseFolded(string typed, string normalized)
    {
        Assert.Null(UsernameRules.Problem(typed));
        Assert.Equal(normalized, UsernameRules.Normalize(typed));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    [InlineData("ab")]
    [InlineData("with space")]
    [InlineData("émile")]
    [InlineData("a\u0000b")]
    public void UnacceptableUsernamesAreRefused(string? username)
    {
        Assert.NotNull(UsernameRules.Problem(username));
    }

    [Fact]
    public void UsernameOfSixtyFiveCharactersIsRefused()
    {
        Assert.Null(UsernameRules.Problem(new string('a', 64)));
        Assert.NotNull(UsernameRules.Problem(new string('a', 65)));
    }

    [Fact]
    public void PasswordLengthIsEightToOneHundredTwentyEightCodePoints()
    {
        Assert.NotNull(PasswordRules.Problem("1234567"));
        Assert.Null(PasswordRules.Problem("12345678"));
        Assert.Null(PasswordRules.Problem(new string('x', 128)));
        Assert.NotNull(PasswordRules.Problem(new string('x', 129)));
    }

    [Fact]
    public void EachCodePointCountsAsOneCharacter()
    {
        // Eight emoji: sixteen UTF-16 units, eight characters as NIST SP 800-63B counts them.
        string eightEmoji = string.Concat(Enumerable.Repeat("\U0001F511", 8));
        Assert.Null(PasswordRules.Problem(eightEmoji));
        Assert.NotNull(PasswordRules.Problem(string.Concat(Enumerable.Repeat("\U0001F511", 7))));
        Assert.Null(PasswordRules.Problem(string.Concat(Enumerable.Repeat("\U0001F511", 128))));
    }

    [Fact]
    public void SpacesAndSymbolsAreAllowedInPasswords()
    {
        Assert.Null(PasswordRules.Problem("correct horse battery staple"));
        Assert.Null(PasswordRules.Problem("¡ñ€ßü 密码 ✓✓"));
    }

    [Fact]
    public void LoneSurrogateIsRefused()
    {
        Assert.NotNull(PasswordRules.Problem("abcdefgh\uD800"));
    }
}
