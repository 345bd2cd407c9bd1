using System.Text.Json.Serialization;

namespace FunctionsIvr.Erp;

/// <summary>A customer's contact person as the ERP knows them; found by the caller's number.</summary>
public sealed record Contact
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string? Company { get; init; }

    /// <summary>Every number the contact calls from, E.164.</summary>
    public IReadOnlyList<string> Phones { get; init; } = [];

    /// <summary><see cref="ContactSegments"/>; unknown values are kept as sent.</summary>
    public string Segment { get; init; } = ContactSegments.Standard;

    /// <summary>Two-letter language code (ISO 639-1) the contact is spoken to in.</summary>
    public string Language { get; init; } = "pl";

    /// <summary>
    /// The ERP refuses business with this contact (unpaid invoices, fraud): the caller hears a polite refusal and the
    /// call ends; the account manager is told once a day.
    /// </summary>
    public bool Blocked { get; init; }

    public AccountManager? AccountManager { get; init; }

    [JsonIgnore]
    public bool IsVip => string.Equals(Segment, ContactSegments.Vip, StringComparison.OrdinalIgnoreCase);
}

/// <summary>The sales rep who owns the customer: where a VIP is transferred and where escalations go.</summary>
public sealed record AccountManager
{
    /// <summary>The PBX object login, for <c>CallByObjectLogin</c>.</summary>
    public required string Login { get; init; }
    public required string Name { get; init; }
    public string? Phone { get; init; }
    public string? Email { get; init; }

    /// <summary>E.164 number reachable on WhatsApp.</summary>
    public string? WhatsApp { get; init; }

    /// <summary><see cref="ContactChannels"/>: how the rep wants to be told about this customer's calls.</summary>
    public string PreferredChannel { get; init; } = ContactChannels.Email;
}

public static class ContactSegments
{
    public const string Standard = "standard";
    public const string Vip = "vip";
}

public static class ContactChannels
{
    public const string Email = "email";
    public const string WhatsApp = "whatsapp";
    public const string Phone = "phone";
    public const string Sms = "sms";
}
