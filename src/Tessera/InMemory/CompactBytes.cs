using System.Runtime.CompilerServices;

namespace Tessera.InMemory;

/// <summary>A SHA-256 secret hash stored inline in its session (no array object, no header).</summary>
[InlineArray(Length)]
internal struct Bytes32
{
    public const int Length = 32;

    private byte _first;
}

/// <summary>An IPv4 (first 4 bytes) or IPv6 address stored inline in its session.</summary>
[InlineArray(Length)]
internal struct Bytes16
{
    public const int Length = 16;

    private byte _first;
}
