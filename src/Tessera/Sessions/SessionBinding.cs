namespace Tessera.Sessions;

/// <summary>What a session is bound to: a request whose value differs breaks the binding.</summary>
public enum SessionBinding
{
    None,
    Ip,
    UserAgent,
    Both,
}

/// <summary>What happens when a request breaks the binding.</summary>
public enum SessionBindingAction
{
    /// <summary>Revoke the session and refuse the request.</summary>
    Revoke,

    /// <summary>Let the request through but mark the session as flagged (visible in the session list).</summary>
    Flag,
}
