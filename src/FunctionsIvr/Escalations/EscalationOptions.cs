namespace FunctionsIvr.Escalations;

/// <summary>
/// Settings under <c>Escalations</c>. Every channel has a local default: with no settings at all, tickets and
/// WhatsApp messages are written as JSON files and e-mails as <c>.eml</c> files under <c>.local/</c> (relative
/// paths resolve against the content root).
/// </summary>
public sealed class EscalationOptions
{
    public const string SectionName = "Escalations";

    /// <summary>Assignee of tickets that have no recipient (and of those whose recipient has no e-mail).</summary>
    public string? TeamEmail { get; set; }
    public string TeamName { get; set; } = "Support team";

    /// <summary><see cref="CallerNumberDisplay.Masked"/> unless the helpdesk is internal and may see numbers.</summary>
    public CallerNumberDisplay CallerNumberDisplay { get; set; } = CallerNumberDisplay.Masked;

    /// <summary>IANA id of the zone people read times in; UTC is always shown next to it.</summary>
    public string TimeZone { get; set; } = "Europe/Warsaw";

    /// <summary>Where people open the app, e.g. <c>https://ivr.example.com</c>; makes call log links absolute.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// From this delivery of a message on, a transient failure of the preferred channel also falls back to the other
    /// one when the recipient has an address there, so a long WhatsApp or SMTP outage still reaches the person. Without
    /// one the message keeps being redelivered with backoff.
    /// </summary>
    public int FallbackAfterDeliveries { get; set; } = 3;

    /// <summary>
    /// The <c>escalations</c> queue's maxDeliveryCount (10 in infra/app/servicebus.bicep and for the in-process queue).
    /// Three deliveries before it, a transient failure with no channel left is given up, so the ticket is still created
    /// and says so, with tries left for a helpdesk that fails too, instead of the message being dead-lettered without one.
    /// </summary>
    public int MaxDeliveryCount { get; set; } = 10;

    public TicketChannelOptions Ticket { get; set; } = new();
    public EmailChannelOptions Email { get; set; } = new();
    public WhatsAppChannelOptions WhatsApp { get; set; } = new();
}

public enum CallerNumberDisplay
{
    /// <summary>Only the last three digits, as in logs (<see cref="Hosting.Redact.Phone"/>).</summary>
    Masked,
    Full,
}

/// <summary>Helpdesk REST endpoint. Without <see cref="Url"/> tickets go to <see cref="LocalFolder"/>.</summary>
public sealed class TicketChannelOptions
{
    public Uri? Url { get; set; }

    /// <summary>Bearer token; required with <see cref="Url"/>.</summary>
    public string? Token { get; set; }
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
    public string LocalFolder { get; set; } = ".local/tickets";

    internal bool IsConfigured => Url is not null;
}

/// <summary>SMTP relay. Without <see cref="Host"/> messages are written to <see cref="PickupDirectory"/>.</summary>
public sealed class EmailChannelOptions
{
    public string? Host { get; set; }

    /// <summary>Submission port with STARTTLS. Implicit TLS (465) is not supported by SmtpClient.</summary>
    public int Port { get; set; } = 587;
    public bool EnableSsl { get; set; } = true;
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "FunctionsIvr <ivr@functionsivr.local>";
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
    public string PickupDirectory { get; set; } = ".local/mail";

    internal bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>WhatsApp Cloud API. Without <see cref="PhoneNumberId"/> messages go to <see cref="LocalFolder"/>.</summary>
public sealed class WhatsAppChannelOptions
{
    public Uri BaseUrl { get; set; } = new("https://graph.facebook.com");
    public string ApiVersion { get; set; } = "v21.0";

    /// <summary>The business phone number's id in Meta (not the number itself).</summary>
    public string? PhoneNumberId { get; set; }

    /// <summary>Bearer token (a system user token); required with <see cref="PhoneNumberId"/>.</summary>
    public string? AccessToken { get; set; }

    /// <summary>
    /// An approved template with three body parameters (what happened, the caller, the call log link). Free text is
    /// only delivered inside the 24-hour window after the recipient last wrote to the business number, and a failure
    /// is reported only to a status webhook, so without a template the e-mail is sent as well; a template is
    /// delivered any time.
    /// </summary>
    public string? TemplateName { get; set; }
    public string TemplateLanguage { get; set; } = "en";
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
    public string LocalFolder { get; set; } = ".local/whatsapp";

    internal bool IsConfigured => !string.IsNullOrWhiteSpace(PhoneNumberId);
}
