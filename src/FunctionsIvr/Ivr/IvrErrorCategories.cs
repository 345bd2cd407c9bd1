namespace FunctionsIvr.Ivr;

/// <summary>The failure categories the platform names for its Error object; ErrorNo values map to these by configuration.</summary>
public static class IvrErrorCategories
{
    /// <summary>No response within the panel's max wait.</summary>
    public const string AppTimeout = "AppTimeout";

    /// <summary>TLS handshake or certificate failure reaching our URL.</summary>
    public const string Ssl = "Ssl";

    /// <summary>Our response was not valid JSON or not a valid Action.</summary>
    public const string InvalidResponse = "InvalidResponse";

    /// <summary>A Call… action targeted something without a (registered) SIP account.</summary>
    public const string NoSipAccount = "NoSipAccount";

    /// <summary>An ErrorNo with no configured category.</summary>
    public const string Unknown = "Unknown";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        AppTimeout, Ssl, InvalidResponse, NoSipAccount, Unknown,
    };
}
