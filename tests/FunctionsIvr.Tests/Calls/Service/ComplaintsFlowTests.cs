using FunctionsIvr.CallRecords;
using FunctionsIvr.Erp;
using FunctionsIvr.Ivr;
using FunctionsIvr.Work;
using Moq;

namespace FunctionsIvr.Tests.Calls.Service;

public class ComplaintsFlowTests
{
    private static readonly Complaint Damaged = new()
    {
        Id = "cmp-1", Number = "RK/2026/0042", ContactId = "C-1001", Status = "open", Subject = "Damaged pallet",
        OpenedAt = new DateTimeOffset(2026, 10, 28, 9, 0, 0, TimeSpan.FromHours(1)),
    };

    private static readonly Complaint Missing = new()
    {
        Id = "cmp-2", Number = "RK/2026/0107", ContactId = "C-1001", Status = "in_progress", Subject = "Missing boxes",
        OpenedAt = new DateTimeOffset(2026, 10, 30, 23, 30, 0, TimeSpan.FromHours(1)), AssignedTo = "jan_reklamacje",
    };

    [Fact]
    public async Task Complaints_CountThenEachWithLastDigitsStatusAndDate()
    {
        using var call = WithComplaints(Damaged, Missing, Missing with { Id = "cmp-3", Number = "RK-77A", Status = "waiting_for_supplier" });
        await call.AtMenuAsync();

        var heard = await call.ListenUntilAskedAsync(await call.PressAsync("7"));

        Assert.Equal(
        [
            "Play 67", "SayNumber 3",
            "Play 68", "SayDigits 0042", "Play 69", "SayDate 2026-10-28",
            "Play 68", "SayDigits 0107", "Play 70", "SayDate 2026-10-30",
            "Play 68", "SayDigits 77", "Play 71", "SayDate 2026-10-30",
            "GetDTMF 72",
        ], heard);
    }

    [Fact]
    public async Task Complaints_MoreThanThree_CountsAllReadsThree()
    {
        using var call = WithComplaints(Enumerable.Range(1, 5).Select(i => Damaged with { Id = $"c{i}" }).ToArray());
        await call.AtMenuAsync();

        var heard = await call.ListenUntilAskedAsync(await call.PressAsync("7"));

        Assert.Equal("SayNumber 5", heard[1]);
        Assert.Equal(3, heard.Count(h => h == "Play 68"));
    }

    [Fact]
    public async Task Complaints_None_SaysSoThenMainMenu()
    {
        using var call = WithComplaints();
        await call.AtMenuAsync();

        var heard = await call.ListenUntilAskedAsync(await call.PressAsync("7"));

        Assert.Equal(["Play 73", "GetDTMF 2"], heard);
    }

    [Fact]
    public async Task ComplaintsMenu_One_TransfersToThePersonHandlingIt()
    {
        using var call = WithComplaints(Damaged, Missing);
        await call.AtMenuAsync();
        await call.ListenUntilAskedAsync(await call.PressAsync("7"));

        var transfer = await call.PressAsync("1");

        Assert.Equal(IvrActionTypes.CallByObjectLogin, transfer.Action.Type);
        Assert.Equal("jan_reklamacje", transfer.Action["Destination"]);
    }

    [Fact]
    public async Task ComplaintHandler_Answers_RecordedOnTheCallRecordThenOurLegEnds()
    {
        using var call = WithComplaints(Missing);
        await call.AtMenuAsync();
        await call.ListenUntilAskedAsync(await call.PressAsync("7"));
        await call.PressAsync("1");

        var end = await call.SendAsync("CallStatus", CallStatuses.Answer);

        Assert.Equal(IvrActionTypes.Hangup, end.Action.Type);
        var update = call.Work.Body<UpdateCallRecord>(call.Work.On(QueueNames.CallRecords).Last(), CallRecordMessages.JsonOptions);
        Assert.Equal(CallOutcomes.Transferred, update.Outcome);
        Assert.Equal("jan_reklamacje", update.TransferredTo);
    }

    [Fact]
    public async Task ComplaintHandler_NoAnswer_TriesTheTransferChain()
    {
        using var call = WithComplaints(Missing);
        await call.AtMenuAsync();
        await call.ListenUntilAskedAsync(await call.PressAsync("7"));
        await call.PressAsync("1");

        var next = await call.SendAsync("CallStatus", CallStatuses.Noanswer);

        Assert.Equal("agent_default", next.Action["Destination"]);
    }

    [Fact]
    public async Task ComplaintHandler_IsTheAccountManagerAndBusy_TheQueueNextNotTheSamePersonAgain()
    {
        using var call = WithComplaints(Missing with { AssignedTo = "am_zielinski" });
        call.Erp.Setup(e => e.FindContactByPhoneAsync(It.IsAny<string?>(), It.IsAny<CancellationToken>())).ReturnsAsync(EngineHarness.RegularCustomer with
        {
            AccountManager = new AccountManager { Login = "am_zielinski", Name = "Piotr Zieliński" },
        });
        await call.AtMenuAsync();
        await call.ListenUntilAskedAsync(await call.PressAsync("7"));
        var handler = await call.PressAsync("1");

        var next = await call.SendAsync("CallStatus", CallStatuses.Busy);

        Assert.Equal("am_zielinski", handler.Action["Destination"]);
        Assert.Equal("kolejka_sprzedaz", next.Action["Destination"]);
    }

    [Fact]
    public async Task ComplaintsMenu_OneWithNobodyAssigned_TransferChain()
    {
        using var call = WithComplaints(Damaged);
        await call.AtMenuAsync();
        await call.ListenUntilAskedAsync(await call.PressAsync("7"));

        var transfer = await call.PressAsync("1");

        Assert.Equal("agent_default", transfer.Action["Destination"]);
    }

    [Fact]
    public async Task ComplaintsMenu_Nine_BackToMainMenu()
    {
        using var call = WithComplaints(Damaged);
        await call.AtMenuAsync();
        await call.ListenUntilAskedAsync(await call.PressAsync("7"));

        var menu = await call.PressAsync("9");

        Assert.Equal("GetDTMF 2", Listening.Heard(menu.Action));
    }

    [Fact]
    public async Task Complaints_ErpDown_ApologyThenMainMenu()
    {
        using var call = new EngineHarness();
        call.Erp.Setup(e => e.GetOpenComplaintsAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ErpException(ErpErrorKind.CircuitOpen, "open"));
        await call.AtMenuAsync();

        var first = await call.PressAsync("7");
        var heard = await call.ListenUntilAskedAsync(first);

        Assert.Equal(["Play 8", "GetDTMF 2"], heard);
        Assert.Contains(first.Notes, n => n.Contains("CircuitOpen", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Complaints_ErpWritesUtc_DateSaidAsItWasInTheBusinessTimeZone()
    {
        // 23:30 UTC on 31 October is 00:30 on 1 November in Warsaw (+01:00 since the clocks went back on 25 October);
        // 21:30 UTC on 20 August is 23:30 in Warsaw (+02:00), still 20 August.
        using var call = WithComplaints(
            Damaged with { OpenedAt = new DateTimeOffset(2026, 10, 31, 23, 30, 0, TimeSpan.Zero) },
            Missing with { OpenedAt = new DateTimeOffset(2026, 8, 20, 21, 30, 0, TimeSpan.Zero) });
        await call.AtMenuAsync();

        var heard = await call.ListenUntilAskedAsync(await call.PressAsync("7"));

        Assert.Equal(["SayDate 2026-11-01", "SayDate 2026-08-20"], heard.Where(h => h.StartsWith("SayDate", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Complaints_AnotherBusinessTimeZone_DatesSaidInIt()
    {
        using var call = WithSettingsAndComplaints(new() { ["Calls:TimeZone"] = "America/New_York" },
            Damaged with { OpenedAt = new DateTimeOffset(2026, 11, 2, 3, 0, 0, TimeSpan.Zero) });
        await call.AtMenuAsync();

        var heard = await call.ListenUntilAskedAsync(await call.PressAsync("7"));

        Assert.Contains("SayDate 2026-11-01", heard);
    }

    private static EngineHarness WithComplaints(params Complaint[] complaints) => WithSettingsAndComplaints(null, complaints);

    private static EngineHarness WithSettingsAndComplaints(Dictionary<string, string?>? settings, params Complaint[] complaints)
    {
        var call = new EngineHarness(settings);
        call.Erp.Setup(e => e.GetOpenComplaintsAsync("C-1001", It.IsAny<CancellationToken>())).ReturnsAsync(complaints);
        return call;
    }
}
