using Tessera.Modes.Tests.Modes;
using Tessera.Sessions;

namespace Tessera.Modes.Tests.Suites;

/// <summary>The theory data of the suites: modes, and modes × bindings (enums, so every case is its own test).</summary>
public static class ModeMatrix
{
    public static TheoryData<ModeKind> Modes() => [.. Enum.GetValues<ModeKind>()];

    /// <summary>The modes whose refresh token rotates on use (the session cookie has none).</summary>
    public static TheoryData<ModeKind> RotatingModes() => [.. Enum.GetValues<ModeKind>().Where(kind => CredentialMode.For(kind).RotatesOnRefresh)];

    public static TheoryData<ModeKind, SessionBinding> ModesAndBindings()
    {
        var data = new TheoryData<ModeKind, SessionBinding>();
        foreach (ModeKind mode in Enum.GetValues<ModeKind>())
        {
            foreach (SessionBinding binding in Enum.GetValues<SessionBinding>())
            {
                data.Add(mode, binding);
            }
        }

        return data;
    }
}
