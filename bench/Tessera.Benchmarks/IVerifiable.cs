namespace Tessera.Benchmarks;

/// <summary>A benchmark class whose methods' results the <c>--verify</c> mode can check.</summary>
public interface IVerifiable
{
    /// <summary>Throws when <paramref name="result"/> is not what benchmark <paramref name="method"/> (in <paramref name="category"/>) must return.</summary>
    void CheckResult(string method, string? category, object? result);
}
