using System.Text.Json;

namespace FunctionsIvr.Simulator.Platform;

/// <summary>
/// The platform's side of one call: sends the Connected callback, then after each answered action the event that
/// action produces, echoing the Session the app returned. The call ends on Hangup or DontAnswer, or when an answer
/// is unusable (the real platform would take its panel fallback and the app hears no more of the call).
/// </summary>
public sealed class CallDriver(PlatformClient client, ResponseValidator validator, CallSettings settings, string uniqueCallId)
{
    private readonly List<Exchange> exchanges = [];

    public string UniqueCallId { get; } = uniqueCallId;

    public CallSettings Settings { get; } = settings;

    public IReadOnlyList<Exchange> Exchanges => exchanges;

    public Exchange? Last => exchanges.Count == 0 ? null : exchanges[^1];

    public bool HasStarted => exchanges.Count > 0;

    public bool HasEnded => EndReason is not null;

    /// <summary>Why the call is over, in words; null while it goes on.</summary>
    public string? EndReason { get; private set; }

    /// <summary>True once a Call… action was answered by the destination: the caller now talks to a person.</summary>
    public bool Bridged { get; private set; }

    /// <summary>A call id in no particular platform format (the real one is opaque too).</summary>
    public static string NewCallId() => "sim-" + Guid.NewGuid().ToString("N")[..20];

    public Task<Exchange> StartAsync(CancellationToken cancellationToken = default)
    {
        if (HasStarted)
        {
            throw new InvalidOperationException("The call has already started.");
        }

        return SendAsync(NewCallback(PlatformEvent.Connected, session: null, error: null), repeated: false, cancellationToken);
    }

    /// <summary>Reports what happened after the last answered action and returns the app's next answer.</summary>
    public Task<Exchange> ContinueAsync(CallInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var last = Last ?? throw new InvalidOperationException("The call has not started.");
        if (HasEnded)
        {
            throw new InvalidOperationException("The call has ended: " + EndReason);
        }

        var next = PlatformEvent.After(last.Action!, input);
        if (next.Name == "CallStatus" && next.Data == CallStatuses.Answer)
        {
            Bridged = true;
        }

        return SendAsync(NewCallback(next, last.Answer.Session, input.Error), repeated: false, cancellationToken);
    }

    /// <summary>Sends the previous callback again, byte for byte: a platform retry, to check the app is idempotent.</summary>
    public Task<Exchange> RepeatAsync(CancellationToken cancellationToken = default)
    {
        var last = Last ?? throw new InvalidOperationException("The call has not started.");
        return SendAsync(last.Sent, repeated: true, cancellationToken);
    }

    private Callback NewCallback(PlatformEvent platformEvent, JsonElement? session, PlatformError? error) => new()
    {
        UniqueCallId = UniqueCallId,
        FromNumber = Settings.FromNumber,
        ToNumber = Settings.ToNumber,
        Hash = Settings.Hash,
        Event = platformEvent,
        Session = session,
        Error = error,
    };

    private Task<Exchange> SendAsync(Callback callback, bool repeated, CancellationToken cancellationToken) =>
        SendAsync(EncodedCallback.Encode(callback, Settings.Encoding), repeated, cancellationToken);

    private async Task<Exchange> SendAsync(EncodedCallback sent, bool repeated, CancellationToken cancellationToken)
    {
        var http = await client.SendAsync(Settings.Url, sent, Settings.MaxWait, cancellationToken);
        var exchange = new Exchange
        {
            Number = exchanges.Count + 1,
            Sent = sent,
            Repeated = repeated,
            Http = http,
            Answer = validator.Validate(http),
            Budget = Settings.Budget,
        };
        exchanges.Add(exchange);
        EndReason = exchange switch
        {
            { Http.TransportError: not null } => "the app did not answer; the platform takes its fallback",
            { Answer.IsValid: false } => "the answer broke the protocol; the platform takes its fallback",
            { Action.EndsCall: true } => exchange.Action!.Type,
            _ => null,
        };
        return exchange;
    }
}
