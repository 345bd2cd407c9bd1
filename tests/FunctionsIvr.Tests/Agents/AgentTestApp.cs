using FunctionsIvr.Agents;
using FunctionsIvr.Erp;
using FunctionsIvr.Hosting;
using FunctionsIvr.Support;
using FunctionsIvr.Tests.Calls;
using Moq;

namespace FunctionsIvr.Tests.Agents;

/// <summary>The whole handler with the agent and support pages switched on and an ERP that knows the caller.</summary>
public static class AgentTestApp
{
    public const string AgentKey = "agents-test-signing-key";
    public const string SupportKey = "support-test-signing-key";

    /// <summary>Where a caller without an account manager is transferred (Transfer:AgentLogin in the test settings).</summary>
    public const string DutyAgent = "agent_default";

    public static Contact Caller { get; } = EngineHarness.RegularCustomer with { Segment = "vip", Phones = ["+48600100200"] };

    public static IvrApp Create(Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Agents:SigningKey"] = AgentKey,
            ["Support:SigningKey"] = SupportKey,
        };
        foreach (var (key, value) in settings ?? []) all[key] = value;
        var app = new IvrApp(all);
        app.Erp.Setup(e => e.FindContactByPhoneAsync(It.IsAny<string?>(), It.IsAny<CancellationToken>())).ReturnsAsync(Caller);
        app.Erp.Setup(e => e.GetContactAsync(Caller.Id, It.IsAny<CancellationToken>())).ReturnsAsync(Caller);
        app.Erp.Setup(e => e.GetOrdersAsync(Caller.Id, It.IsAny<IReadOnlyCollection<string>?>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([new Order { Id = "o-1", Number = "ZS/2026/000777", ContactId = Caller.Id, Status = OrderStatuses.Shipped, Total = 1234.5m }]);
        app.Erp.Setup(e => e.GetOpenComplaintsAsync(Caller.Id, It.IsAny<CancellationToken>()))
            .ReturnsAsync([new Complaint { Id = "k-1", Number = "RK/2026/0042", ContactId = Caller.Id, Status = "open", Subject = "Broken pallet" }]);
        // The call record commands the call queues are processed in process; an ERP that records them keeps the log quiet.
        app.Erp.Setup(e => e.CreateCallRecordAsync(It.IsAny<CreateCallRecordRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((CreateCallRecordRequest r, CancellationToken _) => new CallRecord { Id = "cr-" + r.CallId, CallId = r.CallId });
        app.Erp.Setup(e => e.UpdateCallRecordAsync(It.IsAny<string>(), It.IsAny<UpdateCallRecordRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, UpdateCallRecordRequest _, CancellationToken _) => new CallRecord { Id = id, CallId = id });
        return app;
    }

    /// <summary><c>exp=…&amp;t=…</c> of a link to the login's page, open for a day from now.</summary>
    public static string AgentQuery(string login) => LinkTokens.Query(AgentKey, "agent:" + login, TimeProvider.System.GetUtcNow().AddDays(1))[1..];

    public static string AgentLink(string login) => AgentPageApi.PagePath(login) + "?" + AgentQuery(login);

    /// <summary>The call log link an escalation raised now carries.</summary>
    public static string CallLogLink(string callId) => CallLogLinks.LinkFor(callId, SupportKey, TimeProvider.System.GetUtcNow().AddDays(7));
}
