namespace FunctionsIvr.Calls;

/// <summary>
/// Stops the work of one callback. It fires for two reasons that call for different endings: the work's time limit
/// (its result may still reach the caller through a replay on another instance), and the engine giving up on it
/// (<see cref="Abandoned"/>: the caller hears the apology instead, so nothing the work did may stand as if announced).
/// </summary>
internal sealed class TurnCancellation : CancellationTokenSource
{
    private volatile bool _abandoned;

    public bool Abandoned => _abandoned;

    /// <summary>Called before the token is cancelled, so work that sees the cancellation also sees why.</summary>
    public void MarkAbandoned() => _abandoned = true;
}
