namespace Tessera.Fuzz;

/// <summary>
/// A property a target asserts did not hold. Uncaught, it ends the run the way any unexpected
/// exception does, so afl-fuzz records the input as a crash.
/// </summary>
public sealed class FuzzPropertyException : Exception
{
    public FuzzPropertyException()
    {
    }

    public FuzzPropertyException(string message)
        : base(message)
    {
    }

    public FuzzPropertyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Throws when <paramref name="condition"/> is false.</summary>
    public static void Check(bool condition, string property)
    {
        if (!condition)
        {
            throw new FuzzPropertyException(property);
        }
    }
}
