using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Tessera.AspNetCore.Tests;

/// <summary>
/// Counts the measurements one application records on one of the framework's instruments (counted
/// per application: its meter factory), e.g. <c>aspnetcore.authorization.attempts</c> (one per policy
/// evaluation) or <c>aspnetcore.authentication.authenticate.duration</c> (one per run of the
/// authentication service): the requests Tessera's fast paths take add none.
/// </summary>
internal sealed class MeasurementCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _count;

    public MeasurementCounter(IServiceProvider services, string instrumentName)
    {
        IMeterFactory meters = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == instrumentName && ReferenceEquals(instrument.Meter.Scope, meters))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, _, _, _) => Interlocked.Increment(ref _count));
        _listener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref _count));
        _listener.Start();
    }

    /// <summary>The instrument of the framework's authentication service: one measurement per authentication it runs.</summary>
    public const string Authentications = "aspnetcore.authentication.authenticate.duration";

    /// <summary>The instrument of the framework's authorization: one measurement per policy evaluation.</summary>
    public const string AuthorizationAttempts = "aspnetcore.authorization.attempts";

    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}
