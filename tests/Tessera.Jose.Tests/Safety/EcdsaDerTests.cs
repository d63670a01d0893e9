using System.Formats.Asn1;
using System.Numerics;
using Tessera.Jose.Keys;

namespace Tessera.Jose.Tests.Safety;

/// <summary>
/// <see cref="EcdsaDer"/> writes exactly the DER that .NET's own P1363 conversion writes (an
/// <see cref="AsnWriter"/> with two unsigned INTEGERs, RFC 3279 §2.2.3), for every coordinate size
/// and the edge values: zero, leading zero bytes, the top bit set, all ones.
/// </summary>
public class EcdsaDerTests
{
    public static TheoryData<int> Sizes => [32, 48, 66];

    [Theory]
    [MemberData(nameof(Sizes))]
    public void EdgeValuesAreEncodedAsTheAsnWriterEncodesThem(int size)
    {
        byte[][] values =
        [
            new byte[size],
            Filled(size, 0xFF),
            Filled(size, 0x7F),
            Filled(size, 0x80),
            One(size, index: size - 1, value: 1),
            One(size, index: 1, value: 0x80),
            One(size, index: 0, value: 1),
        ];
        foreach (byte[] r in values)
        {
            foreach (byte[] s in values)
            {
                AssertSame(r, s);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void RandomValuesAreEncodedAsTheAsnWriterEncodesThem(int size)
    {
        var random = new Random(size);
        for (int i = 0; i < 500; i++)
        {
            byte[] r = new byte[size];
            byte[] s = new byte[size];
            random.NextBytes(r);
            random.NextBytes(s);

            // Leading zero bytes in some of them (a short r or s is common: about 1 in 256).
            r.AsSpan(0, random.Next(0, 3)).Clear();
            AssertSame(r, s);
        }
    }

    private static void AssertSame(byte[] r, byte[] s)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(new BigInteger(r, isUnsigned: true, isBigEndian: true));
            writer.WriteInteger(new BigInteger(s, isUnsigned: true, isBigEndian: true));
        }

        Span<byte> written = stackalloc byte[EcdsaDer.MaxLength];
        int length = EcdsaDer.Write(r, s, written);
        Assert.Equal(Convert.ToHexString(writer.Encode()), Convert.ToHexString(written[..length]));
    }

    private static byte[] Filled(int size, byte value)
    {
        byte[] bytes = new byte[size];
        bytes.AsSpan().Fill(value);
        return bytes;
    }

    private static byte[] One(int size, int index, byte value)
    {
        byte[] bytes = new byte[size];
        bytes[index] = value;
        return bytes;
    }
}
