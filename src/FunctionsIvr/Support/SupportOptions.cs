namespace FunctionsIvr.Support;

/// <summary>Support links (section <c>Support</c>).</summary>
public sealed class SupportOptions
{
    public const string SectionName = "Support";

    /// <summary>
    /// Key the call log links are signed with (token = base64url(HMAC-SHA256(key, "call:" + id))); escalation
    /// e-mails and tickets carry the signed link. Without it the call log page is closed.
    /// </summary>
    public string? SigningKey { get; set; }
}
