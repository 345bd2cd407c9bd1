using FunctionsIvr.Erp;
using FunctionsIvr.Escalations;
using FunctionsIvr.Orders;

namespace FunctionsIvr.Tests.Orders;

/// <summary>The order commit's escalation reaches the account manager the way a call's escalation does.</summary>
public sealed class CommitFailedEscalationsTests
{
    [Theory]
    [InlineData("email", "+48601200300", "anna@example.test", EscalationChannel.Email)]
    [InlineData("whatsapp", "+48601200300", "anna@example.test", EscalationChannel.WhatsApp)]
    [InlineData("WhatsApp", "+48601200300", "anna@example.test", EscalationChannel.WhatsApp)]
    [InlineData("phone", "+48601200300", "anna@example.test", EscalationChannel.WhatsApp)]
    [InlineData("sms", "+48601200300", "anna@example.test", EscalationChannel.WhatsApp)]
    [InlineData("phone", null, "anna@example.test", EscalationChannel.Email)]
    [InlineData("email", null, null, EscalationChannel.Email)]
    public void Create_AccountManagersPreference_MapsToTheChannelACallWouldUse(
        string preferred, string? whatsApp, string? email, EscalationChannel expected)
    {
        var escalation = Create(new AccountManager { Login = "am_nowak", Name = "Anna Nowak", Email = email, WhatsApp = whatsApp, PreferredChannel = preferred });

        Assert.Equal(expected, escalation.Recipient?.PreferredChannel);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Create_AccountManagerWithoutName_GoesToTheTeamAndCanBeRead(string name)
    {
        var escalation = Create(new AccountManager { Login = "am_x", Name = name, Email = "x@example.test" });

        Assert.Null(escalation.Recipient);
        var message = EscalationMessages.ToWorkMessage(escalation);
        Assert.Null(EscalationMessages.Parse(message.Body, message.MessageId).Recipient);
    }

    private static Escalation Create(AccountManager manager) => CommitFailedEscalations.Create(
        "tx-0001", "call-abc", "C-1001", "ZS/2026/001400", "expired",
        new Contact { Id = "C-1001", Name = "Jan Kowalski", AccountManager = manager }, DateTimeOffset.UnixEpoch);
}
