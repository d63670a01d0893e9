using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace Tessera.Benchmarks;

/// <summary>
/// Interleaved timing, for a machine shared with other work. The methods of a benchmark class run
/// in turns, in short batches, for many rounds, and each method's fastest batch and median batch
/// are kept: every method sees the same load at the same moments, so the ratios between them hold
/// while the load changes, and the minimum stays close to the unloaded time. Not a replacement for
/// BenchmarkDotNet (no separate processes, no statistics beyond min and median).
/// <c>--probe [ClassName] [rounds]</c> prints it (default: HotPathBenchmarks, 200 rounds);
/// <c>--export-doc</c> adds it for HS256 validation to the generated results.
/// </summary>
public static class Probe
{
    public sealed record Result(string Method, double MinNs, double MedianNs, long AllocatedBytes);

    public static int Run(string[] args, TextWriter output)
    {
        string className = args.Length > 0 ? args[0] : nameof(HotPathBenchmarks);
        int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
        Type type = Verification.BenchmarkTypes().Single(t => t.Name == className);
        IReadOnlyList<Result> results = Measure(type, _ => true, rounds, batchMilliseconds: 0.2);
        double baseMin = results[0].MinNs;
        output.WriteLine($"{"Method",-22} {"min ns",10} {"median ns",10} {"min/first",10} {"alloc B",8}");
        foreach (Result r in results)
        {
            output.WriteLine($"{r.Method,-22} {r.MinNs,10:F1} {r.MedianNs,10:F1} {r.MinNs / baseMin,10:F3} {r.AllocatedBytes,8}");
        }

        return 0;
    }

    /// <summary>Runs the selected benchmark methods of <paramref name="type"/> interleaved; results in declaration order.</summary>
    public static IReadOnlyList<Result> Measure(Type type, Func<MethodInfo, bool> select, int rounds, double batchMilliseconds)
    {
        object instance = Activator.CreateInstance(type)!;
        try
        {
            foreach (MethodInfo setup in type.GetMethods().Where(m => m.IsDefined(typeof(GlobalSetupAttribute))))
            {
                setup.Invoke(instance, null);
            }

            MethodInfo[] methods = Verification.BenchmarkMethods(type).Where(select).OrderBy(m => m.MetadataToken).ToArray();
            Action[] calls = methods.Select(m => Bind(m, instance)).ToArray();

            // Size each method's batch to the batch time, after warming it up (tiered JIT included).
            int[] batch = new int[calls.Length];
            for (int i = 0; i < calls.Length; i++)
            {
                var warm = Stopwatch.StartNew();
                int n = 0;
                while (warm.ElapsedMilliseconds < 300)
                {
                    calls[i]();
                    n++;
                }

                batch[i] = Math.Max(1, (int)(n * batchMilliseconds / warm.Elapsed.TotalMilliseconds));
            }

            var samples = new double[calls.Length][];
            for (int i = 0; i < calls.Length; i++)
            {
                samples[i] = new double[rounds];
            }

            for (int r = 0; r < rounds; r++)
            {
                for (int i = 0; i < calls.Length; i++)
                {
                    Action call = calls[i];
                    int n = batch[i];
                    long start = Stopwatch.GetTimestamp();
                    for (int k = 0; k < n; k++)
                    {
                        call();
                    }

                    samples[i][r] = Stopwatch.GetElapsedTime(start).TotalNanoseconds / n;
                }
            }

            var results = new List<Result>();
            for (int i = 0; i < calls.Length; i++)
            {
                double[] sorted = samples[i].Order().ToArray();
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int k = 0; k < 100; k++)
                {
                    calls[i]();
                }

                long allocated = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
                results.Add(new Result(methods[i].Name, sorted[0], sorted[sorted.Length / 2], allocated));
            }

            return results;
        }
        finally
        {
            (instance as IDisposable)?.Dispose();
        }
    }

    /// <summary>A call of <paramref name="method"/> whose result is kept (so it is not optimised away) without boxing.</summary>
    private static Action Bind(MethodInfo method, object instance)
    {
        MethodInfo wrap = typeof(Probe).GetMethod(nameof(Wrap), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(method.ReturnType);
        Delegate func = method.CreateDelegate(typeof(Func<>).MakeGenericType(method.ReturnType), instance);
        return (Action)wrap.Invoke(null, [func])!;
    }

    private static Action Wrap<T>(Func<T> func) => () => Sink<T>.Value = func();

    private static class Sink<T>
    {
        public static T? Value;
    }
}
