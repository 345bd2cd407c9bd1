namespace FunctionsIvr.Ivr;

/// <summary>
/// The IVR API settings (section <c>Ivr</c>, env <c>Ivr__*</c>). Checked at startup by <see cref="IvrOptionsValidator"/>.
/// </summary>
public sealed class IvrOptions
{
    public const string SectionName = "Ivr";

    /// <summary>The verification value the panel sends in the request's <c>Hash</c>; compared verbatim.</summary>
    public string? Hash { get; set; }

    /// <summary>Key that signs the Session we hand to the platform: base64 (32 random bytes recommended) or plain text.</summary>
    public string? SessionKey { get; set; }

    /// <summary>The key used before the last rotation; Sessions it signed are still accepted.</summary>
    public string? PreviousSessionKey { get; set; }

    /// <summary>Larger callback bodies are refused with 413 before they are buffered.</summary>
    public int MaxRequestBodyBytes { get; set; } = 65_536;

    /// <summary>Upper bound for the encoded Session; the platform advises keeping it small and publishes no limit.</summary>
    public int SessionMaxBytes { get; set; } = 1024;

    /// <summary>
    /// Parameter name of each Say* action. The platform does not publish them, so they are configuration
    /// (<c>Ivr:SayParameterNames:SayNumber</c>).
    /// </summary>
    public Dictionary<string, string> SayParameterNames { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        [IvrActionTypes.SayNumber] = "Number",
        [IvrActionTypes.SayDigits] = "Digits",
        [IvrActionTypes.SayDate] = "Date",
        [IvrActionTypes.SayTime] = "Time",
    };

    /// <summary>Time we allow ourselves per callback; keep it well under the panel's max wait.</summary>
    public int CallbackBudgetMs { get; set; } = 1500;

    /// <summary><see cref="IvrAnswerMode.App"/> when the panel's auto-answer is 0 and the app must send Answer.</summary>
    public IvrAnswerMode AnswerMode { get; set; } = IvrAnswerMode.Auto;

    /// <summary>
    /// The platform's ErrorNo values (not published) mapped to an <see cref="IvrErrorCategories"/> name,
    /// e.g. <c>Ivr:ErrorCategories:4 = NoSipAccount</c>.
    /// </summary>
    public Dictionary<string, string> ErrorCategories { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The configured parameter name of a Say* action type.</summary>
    public string SayParameterName(string sayType) =>
        SayParameterNames.TryGetValue(sayType, out var name) && !string.IsNullOrWhiteSpace(name)
            ? name
            : throw new ArgumentException($"No parameter name is configured for '{sayType}' (Ivr:SayParameterNames:{sayType}).", nameof(sayType));

    /// <summary>A Say* action with its configured parameter name.</summary>
    public IvrAction Say(string sayType, string value) => IvrAction.Say(sayType, SayParameterName(sayType), value);

    /// <summary>The category of a platform Error, <see cref="IvrErrorCategories.Unknown"/> for unmapped codes.</summary>
    public string ErrorCategoryOf(IvrError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return ErrorCategories.TryGetValue(error.ErrorNo.Trim(), out var category) ? category : IvrErrorCategories.Unknown;
    }
}

public enum IvrAnswerMode
{
    /// <summary>The panel answers the call by itself (auto-answer after N seconds).</summary>
    Auto,

    /// <summary>The panel's auto-answer is 0: the first action must be Answer (or DontAnswer).</summary>
    App,
}
