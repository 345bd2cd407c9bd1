using FunctionsIvr.Erp;

namespace FunctionsIvr.Escalations;

/// <summary>The ERP's account manager as the one to tell about an escalation, the same for calls and order commits.</summary>
public static class AccountManagerRecipients
{
    /// <summary>
    /// Null (the ticket goes to the team) when there is no manager, or one without a name: an escalation whose
    /// recipient has no name is malformed and would be dead-lettered instead of reaching anyone.
    /// </summary>
    public static EscalationRecipient? From(AccountManager? manager) => manager is null || string.IsNullOrWhiteSpace(manager.Name)
        ? null
        : new EscalationRecipient
        {
            Name = manager.Name.Trim(),
            Email = string.IsNullOrWhiteSpace(manager.Email) ? null : manager.Email.Trim(),
            WhatsAppNumber = string.IsNullOrWhiteSpace(manager.WhatsApp) ? null : manager.WhatsApp.Trim(),
            PreferredChannel = ChannelOf(manager),
        };

    /// <summary>
    /// E-mail and WhatsApp as the rep prefers. Phone and SMS have no channel here: a rep who wants to hear on the phone
    /// gets a WhatsApp message when they have a WhatsApp number, else e-mail. A preferred channel without an address
    /// is not changed here: the dispatcher falls back to the other one and the ticket says why.
    /// </summary>
    private static EscalationChannel ChannelOf(AccountManager manager) => (manager.PreferredChannel ?? "").Trim().ToLowerInvariant() switch
    {
        ContactChannels.WhatsApp => EscalationChannel.WhatsApp,
        ContactChannels.Phone or ContactChannels.Sms when !string.IsNullOrWhiteSpace(manager.WhatsApp) => EscalationChannel.WhatsApp,
        _ => EscalationChannel.Email,
    };
}
