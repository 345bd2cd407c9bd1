namespace FunctionsIvr.Calls.Service;

/// <summary>
/// The FAQ knowledge base, section <c>Faq</c>, usually from <c>faq.json</c> next to the app (see
/// <see cref="FaqHostBuilderExtensions.AddFaq"/>). Read through <c>IOptionsMonitor</c>: an edit applies to the next call.
/// </summary>
public sealed class FaqOptions
{
    public const string SectionName = "Faq";

    /// <summary>The prompt asking for a topic key ("1 delivery times, 2 payment terms…, 9 main menu").</summary>
    public string MenuPrompt { get; set; } = FaqFlow.DefaultMenuPrompt;

    public List<FaqTopic> Topics { get; set; } = [];
}

/// <summary>One answer: the caller presses <see cref="Key"/> and hears <see cref="Prompt"/>.</summary>
public sealed class FaqTopic
{
    /// <summary>"1" to "8" (9 is the way back to the main menu).</summary>
    public string Key { get; set; } = "";

    /// <summary>What the topic is about, for the documentation and the people answering calls; not played.</summary>
    public string Title { get; set; } = "";

    /// <summary>Prompt name, mapped to a panel number under <c>Prompts</c> (which may sit in the same file).</summary>
    public string Prompt { get; set; } = "";
}
