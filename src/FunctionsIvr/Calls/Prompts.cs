namespace FunctionsIvr.Calls;

/// <summary>Logical prompt names; configuration maps each to the panel's prompt number (<c>Prompts:welcome = 1</c>).</summary>
public static class Prompts
{
    public const string Welcome = "welcome";
    public const string MainMenu = "main_menu";
    public const string MenuRetry = "menu_retry";
    public const string SorryUnavailable = "sorry_unavailable";
    public const string Apology = "apology";
    public const string PleaseWait = CallEngine.HoldPrompt;
}
