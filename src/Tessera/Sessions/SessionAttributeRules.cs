namespace Tessera.Sessions;

/// <summary>Attribute keys are short and URL-safe, so they travel in paths unescaped.</summary>
public static class SessionAttributeRules
{
    public const int MaximumKeyLength = 64;

    public static string? KeyProblem(string? key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > MaximumKeyLength)
        {
            return $"An attribute key is 1 to {MaximumKeyLength} characters long.";
        }

        foreach (char c in key)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-' or ':'))
            {
                return "An attribute key may only contain ASCII letters, digits and . _ - :";
            }
        }

        return null;
    }
}
