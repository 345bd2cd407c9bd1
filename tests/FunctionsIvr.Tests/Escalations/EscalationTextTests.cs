using FunctionsIvr.Escalations;

namespace FunctionsIvr.Tests.Escalations;

public sealed class EscalationTextTests
{
    [Fact]
    public void Subject_VipNobodyAnswered_NamesCompanySegmentAndWhatHappened()
    {
        var sut = CreateSut();

        Assert.Equal("[FunctionsIvr] Call back Budmax S.A. (VIP) - nobody answered", sut.Subject(EscalationTestData.VipNobodyAnswered()));
    }

    [Fact]
    public void Title_CommitFailed_NamesTheOrder()
    {
        var escalation = EscalationTestData.VipNobodyAnswered() with { Reason = EscalationReason.CommitFailed };

        Assert.Equal("Check order ZAM/2025/0042 of Budmax S.A. (VIP) - order commit failed", CreateSut().Title(escalation));
    }

    [Fact]
    public void Title_UnknownCallerWithoutCompany_NamesTheMaskedNumber()
    {
        var escalation = EscalationTestData.VipNobodyAnswered() with { Company = null, ContactName = null, Segment = null, Reason = EscalationReason.CallbackRequested };

        Assert.Equal("Call back caller ********789 - call back requested", CreateSut().Title(escalation));
    }

    [Theory]
    [InlineData("anonymous")]
    [InlineData("Restricted")]
    public void HiddenCallerId_SentAsAWord_ShownAsWithheldNotAsAnEmptyNumber(string hidden)
    {
        var sut = CreateSut();
        var escalation = EscalationTestData.VipNobodyAnswered() with
        {
            CallerNumber = hidden, ContactId = null, ContactName = null, Company = null, Segment = null, Recipient = null,
        };

        Assert.Equal("Call back unknown caller - nobody answered", sut.Title(escalation));
        Assert.Equal("unknown caller (withheld)", sut.CallerLine(escalation));
        Assert.Contains("Caller number:     withheld", sut.PlainText(escalation), StringComparison.Ordinal);
    }

    [Fact]
    public void Title_CompanyNameWithLineBreak_StaysOnOneLine()
    {
        var escalation = EscalationTestData.VipNobodyAnswered() with { Company = "Budmax\r\nBcc: someone@example.com" };

        var title = CreateSut().Title(escalation);

        Assert.DoesNotContain('\n', title);
        Assert.DoesNotContain('\r', title);
        Assert.StartsWith("Call back Budmax Bcc: someone@example.com (VIP)", title, StringComparison.Ordinal);
    }

    [Fact]
    public void PlainText_ByDefault_ShowsOnlyTheLastThreeDigitsOfTheCaller()
    {
        var text = CreateSut().PlainText(EscalationTestData.VipNobodyAnswered());

        Assert.Contains("Caller number:     ********789", text, StringComparison.Ordinal);
        Assert.DoesNotContain("600 100", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(EscalationReason.CallbackRequested, "withheld")]
    [InlineData(EscalationReason.CommitFailed, "not known here (the ERP's call record of this call has it)")]
    [InlineData(EscalationReason.DeadLettered, "not known here (the ERP's call record of this call has it)")]
    public void PlainText_NoCallerNumber_WithheldOnlyWhenTheCallItselfHadNone(EscalationReason reason, string shown)
    {
        // A commit or a dead letter carries no caller number: support must not read that the caller hid it.
        var escalation = EscalationTestData.VipNobodyAnswered() with { CallerNumber = null, Reason = reason };

        var text = CreateSut().PlainText(escalation);

        Assert.Contains("Caller number:     " + shown, text, StringComparison.Ordinal);
    }

    [Fact]
    public void PlainText_FullNumbersConfigured_ShowsTheWholeNumber()
    {
        var text = CreateSut(new EscalationOptions { CallerNumberDisplay = CallerNumberDisplay.Full }).PlainText(EscalationTestData.VipNobodyAnswered());

        Assert.Contains("Caller number:     +48 600 100 789", text, StringComparison.Ordinal);
    }

    [Fact]
    public void PlainText_CarriesWhoWhatWhereOrderTimesLinkAndDeliveryNotes()
    {
        var sut = CreateSut(new EscalationOptions { PublicBaseUrl = "https://ivr.example.com" });

        var text = sut.PlainText(EscalationTestData.VipNobodyAnswered(), ["Sent to Anna Nowak by e-mail."]);

        Assert.StartsWith("Call back Budmax S.A. (VIP) - nobody answered\n\nNobody answered the transfer. Please call the customer back.\n", text, StringComparison.Ordinal);
        Assert.Contains("Detail: Agent 101 and the team queue did not answer.", text, StringComparison.Ordinal);
        Assert.Contains("Contact:           Jan Kowalski\n", text, StringComparison.Ordinal);
        Assert.Contains("Where in the call: transfer_queue\n", text, StringComparison.Ordinal);
        Assert.Contains("Order:             ZAM/2025/0042\n", text, StringComparison.Ordinal);
        Assert.Contains("Transaction:       tx-7f3a\n", text, StringComparison.Ordinal);
        Assert.Contains("Call started:      2025-01-15 10:03:00 Europe/Warsaw (2025-01-15 09:03:00 UTC)\n", text, StringComparison.Ordinal);
        Assert.Contains("Call log:          https://ivr.example.com/api/calls/call-0001\n", text, StringComparison.Ordinal);
        Assert.Contains("Delivery:\n- Sent to Anna Nowak by e-mail.\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2025-01-15T09:05:12Z", "2025-01-15 10:05:12 Europe/Warsaw (2025-01-15 09:05:12 UTC)")]
    [InlineData("2025-07-15T09:05:12Z", "2025-07-15 11:05:12 Europe/Warsaw (2025-07-15 09:05:12 UTC)")]
    [InlineData("2025-03-30T23:30:00+00:00", "2025-03-31 01:30:00 Europe/Warsaw (2025-03-30 23:30:00 UTC)")]
    public void FormatTime_WinterSummerAndAroundMidnight_ShowsWarsawAndUtc(string instant, string expected) =>
        Assert.Equal(expected, CreateSut().FormatTime(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void FormatTime_ZoneUnknownOnThisMachine_ShowsUtcOnly()
    {
        var sut = CreateSut(new EscalationOptions { TimeZone = "Mars/Olympus_Mons" });

        Assert.Equal("2025-01-15 09:05:12 UTC", sut.FormatTime(EscalationTestData.Raised));
    }

    [Theory]
    [InlineData(null, null, "/api/calls/call-0001")]
    [InlineData(null, "https://ivr.example.com", "https://ivr.example.com/api/calls/call-0001")]
    [InlineData("/calls/call-0001", "https://ivr.example.com/support/", "https://ivr.example.com/support/calls/call-0001")]
    [InlineData("https://other.example.com/calls/call-0001", "https://ivr.example.com", "https://other.example.com/calls/call-0001")]
    public void CallLogUrl_RelativeOrMissing_IsMadeAbsoluteWhenTheBaseIsKnown(string? given, string? publicBaseUrl, string expected)
    {
        var sut = CreateSut(new EscalationOptions { PublicBaseUrl = publicBaseUrl });

        Assert.Equal(expected, sut.CallLogUrl(EscalationTestData.VipNobodyAnswered() with { CallLogUrl = given }));
    }

    [Fact]
    public void Html_NamesWithMarkup_AreEncodedAndTheCallLogIsALink()
    {
        var sut = CreateSut(new EscalationOptions { PublicBaseUrl = "https://ivr.example.com" });
        var escalation = EscalationTestData.VipNobodyAnswered() with { Company = "Kowalski & <Syn>" };

        var html = sut.Html(escalation);

        Assert.Contains("Kowalski &amp; &lt;Syn&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<Syn>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://ivr.example.com/api/calls/call-0001\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_CallLogUrlWithScript_IsNotALink()
    {
        var html = CreateSut().Html(EscalationTestData.VipNobodyAnswered() with { CallLogUrl = "javascript:alert(1)" });

        Assert.DoesNotContain("<a href", html, StringComparison.Ordinal);
    }

    [Fact]
    public void TemplateParameters_MultiLineDetail_AreFlattenedToSingleLines()
    {
        var escalation = EscalationTestData.VipNobodyAnswered() with { Detail = "line one\n\tline two" };

        var parameters = CreateSut().TemplateParameters(escalation);

        Assert.Equal(3, parameters.Count);
        Assert.All(parameters, p => Assert.DoesNotContain(p, c => c is '\n' or '\r' or '\t'));
        Assert.EndsWith("nobody answered: line one line two", parameters[0], StringComparison.Ordinal);
        Assert.Equal("/api/calls/call-0001", parameters[2]);
    }

    [Fact]
    public void ShortText_VeryLongDetail_FitsWhatsAppsLimit()
    {
        var escalation = EscalationTestData.VipNobodyAnswered() with { Detail = new string('x', 10_000) };

        Assert.True(CreateSut().ShortText(escalation).Length <= 4096);
    }

    private static EscalationText CreateSut(EscalationOptions? options = null) => new(options ?? new EscalationOptions());
}
