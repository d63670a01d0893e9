namespace Tessera.Server.Hosting;

/// <summary>Start-up warnings about the issuer and the hosts the server answers for.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Tessera:Tokens:Issuer is not set: in Development the issuer (in tokens and the discovery document) is taken from each request's Host header. Set it before deploying; outside Development the server refuses to start without it.")]
    public static partial void IssuerFromRequests(ILogger logger);
}
