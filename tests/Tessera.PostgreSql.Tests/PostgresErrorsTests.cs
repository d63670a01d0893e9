using Npgsql;

namespace Tessera.PostgreSql.Tests;

/// <summary>
/// Which failures empty the connection pool (<see cref="PostgresErrors.IsConnectionLost"/>): those
/// that say the connections are gone, not those where the server answered on a live one or
/// refused a new one for its connection limit.
/// </summary>
public sealed class PostgresErrorsTests
{
    private static PostgresException Answer(string sqlState) => new("refused", "FATAL", "FATAL", sqlState);

    [Theory]
    [InlineData("08006", true)] // connection failure
    [InlineData("57P01", true)] // admin shutdown
    [InlineData("53300", false)] // too many connections: the server answered
    [InlineData("23505", false)] // a unique violation says nothing about the connection
    public void AServerAnswerEmptiesThePoolOnlyForAConnectionOrShutdownState(string sqlState, bool lost) =>
        Assert.Equal(lost, PostgresErrors.IsConnectionLost(Answer(sqlState)));

    [Fact]
    public void AWaitAtTheConnectionLimitThatRanOutKeepsThePool() =>
        Assert.False(PostgresErrors.IsConnectionLost(new TimeoutException("no connection within the connect timeout", Answer(PostgresErrorCodes.TooManyConnections))));

    [Fact]
    public void ATimeoutOrBrokenSocketWithoutAnAnswerEmptiesThePool()
    {
        Assert.True(PostgresErrors.IsConnectionLost(new TimeoutException("no answer")));
        Assert.True(PostgresErrors.IsConnectionLost(new NpgsqlException("Exception while reading from stream", new IOException("reset"))));
    }
}
