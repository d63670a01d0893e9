using Tessera.Passwords;
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
        Assert.NotNull(PasswordRules.Problem("kq8#vT2"));
        Assert.Null(PasswordRules.Problem("kq8#vT2m"));
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

    [Theory]
    [InlineData("password")]
    [InlineData("12345678")]
    [InlineData("PASSWORD")]
    [InlineData("Password1")]
    [InlineData("iloveyou")]
    [InlineData("qwertyuiop")]
    [InlineData("trustno1")]
    public void CommonPasswordsAreRefusedWhateverTheirCase(string password)
    {
        Assert.Equal(PasswordRules.CommonPasswordProblem, PasswordRules.Problem(password));
    }

    [Fact]
    public void TheShippedListIsLoadedWhole()
    {
        // Passwords/CommonPasswords/README.md: the 17,950 entries of 8 characters or more.
        Assert.Equal(17_950, CommonPasswords.Count);
        Assert.True(CommonPasswords.Contains("baseball"));
        Assert.False(CommonPasswords.Contains("correct horse battery staple"));
    }

    [Theory]
    [InlineData("alice-liddell", "alice-liddell")]
    [InlineData("ALICE-LIDDELL", "alice-liddell")]
    [InlineData("Alice2024!", "alice")]
    [InlineData("alicepassword", "alice")]
    [InlineData("bob.smith1!", "bob.smith@example.org")]
    [InlineData("tessera123", null)]
    [InlineData("MyTessera!", "carol")]
    public void PasswordsBuiltOnTheUsernameOrTheServiceNameAreRefused(string password, string? username)
    {
        Assert.Equal(PasswordRules.ContextWordProblem, PasswordRules.Problem(password, username));
    }

    [Theory]
    [InlineData("alice walks eight dogs", "alice")]
    [InlineData("correct horse battery", "al")]
    [InlineData("kq8#vT2m-alice", "bob")]
    public void APassphraseThatMerelyMentionsAContextWordPasses(string password, string username)
    {
        Assert.Null(PasswordRules.Problem(password, username));
    }
}
