namespace FunctionsIvr.Calls;

/// <summary>
/// Prompts shared by several flows. Each module names its own prompts; configuration maps every name to the panel's
/// prompt number (<c>Prompts:welcome = 1</c>).
/// </summary>
public static class Prompts
{
    public const string MenuRetry = "menu_retry";
    public const string SorryUnavailable = "sorry_unavailable";
    public const string Apology = CallEngine.FinalPrompt;
    public const string PleaseWait = CallEngine.HoldPrompt;
}
