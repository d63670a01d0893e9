using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Tessera.Benchmarks.Contenders;

namespace Tessera.Benchmarks;

/// <summary>
/// Validating the access token: signature, then iss, aud and exp. One category per algorithm,
/// Tessera the baseline of each; the HS256 floor is the least work any validator must do.
/// Every contender validates the same token (signed by Tessera with the algorithm's key).
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class ValidateBenchmarks : IVerifiable, IDisposable
{
    private ContenderSet _set = null!;
    private string _hs256 = null!, _rs256 = null!, _es256 = null!, _eddsa = null!;
    private TesseraContender _tesseraHs256 = null!, _tesseraRs256 = null!, _tesseraEs256 = null!, _tesseraEdDsa = null!;
    private MicrosoftContender _microsoftHs256 = null!, _microsoftRs256 = null!, _microsoftEs256 = null!;
    private JoseJwtContender _joseHs256 = null!, _joseRs256 = null!, _joseEs256 = null!;
    private JwtNetContender _jwtNetHs256 = null!, _jwtNetRs256 = null!;
    private Hs256Floor _floor = null!;

    [GlobalSetup]
    public void Setup()
    {
        _set = ContenderSet.Create();
        Checks.ThrowIfValidatorsWrong(_set);

        ContenderSet.AlgorithmSet hs = _set["HS256"], rs = _set["RS256"], es = _set["ES256"], ed = _set["EdDSA"];
        (_hs256, _rs256, _es256, _eddsa) = (hs.ValidToken, rs.ValidToken, es.ValidToken, ed.ValidToken);
        (_tesseraHs256, _tesseraRs256, _tesseraEs256, _tesseraEdDsa) = (hs.Tessera, rs.Tessera, es.Tessera, ed.Tessera);
        (_microsoftHs256, _microsoftRs256, _microsoftEs256) = (hs.Microsoft!, rs.Microsoft!, es.Microsoft!);
        (_joseHs256, _joseRs256, _joseEs256) = (hs.JoseJwt!, rs.JoseJwt!, es.JoseJwt!);
        (_jwtNetHs256, _jwtNetRs256) = (hs.JwtNet!, rs.JwtNet!);
        _floor = _set.Floor;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _set?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("HS256")]
    public string? Tessera_HS256() => _tesseraHs256.Validate(_hs256);

    [Benchmark, BenchmarkCategory("HS256")]
    public string? Microsoft_HS256() => _microsoftHs256.Validate(_hs256);

    [Benchmark, BenchmarkCategory("HS256")]
    public string? JoseJwt_HS256() => _joseHs256.Validate(_hs256);

    [Benchmark, BenchmarkCategory("HS256")]
    public string? JwtNet_HS256() => _jwtNetHs256.Validate(_hs256);

    [Benchmark, BenchmarkCategory("HS256")]
    public long Floor_HS256() => _floor.Validate(_hs256);

    [Benchmark(Baseline = true), BenchmarkCategory("RS256")]
    public string? Tessera_RS256() => _tesseraRs256.Validate(_rs256);

    [Benchmark, BenchmarkCategory("RS256")]
    public string? Microsoft_RS256() => _microsoftRs256.Validate(_rs256);

    [Benchmark, BenchmarkCategory("RS256")]
    public string? JoseJwt_RS256() => _joseRs256.Validate(_rs256);

    [Benchmark, BenchmarkCategory("RS256")]
    public string? JwtNet_RS256() => _jwtNetRs256.Validate(_rs256);

    [Benchmark(Baseline = true), BenchmarkCategory("ES256")]
    public string? Tessera_ES256() => _tesseraEs256.Validate(_es256);

    [Benchmark, BenchmarkCategory("ES256")]
    public string? Microsoft_ES256() => _microsoftEs256.Validate(_es256);

    [Benchmark, BenchmarkCategory("ES256")]
    public string? JoseJwt_ES256() => _joseEs256.Validate(_es256);

    [Benchmark(Baseline = true), BenchmarkCategory("EdDSA")]
    public string? Tessera_EdDSA() => _tesseraEdDsa.Validate(_eddsa);

    public void CheckResult(string method, string? category, object? result)
    {
        object expected = method.StartsWith("Floor", StringComparison.Ordinal) ? _set.Token.ExpiresAtSeconds : AccessToken.Subject;
        if (!Equals(result, expected))
        {
            throw new InvalidOperationException($"{method} returned '{result}', expected '{expected}'");
        }
    }
}
