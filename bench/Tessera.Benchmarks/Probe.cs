using System.Diagnostics;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace Tessera.Benchmarks;

/// <summary>
/// The <c>--probe</c> mode: a quick, load-tolerant look at a benchmark class while optimising,
/// not a replacement for BenchmarkDotNet. Its methods are run interleaved in short batches, many
/// rounds, and the fastest batch and the median are reported per method: on a machine shared
/// with other work the minimum stays close to the unloaded time, and interleaving keeps the
/// ratios between methods fair when the load changes.
/// Usage: <c>--probe [ClassName] [rounds]</c> (default: HotPathBenchmarks, 200 rounds).
/// </summary>
public static class Probe
{
    public static int Run(string[] args, TextWriter output)
    {
        string className = args.Length > 0 ? args[0] : nameof(HotPathBenchmarks);
        int rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200;
        Type type = Verification.BenchmarkTypes().Single(t => t.Name == className);
        object instance = Activator.CreateInstance(type)!;
        foreach (MethodInfo setup in type.GetMethods().Where(m => m.IsDefined(typeof(GlobalSetupAttribute))))
        {
            setup.Invoke(instance, null);
        }

        MethodInfo[] methods = Verification.BenchmarkMethods(type).OrderBy(m => m.MetadataToken).ToArray();
        Action[] calls = methods.Select(m => Bind(m, instance)).ToArray();
        if (calls.Length == 0)
        {
            return 1;
        }

        // Size each method's batch to about 200 µs, after warming it up (tiered JIT included).
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

            batch[i] = Math.Max(1, (int)(n * 0.2 / warm.Elapsed.TotalMilliseconds));
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

        double baseMin = samples[0].Min();
        output.WriteLine($"{"Method",-22} {"min ns",10} {"median ns",10} {"min/first",10} {"alloc B",8}");
        for (int i = 0; i < calls.Length; i++)
        {
            double[] sorted = samples[i].Order().ToArray();
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int k = 0; k < 100; k++)
            {
                calls[i]();
            }

            long allocated = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
            output.WriteLine($"{methods[i].Name,-22} {sorted[0],10:F1} {sorted[sorted.Length / 2],10:F1} {sorted[0] / baseMin,10:F3} {allocated,8}");
        }

        (instance as IDisposable)?.Dispose();
        return 0;
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
