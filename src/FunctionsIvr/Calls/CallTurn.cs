using FunctionsIvr.Ivr;

namespace FunctionsIvr.Calls;

/// <summary>The engine's answer to one callback: the action, the Session to send with it, and what happened on the way.</summary>
public sealed record CallTurn(IvrAction Action, CallSession Session, string FromStep, IReadOnlyList<string> Notes)
{
    /// <summary>True when the answer is a safe path taken because something failed.</summary>
    public bool IsFallback { get; init; }

    /// <summary>True when slow work did not finish in budget and a holding prompt was answered instead.</summary>
    public bool IsHold { get; init; }
}
