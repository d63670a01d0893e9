namespace Tessera.Sessions;

/// <summary>What a session is bound to: a request whose value differs breaks the binding.</summary>
public enum SessionBinding
{
    /// <summary>Not bound: any address and user agent may use the session.</summary>
    None,
    /// <summary>Bound to the client's IP address at sign-in.</summary>
    Ip,
    /// <summary>Bound to the client's User-Agent at sign-in.</summary>
    UserAgent,
    /// <summary>Bound to both the IP address and the User-Agent.</summary>
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
