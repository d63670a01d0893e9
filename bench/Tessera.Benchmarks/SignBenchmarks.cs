using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Tessera.Benchmarks.Contenders;

namespace Tessera.Benchmarks;

/// <summary>
/// Signing the access token, from claims already in each library's own form (built once).
/// One category per algorithm, Tessera the baseline of each.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class SignBenchmarks : IVerifiable, IDisposable
{
    private ContenderSet _set = null!;
    private TesseraContender _tesseraHs256 = null!, _tesseraRs256 = null!, _tesseraEs256 = null!, _tesseraEdDsa = null!;
    private MicrosoftContender _microsoftHs256 = null!, _microsoftRs256 = null!, _microsoftEs256 = null!;
    private JoseJwtContender _joseHs256 = null!, _joseRs256 = null!, _joseEs256 = null!;
    private JwtNetContender _jwtNetHs256 = null!, _jwtNetRs256 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _set = ContenderSet.Create();
        Checks.ThrowIfSignersWrong(_set);

        ContenderSet.AlgorithmSet hs = _set["HS256"], rs = _set["RS256"], es = _set["ES256"], ed = _set["EdDSA"];
        (_tesseraHs256, _tesseraRs256, _tesseraEs256, _tesseraEdDsa) = (hs.Tessera, rs.Tessera, es.Tessera, ed.Tessera);
        (_microsoftHs256, _microsoftRs256, _microsoftEs256) = (hs.Microsoft!, rs.Microsoft!, es.Microsoft!);
        (_joseHs256, _joseRs256, _joseEs256) = (hs.JoseJwt!, rs.JoseJwt!, es.JoseJwt!);
        (_jwtNetHs256, _jwtNetRs256) = (hs.JwtNet!, rs.JwtNet!);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _set?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("HS256")]
    public string Tessera_HS256() => _tesseraHs256.Sign();

    [Benchmark, BenchmarkCategory("HS256")]
    public string Microsoft_HS256() => _microsoftHs256.Sign();

    [Benchmark, BenchmarkCategory("HS256")]
    public string JoseJwt_HS256() => _joseHs256.Sign();

    [Benchmark, BenchmarkCategory("HS256")]
    public string JwtNet_HS256() => _jwtNetHs256.Sign();

    [Benchmark(Baseline = true), BenchmarkCategory("RS256")]
    public string Tessera_RS256() => _tesseraRs256.Sign();

    [Benchmark, BenchmarkCategory("RS256")]
    public string Microsoft_RS256() => _microsoftRs256.Sign();

    [Benchmark, BenchmarkCategory("RS256")]
    public string JoseJwt_RS256() => _joseRs256.Sign();

    [Benchmark, BenchmarkCategory("RS256")]
    public string JwtNet_RS256() => _jwtNetRs256.Sign();

    [Benchmark(Baseline = true), BenchmarkCategory("ES256")]
    public string Tessera_ES256() => _tesseraEs256.Sign();

    [Benchmark, BenchmarkCategory("ES256")]
    public string Microsoft_ES256() => _microsoftEs256.Sign();

    [Benchmark, BenchmarkCategory("ES256")]
    public string JoseJwt_ES256() => _joseEs256.Sign();

    [Benchmark(Baseline = true), BenchmarkCategory("EdDSA")]
    public string Tessera_EdDSA() => _tesseraEdDsa.Sign();

    public void CheckResult(string method, string? category, object? result)
    {
        if (result is not string token || category is null)
        {
            throw new InvalidOperationException($"{method} returned {result ?? "null"}, not a token");
        }

        ContenderSet.AlgorithmSet algorithm = _set[category];
        Contender signer = algorithm.Contenders.Single(c => method.StartsWith(c.Library + "_", StringComparison.Ordinal));
        var failures = new StringBuilder();
        Checks.CheckSignedToken(failures, algorithm, signer, token);
        if (failures.Length > 0)
        {
            throw new InvalidOperationException(failures.ToString());
        }
    }
}
