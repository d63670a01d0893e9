using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Tessera.AspNetCore.Tests.Authentication.Middleware;

/// <summary>
/// Counts the runs of one application's framework authentication service (its
/// <c>aspnetcore.authentication.authenticate.duration</c> measurements): a request the cheaper path
/// of <c>UseTesseraAuthentication()</c> took adds none.
/// </summary>
internal sealed class AuthenticateCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _count;

    public AuthenticateCounter(IServiceProvider services)
    {
        IMeterFactory meters = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == "aspnetcore.authentication.authenticate.duration" && ReferenceEquals(instrument.Meter.Scope, meters))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref _count));
        _listener.Start();
    }

    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}
