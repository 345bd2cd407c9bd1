using System.Net.Http.Json;
using FunctionsIvr.Tests.Fakes;
using FunctionsIvr.CallRecords;
using FunctionsIvr.Calls;
using FunctionsIvr.Calls.Welcome;
using FunctionsIvr.Erp;
using FunctionsIvr.Ivr;
using FunctionsIvr.Tests.Calls;
using FunctionsIvr.State.InMemory;
using FunctionsIvr.Work;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace FunctionsIvr.Tests.CallRecords;

public class CallRecordUpdatesTests
{
    [Fact]
    public async Task FirstCallbackRepeated_EveryOpenReachesTheErpWithTheFirstStartSoTheUpdatesAreTaken()
    {
        // The platform repeats the first callback (its answer was lost) seconds later. The ERP keys the record by the
        // call and refuses that key with another body (422): every later update re-sends its callback's open, and the
        // processor sends each with the first start time it saw. The call path itself writes no storage for it.
        using var call = new EngineHarness();
        call.Erp.Setup(e => e.FindContactByPhoneAsync(It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(EngineHarness.RegularCustomer with { Id = "c-1001" }); // the DemoErp's Jan Kowalski
        await call.StartAsync("Connected");
        call.Time.Advance(TimeSpan.FromSeconds(3));
        await call.AtMenuAsync();
        await call.PressAsync("0");
        await call.SendAsync("CallStatus", CallStatuses.Answer);
        var messages = call.Work.On(QueueNames.CallRecords);
        var firstOpen = call.Work.Body<OpenCallRecord>(messages[0], CallRecordMessages.JsonOptions);
        var update = call.Work.Body<UpdateCallRecord>(messages[^1], CallRecordMessages.JsonOptions);
        Assert.NotEqual(firstOpen.StartedAt, update.Open!.StartedAt);

        using var demo = new FunctionsIvr.Tests.Erp.DemoErpHost();
        var erp = demo.CreateClient();
        var processor = new CallRecordProcessor(erp, new InMemoryCallStateStore(TimeProvider.System, Options.Create(new InMemoryStateOptions())),
            NullLogger<CallRecordProcessor>.Instance);
        foreach (var message in messages)
        {
            await processor.ProcessAsync(new ReceivedWork(message, 1, call.Time.GetUtcNow()), CancellationToken.None);
        }

        // Without the first start time the update's open was refused (422) and the delivery failed before this.
        var id = (await erp.CreateCallRecordAsync(firstOpen.ToCreateRequest())).Id;
        using var admin = demo.Admin();
        var record = await admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>(new Uri("/calls/" + Uri.EscapeDataString(id), UriKind.Relative));
        Assert.Equal(CallOutcomes.Transferred, (string?)record?["outcome"]);
    }

    [Fact]
    public async Task Identification_OpensTheRecordWithDialledNumberContactAndStart()
    {
        using var call = new EngineHarness();

        await call.SendAsync("Connected");

        var message = Assert.Single(call.Work.On(QueueNames.CallRecords));
        var open = call.Work.Body<OpenCallRecord>(message, CallRecordMessages.JsonOptions);
        Assert.Equal($"open-{call.CallId}", message.MessageId);
        Assert.Equal(CallRecordMessages.OpenSubject, message.Subject);
        Assert.Equal(call.CallId, message.CorrelationId);
        Assert.Equal("48600100200", open.FromNumber);
        Assert.Equal("48221234567", open.DialledNumber);
        Assert.Equal("C-1001", open.ContactId);
        Assert.Equal(ManualTimeProvider.DefaultStart, open.StartedAt);
        Assert.Null(open.Campaign);
    }

    [Fact]
    public async Task Identification_CampaignNumber_CampaignOnTheRecord()
    {
        using var call = new EngineHarness(new()
        {
            ["Campaigns:Numbers:0:Id"] = "spring-fair",
            ["Campaigns:Numbers:0:DialledNumber"] = "221234567",
        });

        await call.SendAsync("Connected");

        var open = call.Work.Body<OpenCallRecord>(call.Work.On(QueueNames.CallRecords).Single(), CallRecordMessages.JsonOptions);
        Assert.Equal("spring-fair", open.Campaign);
        Assert.Equal("Campaign spring-fair.", open.ToCreateRequest().Card);
    }

    [Fact]
    public async Task Identification_UnknownCaller_RecordWithoutContact()
    {
        using var call = new EngineHarness();
        call.Erp.Setup(e => e.FindContactByPhoneAsync(It.IsAny<string?>(), It.IsAny<CancellationToken>())).ReturnsAsync((Contact?)null);

        await call.SendAsync("Connected");

        var open = call.Work.Body<OpenCallRecord>(call.Work.On(QueueNames.CallRecords).Single(), CallRecordMessages.JsonOptions);
        Assert.Null(open.ContactId);
    }

    [Fact]
    public async Task Identification_QueueDown_CallerGreetedAnyway()
    {
        using var call = new EngineHarness();
        call.Work.FailNext(2);

        var welcome = await call.SendAsync("Connected");

        Assert.Equal("Play 1", Listening.Heard(welcome.Action));
        Assert.Contains(welcome.Notes, n => n.StartsWith("OpenCallRecord not queued", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BlockedCaller_RecordClosedWhenTheCallIsRefused()
    {
        using var call = new EngineHarness();
        call.Erp.Setup(e => e.FindContactByPhoneAsync(It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(EngineHarness.RegularCustomer with { Blocked = true });

        await call.SendAsync("Connected");

        var update = call.Work.Body<UpdateCallRecord>(call.Work.On(QueueNames.CallRecords).Last(), CallRecordMessages.JsonOptions);
        Assert.Equal(CallOutcomes.Other, update.Outcome);
        Assert.Equal(call.Time.GetUtcNow(), update.EndedAt);
        Assert.Contains("blocked", update.Card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedCallHungUpAfterTheApology_RecordClosedAsFailed()
    {
        using var call = new EngineHarness(new() { ["Transfer:FallbackToQueue"] = "false" });
        await call.SendAsync("Connected");
        await call.SendAsync("Play", error: new IvrError("1", "app timeout"));

        var end = await call.SendAsync("Play");

        Assert.Equal(IvrActionTypes.Hangup, end.Action.Type);
        var update = call.Work.Body<UpdateCallRecord>(call.Work.On(QueueNames.CallRecords).Last(), CallRecordMessages.JsonOptions);
        Assert.Equal(CallOutcomes.Failed, update.Outcome);
        Assert.Equal(call.Time.GetUtcNow(), update.EndedAt);
    }

    [Fact]
    public async Task Update_CarriesTheSameOpenAsIdentificationSent()
    {
        using var call = new EngineHarness();
        await call.AtMenuAsync();
        await call.PressAsync("0");
        call.Time.Advance(TimeSpan.FromMinutes(3));

        await call.SendAsync("CallStatus", CallStatuses.Answer);

        var messages = call.Work.On(QueueNames.CallRecords);
        var open = call.Work.Body<OpenCallRecord>(messages[0], CallRecordMessages.JsonOptions);
        var update = call.Work.Body<UpdateCallRecord>(messages[1], CallRecordMessages.JsonOptions);
        Assert.Equal(open, update.Open);
        Assert.Equal(open.ToCreateRequest(), update.Open.ToCreateRequest());
    }

    [Fact]
    public async Task OrderPlaced_UpdateWithOutcomeAndOrderNumber()
    {
        using var call = new EngineHarness();
        var ctx = await ContextAtMenu(call);

        var sent = await CallRecordUpdates.OrderPlacedAsync(ctx, "ZAM/2026/1187");

        var message = call.Work.On(QueueNames.CallRecords).Last();
        var update = call.Work.Body<UpdateCallRecord>(message, CallRecordMessages.JsonOptions);
        Assert.True(sent);
        Assert.Equal(CallRecordMessages.UpdateSubject, message.Subject);
        Assert.Equal(CallOutcomes.OrderPlaced, update.Outcome);
        Assert.Equal("ZAM/2026/1187", update.OrderNumber);
        Assert.Null(update.EndedAt);
    }

    [Fact]
    public async Task Updates_TwoInOneCallback_DistinctMessages()
    {
        using var call = new EngineHarness();
        var ctx = await ContextAtMenu(call);

        await CallRecordUpdates.OrderPlacedAsync(ctx, "ZAM/1");
        await CallRecordUpdates.OrderPlacedAsync(ctx, "ZAM/2");

        var ids = call.Work.On(QueueNames.CallRecords).Skip(1).Select(m => m.MessageId).ToList();
        Assert.Equal([$"update-{call.CallId}-2", $"update-{call.CallId}-3"], ids);
    }

    [Fact]
    public async Task Update_SameCallbackRepeated_SameMessageIdSoOneUpdate()
    {
        using var call = new EngineHarness();
        await ContextAtMenu(call);

        await CallRecordUpdates.OrderPlacedAsync(Context(call), "ZAM/1");
        await CallRecordUpdates.OrderPlacedAsync(Context(call), "ZAM/1");

        Assert.Single(call.Work.On(QueueNames.CallRecords).Skip(1));
    }

    [Fact]
    public async Task Update_BeforeIdentification_NotSentAndNoted()
    {
        using var call = new EngineHarness();
        call.UseSession(new CallSession { Step = Steps.MainMenu, Steps = 2 });
        var ctx = Context(call);

        var sent = await CallRecordUpdates.OrderPlacedAsync(ctx, "ZAM/1");

        Assert.False(sent);
        Assert.Empty(call.Work.On(QueueNames.CallRecords));
        Assert.Contains(ctx.Notes, n => n.Contains("call record not opened", StringComparison.Ordinal));
    }

    private static async Task<CallContext> ContextAtMenu(EngineHarness call)
    {
        await call.AtMenuAsync();
        return Context(call);
    }

    /// <summary>What a step of another flow gets on the next callback.</summary>
    private static CallContext Context(EngineHarness call) => new(
        call.Request("GetDTMF", "1"),
        call.Session!,
        call.Services.GetRequiredService<CallActions>(),
        call.Services.GetRequiredService<CallFlow>().Prompts,
        call.Services,
        call.Time,
        null,
        CancellationToken.None);
}
