using Tessera.Fuzz.Targets;

namespace Tessera.Fuzz;

/// <summary>
/// Every fuzz target by name: the name is the argument of the fuzz program, the folder of its seed
/// corpus (fuzz/corpus/NAME) and of its regressions (fuzz/regressions/NAME).
/// </summary>
public static class FuzzTargets
{
    private static readonly Dictionary<string, FuzzTarget> ByName = new(StringComparer.Ordinal)
    {
        ["jws"] = JwsTarget.Run,
        ["jwt-signed"] = SignedJwtTarget.Run,
        ["jwk"] = JwkTarget.Run,
        ["credentials"] = CredentialTarget.Run,
        ["json-bodies"] = JsonBodyTarget.Run,
        ["oauth-form"] = OAuthFormTarget.Run,
        ["dpop"] = DpopProofTarget.Run,
    };

    public static IReadOnlyCollection<string> Names => ByName.Keys;

    /// <summary>Runs target <paramref name="name"/> on one input; throws what the target does not expect.</summary>
    public static void Run(string name, ReadOnlySpan<byte> input)
    {
        if (!ByName.TryGetValue(name, out FuzzTarget? target))
        {
            throw new ArgumentException($"no fuzz target '{name}': {string.Join(", ", ByName.Keys)}", nameof(name));
        }

        target(input);
    }
}

/// <summary>One fuzz target: returns on any input it handles as documented, throws otherwise.</summary>
public delegate void FuzzTarget(ReadOnlySpan<byte> input);
