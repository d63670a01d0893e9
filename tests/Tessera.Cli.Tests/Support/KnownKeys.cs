namespace Tessera.Cli.Tests.Support;

/// <summary>Published keys and tokens, so that expected values come from the RFCs, not from the code under test.</summary>
public static class KnownKeys
{
    /// <summary>RFC 7638 §3.1: the example RSA public key.</summary>
    public const string Rfc7638RsaKey = """
        {
          "kty": "RSA",
          "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
          "e": "AQAB",
          "alg": "RS256",
          "kid": "2011-04-29"
        }
        """;

    /// <summary>RFC 7638 §3.1: its thumbprint.</summary>
    public const string Rfc7638Thumbprint = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

    /// <summary>RFC 7515 Appendix A.1: the HMAC key (no 'alg', no 'kid').</summary>
    public const string Rfc7515HmacKey = """{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}""";

    /// <summary>RFC 7515 Appendix A.1: the HS256 token; its header is {"typ":"JWT",\r\n "alg":"HS256"}.</summary>
    public const string Rfc7515Token =
        "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
        + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
        + ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    /// <summary>The RFC 7515 A.1 token's 'exp' (2011-03-22T18:43:00Z).</summary>
    public const long Rfc7515TokenExp = 1300819380;

    /// <summary>A time at which the RFC 7515 A.1 token is valid.</summary>
    public const string BeforeRfc7515TokenExp = "1300819000";

    /// <summary>Another 64-byte HMAC secret, unrelated to the RFC's.</summary>
    public const string OtherHmacKey = """{"kty":"oct","k":"YW5vdGhlci1zZWNyZXQtYW5vdGhlci1zZWNyZXQtYW5vdGhlci1zZWNyZXQtYW5vdGhlci1zZWNyZXQtMTIzNA"}""";
}
