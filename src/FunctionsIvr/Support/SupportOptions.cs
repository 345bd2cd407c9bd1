namespace FunctionsIvr.Support;

/// <summary>Support links (section <c>Support</c>).</summary>
public sealed class SupportOptions
{
    public const string SectionName = "Support";

    /// <summary>
    /// Key the call log links are signed with (token = base64url(HMAC-SHA256(key, "call:" + id + "\n" + exp))); escalation
    /// e-mails and tickets carry the signed link. Without it the call log page is closed.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>
    /// How long a call log link opens, from when its escalation was raised. A week: escalations are worked within
    /// days, and a leaked link should not open for as long as the call log is kept (<c>State:RetentionDays</c>, 30).
    /// </summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromDays(7);
}
