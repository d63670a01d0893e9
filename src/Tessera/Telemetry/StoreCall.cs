using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Tessera.Telemetry;

/// <summary>
/// Measures one store call: a <c>tessera.store.duration</c> measurement (tags <c>store</c>,
/// <c>operation</c>, and <c>error.type</c> when it threw) and a client span named after the
/// operation (<c>db.system.name</c>, <c>db.operation.name</c>). Started by the stores' shared plumbing
/// (the SQL stores' <c>RunAsync</c>, Redis's <c>RedisCalls</c>), not by a decorator per interface,
/// so the optional capability interfaces callers find with <c>as</c> stay visible. While nobody
/// listens it is a value with two null fields: no clock read, no allocation.
/// No statement text, parameter or key is recorded: they may hold a secret's hash or a username.
/// </summary>
public readonly struct StoreCall
{
    // "{file}.{member}" per call site, built once: the file name is the store class's (one class a file).
    private static readonly ConcurrentDictionary<(string File, string Member), string> Operations = new();

    private readonly string? _store;
    private readonly string? _operation;
    private readonly long _started;
    private readonly Activity? _activity;

    private StoreCall(string store, string operation, long started, Activity? activity)
    {
        _store = store;
        _operation = operation;
        _started = started;
        _activity = activity;
    }

    /// <summary>
    /// Starts measuring a call to <paramref name="store"/> (<c>sqlite</c>, <c>postgresql</c>,
    /// <c>redis</c>) made by <paramref name="caller"/> in the file <paramref name="callerFile"/>
    /// (both filled in by the compiler at the store method that called the plumbing).
    /// </summary>
    public static StoreCall Start(string store, [CallerMemberName] string caller = "", [CallerFilePath] string callerFile = "")
    {
        bool measured = TesseraMetrics.StoreDurationEnabled;
        bool traced = TesseraTelemetry.ActivitySource.HasListeners();
        if (!measured && !traced)
        {
            return default;
        }

        string operation = OperationOf(caller, callerFile);
        Activity? activity = traced ? TesseraTelemetry.ActivitySource.StartActivity(operation, ActivityKind.Client) : null;
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("db.system.name", store);
            activity.SetTag("db.operation.name", operation);
        }

        return new StoreCall(store, operation, measured ? Stopwatch.GetTimestamp() : 0, activity);
    }

    /// <summary>
    /// Ends the measurement and the span, once per call: with the <paramref name="exception"/> the
    /// call threw (the span's status is error, the measurement gets an <c>error.type</c>), or null.
    /// </summary>
    public void End(Exception? exception = null)
    {
        if (_store is null)
        {
            return;
        }

        // The exception's type only: a store exception's message may quote a statement or a key.
        string? errorType = exception?.GetType().Name;
        if (_activity is not null && errorType is not null)
        {
            _activity.SetStatus(ActivityStatusCode.Error, errorType);
            _activity.SetTag("error.type", errorType);
        }

        if (_started != 0)
        {
            TesseraMetrics.RecordStoreDuration(Stopwatch.GetElapsedTime(_started).TotalSeconds, _store, _operation!, errorType);
        }

        _activity?.Stop();
    }

    private static string OperationOf(string caller, string callerFile) =>
        Operations.GetOrAdd((callerFile, caller), static key =>
        {
            // Path.GetFileNameWithoutExtension would not split a Windows path on Linux; split on both.
            int slash = Math.Max(key.File.LastIndexOf('/'), key.File.LastIndexOf('\\'));
            string file = key.File[(slash + 1)..];
            int dot = file.IndexOf('.', StringComparison.Ordinal);
            string type = dot < 0 ? file : file[..dot];
            string member = key.Member.EndsWith("Async", StringComparison.Ordinal) ? key.Member[..^5] : key.Member;
            return type.Length == 0 ? member : type + "." + member;
        });
}
