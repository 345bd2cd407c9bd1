using FunctionsIvr.Calls;
using FunctionsIvr.Erp;
using FunctionsIvr.Orders;
using FunctionsIvr.State;
using FunctionsIvr.State.InMemory;
using FunctionsIvr.Tests.Fakes;
using FunctionsIvr.Work;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moq;

namespace FunctionsIvr.Tests.Calls.Orders;

/// <summary>
/// A call through the real engine with the order wiring (<c>AddOrders</c>), the real in-memory call state and outbox,
/// a capturing queue and the mocked ERP.
/// </summary>
internal sealed class OrderCalls : IDisposable
{
    public const string ContactId = "C-1001";

    public static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);

    private readonly Dictionary<string, string?>? _settings;

    /// <param name="callState">The call state store; the real in-memory one when null.</param>
    /// <param name="outboxAsSeen">What the app's outbox calls go through (a store that hangs, say); <see cref="Outbox"/> is what they reach.</param>
    public OrderCalls(
        Dictionary<string, string?>? settings = null, ICallStateStore? callState = null, Func<IOutboxStore, IOutboxStore>? outboxAsSeen = null)
        : this(settings, callState, new InMemoryOutboxStore(), new CapturingWorkQueue(), callId: null, outboxAsSeen)
    {
    }

    private OrderCalls(
        Dictionary<string, string?>? settings, ICallStateStore? callState, InMemoryOutboxStore outbox, CapturingWorkQueue queue, string? callId,
        Func<IOutboxStore, IOutboxStore>? outboxAsSeen = null)
    {
        _settings = settings;
        Outbox = outbox;
        Queue = queue;
        Call = new EngineHarness(
            settings,
            services: s =>
            {
                if (callState is not null) s.AddSingleton(callState);
                else s.AddSingleton<ICallStateStore>(sp => new InMemoryCallStateStore(sp.GetRequiredService<TimeProvider>(), Options.Create(new InMemoryStateOptions())));
                s.AddSingleton(outboxAsSeen?.Invoke(Outbox) ?? Outbox);
                s.AddSingleton<IWorkQueue>(Queue);
            },
            configure: b => b.AddOrders(),
            callId);
    }

    public EngineHarness Call { get; }

    public InMemoryOutboxStore Outbox { get; }

    public CapturingWorkQueue Queue { get; }

    public Mock<ErpClient> Erp => Call.Erp;

    /// <summary>Welcome, main menu, then <paramref name="key"/>: the first answer of the chosen flow.</summary>
    public async Task<CallTurn> FromMainMenuAsync(char key)
    {
        await Call.SendAsync("Connected");
        await Call.SendAsync("Play");
        return await Call.SendAsync("GetDTMF", key.ToString());
    }

    /// <summary>The platform reports the last Play or Say* finished.</summary>
    public Task<CallTurn> NextAsync() => Call.SendAsync("Play");

    public Task<CallTurn> KeysAsync(string digits) => Call.SendAsync("GetDTMF", digits);

    /// <summary>
    /// Presses <paramref name="digits"/> while the ERP is slow: the budget passes and the caller hears the holding prompt.
    /// The held work is taken out of the engine's keeping, for the test to wait for.
    /// </summary>
    public async Task<Task<CallTurn>> HeldOnKeysAsync(string digits)
    {
        var pending = KeysAsync(digits);
        Call.Time.Advance(TimeSpan.FromMilliseconds(1500));
        var hold = await pending;
        Assert.True(hold.IsHold);
        var held = Call.Services.GetRequiredService<PendingTurns>().Take(Call.CallId, hold.Session.Steps);
        Assert.NotNull(held);
        return held;
    }

    /// <summary>What the caller hears, compactly: <c>Play:101</c>, <c>SayDigits:1234</c>, <c>GetDTMF:108</c>, <c>CallByObjectLogin:agent</c>.</summary>
    public static string Heard(CallTurn turn) =>
        turn.Action.Type + ":" + (turn.Action["Prompt"] ?? turn.Action["Destination"] ?? turn.Action.Parameters.FirstOrDefault().Value ?? "");

    public static string[] Heard(IEnumerable<CallTurn> turns) => turns.Select(Heard).ToArray();

    /// <summary>
    /// The same call served by another instance of the app: its own engine, held work and ERP client; the same call state,
    /// outbox and queue. Its next callback carries the Session this one answered last, as the platform's would.
    /// </summary>
    public OrderCalls OnAnotherInstance()
    {
        var other = new OrderCalls(_settings, Call.Services.GetRequiredService<ICallStateStore>(), Outbox, Queue, Call.CallId);
        other.Call.UseSession(Call.Session);
        return other;
    }

    public void Dispose() => Call.Dispose();

    /// <summary>Acknowledges actions that need no input (Play, Say*) until the call asks for keys or leaves the flow.</summary>
    public async Task<List<CallTurn>> ListenUntilAskedAsync(int max = 40)
    {
        var heard = new List<CallTurn>();
        for (var i = 0; i < max; i++)
        {
            var turn = await Call.SendAsync("Play");
            heard.Add(turn);
            if (turn.Action.Type is "GetDTMF" or "Hangup" or "CallByObjectLogin") return heard;
        }

        throw new InvalidOperationException("The flow did not ask for keys.");
    }

    public static Order Order(string id, string number, string status, int daysAgo, DateOnly? delivery = null, params OrderLine[] lines) => new()
    {
        Id = id,
        Number = number,
        ContactId = ContactId,
        Status = status,
        CreatedAt = Now.AddDays(-daysAgo),
        EstimatedDelivery = delivery,
        Lines = lines,
        Total = lines.Sum(l => l.LineTotal),
    };

    public static OrderLine Line(string code, decimal quantity, decimal unitPrice) =>
        new() { ProductCode = code, Quantity = quantity, UnitPrice = unitPrice, LineTotal = quantity * unitPrice };

    public static Product Product(string code, decimal price, decimal stock) =>
        new() { Code = code, Name = "Produkt " + code, Unit = "szt", Price = price, Stock = stock };

    public static PreparedTransaction Prepared(string transactionId = "tx-0001", string orderNumber = "ZS/2026/001400") => new()
    {
        TransactionId = transactionId,
        OrderNumber = orderNumber,
        ExpiresAt = Now.AddMinutes(10),
        Total = 100m,
    };

    public void OrdersAre(params Order[] orders) =>
        Erp.Setup(e => e.GetOrdersAsync(ContactId, It.IsAny<IReadOnlyCollection<string>?>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(orders);

    public void OrderIs(Order order) =>
        Erp.Setup(e => e.GetOrderAsync(order.Id, It.IsAny<CancellationToken>())).ReturnsAsync(order);

    public void ProductsAre(string search, params Product[] products) =>
        Erp.Setup(e => e.SearchProductsAsync(search, It.IsAny<int>(), It.IsAny<CancellationToken>())).ReturnsAsync(products);

    public void PrepareReturns(PreparedTransaction prepared) =>
        Erp.Setup(e => e.PrepareTransactionAsync(It.IsAny<PrepareTransactionRequest>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(prepared);

    public void PrepareThrows(ErpErrorKind kind) =>
        Erp.Setup(e => e.PrepareTransactionAsync(It.IsAny<PrepareTransactionRequest>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ErpException(kind, "prepare failed", status: kind == ErpErrorKind.Rejected ? 409 : 503));
}
