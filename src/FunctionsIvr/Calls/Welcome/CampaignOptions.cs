namespace FunctionsIvr.Calls.Welcome;

/// <summary>
/// Numbers that belong to a campaign (a mailing, a trade fair): a call to one is greeted with the campaign's prompt
/// and may start somewhere other than the main menu. The dialled number is also stored on the ERP call record.
/// </summary>
public sealed class CampaignOptions
{
    public const string SectionName = "Campaigns";

    public List<Campaign> Numbers { get; set; } = [];

    public Campaign? Find(string dialledNumber)
    {
        var digits = Digits(dialledNumber);
        return digits.Length == 0 ? null : Numbers.FirstOrDefault(c => Digits(c.DialledNumber).EndsWith(digits, StringComparison.Ordinal)
                                                                       || digits.EndsWith(Digits(c.DialledNumber), StringComparison.Ordinal));
    }

    private static string Digits(string number) => new(number.Where(char.IsAsciiDigit).ToArray());
}

public sealed class Campaign
{
    public string Id { get; set; } = "";

    /// <summary>The campaign's number as the platform sends ToNumber (48…) or in national form.</summary>
    public string DialledNumber { get; set; } = "";

    /// <summary>Prompt played instead of the usual welcome; must be mapped in Prompts.</summary>
    public string WelcomePrompt { get; set; } = "";

    /// <summary>
    /// Where known callers go after the welcome (a step from <see cref="Steps"/>), e.g. <c>offers</c>; VIPs once they let
    /// the account-manager offer pass.
    /// </summary>
    public string StartStep { get; set; } = Steps.MainMenu;
}
