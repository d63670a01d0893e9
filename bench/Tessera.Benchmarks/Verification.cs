using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace Tessera.Benchmarks;

/// <summary>
/// The <c>--verify</c> mode: for every benchmark class, runs its global setup (which checks every
/// contender accepts the common token and refuses bad ones), then every benchmark method once,
/// and checks each result. No timing. The test project calls this so the harness cannot rot.
/// </summary>
public static class Verification
{
    public sealed record Outcome(string Benchmark, string? Failure)
    {
        public bool Passed => Failure is null;
    }

    public static IEnumerable<Type> BenchmarkTypes() =>
        typeof(Verification).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsPublic: true } && BenchmarkMethods(t).Any())
            .OrderBy(t => t.Name, StringComparer.Ordinal);

    public static IEnumerable<MethodInfo> BenchmarkMethods(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null);

    /// <summary>Runs every benchmark of every class once; one outcome per method (or per class whose setup failed).</summary>
    public static IReadOnlyList<Outcome> Run(TextWriter? log = null)
    {
        var outcomes = new List<Outcome>();
        foreach (Type type in BenchmarkTypes())
        {
            outcomes.AddRange(Run(type, log));
        }

        return outcomes;
    }

    public static IReadOnlyList<Outcome> Run(Type type, TextWriter? log = null)
    {
        var outcomes = new List<Outcome>();
        object instance = Activator.CreateInstance(type)!;
        try
        {
            try
            {
                Invoke(instance, type, typeof(GlobalSetupAttribute));
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                outcomes.Add(Report(log, new Outcome($"{type.Name} [GlobalSetup]", Describe(exception))));
                return outcomes;
            }

            foreach (MethodInfo method in BenchmarkMethods(type).OrderBy(m => m.MetadataToken))
            {
                string name = $"{type.Name}.{method.Name}";
                string? category = method.GetCustomAttribute<BenchmarkCategoryAttribute>()?.Categories.FirstOrDefault();
                try
                {
                    object? result = method.Invoke(instance, null);
                    (instance as IVerifiable)?.CheckResult(method.Name, category, result);
                    outcomes.Add(Report(log, new Outcome(name, null)));
                }
                catch (Exception exception) when (exception is not OutOfMemoryException)
                {
                    outcomes.Add(Report(log, new Outcome(name, Describe(exception))));
                }
            }
        }
        finally
        {
            Invoke(instance, type, typeof(GlobalCleanupAttribute));
        }

        return outcomes;
    }

    private static void Invoke(object instance, Type type, Type attribute)
    {
        foreach (MethodInfo method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => m.IsDefined(attribute)))
        {
            method.Invoke(instance, null);
        }
    }

    private static string Describe(Exception exception)
    {
        Exception inner = exception is TargetInvocationException { InnerException: { } real } ? real : exception;
        return $"{inner.GetType().Name}: {inner.Message}";
    }

    private static Outcome Report(TextWriter? log, Outcome outcome)
    {
        log?.WriteLine(outcome.Passed ? $"ok    {outcome.Benchmark}" : $"FAIL  {outcome.Benchmark}: {outcome.Failure}");
        return outcome;
    }
}
