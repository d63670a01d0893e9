namespace Tessera.Benchmarks.Contenders;

/// <summary>
/// One library set up for one algorithm: signs the <see cref="AccessToken"/> and validates a token
/// with issuer, audience and lifetime checked. Everything is built once, in the constructor.
/// </summary>
public abstract class Contender
{
    protected Contender(string library, BenchKey key)
    {
        Library = library;
        Key = key;
    }

    /// <summary>The library's short name, as the benchmark methods are named.</summary>
    public string Library { get; }

    public BenchKey Key { get; }

    public string Algorithm => Key.Algorithm;

    /// <summary>Signs the benchmark's access token.</summary>
    public abstract string Sign();

    /// <summary>
    /// Validates <paramref name="token"/> and returns its <c>sub</c>; null (or an exception, for the
    /// libraries that report failure by throwing) when the token is refused.
    /// </summary>
    public abstract string? Validate(string token);

    public override string ToString() => $"{Library} {Algorithm}";
}
