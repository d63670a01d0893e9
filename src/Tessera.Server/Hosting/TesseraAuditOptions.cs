namespace Tessera.Server.Hosting;

/// <summary>The audit log's settings (section <c>Tessera:Audit</c>).</summary>
public sealed class TesseraAuditOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Tessera:Audit";

    /// <summary>
    /// How long an audit event is kept: every <see cref="TesseraServerOptions.SessionPurgeInterval"/>
    /// the events older than this are deleted. The default, 400 days, covers a yearly review with a
    /// month to spare.
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(400);
}
