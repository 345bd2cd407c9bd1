namespace FunctionsIvr.Simulator.Platform;

/// <summary>One round trip of a call: the callback the platform sent and the answer it got.</summary>
public sealed record Exchange
{
    /// <summary>1-based position in the call.</summary>
    public required int Number { get; init; }

    public required EncodedCallback Sent { get; init; }

    /// <summary>True when <see cref="Sent"/> is a byte-for-byte resend of the previous callback.</summary>
    public bool Repeated { get; init; }

    public required HttpAnswer Http { get; init; }

    public required ValidatedAnswer Answer { get; init; }

    public required TimeSpan Budget { get; init; }

    public TimeSpan Elapsed => Http.Elapsed;

    public bool OverBudget => Http.Elapsed > Budget;

    public AnsweredAction? Action => Answer.Action;

    public Callback Callback => Sent.Callback;
}
