namespace Tessera.AspNetCore.Admin;

/// <summary>Endpoint metadata: the audit name of an admin API action (<c>client.create</c>, <c>user.roles.set</c>…).</summary>
public sealed record AdminAction(string Name)
{
    /// <summary>The <see cref="Microsoft.AspNetCore.Http.HttpContext.Items"/> key where an endpoint names its target when the route does not (a client created from the body).</summary>
    public const string TargetItem = "Tessera.Admin.Target";
}
