namespace FunctionsIvr.Calls;

/// <summary>
/// Stops the work of one callback. It fires for two reasons that call for different endings: the work's time limit
/// (its result may still reach the caller through a replay on another instance), and the engine giving up on it
/// (<see cref="Abandoned"/>: the caller hears the apology instead, so nothing the work did may stand as if announced).
/// </summary>
internal sealed class TurnCancellation : CancellationTokenSource
{
    private volatile bool _abandoned;
    private volatile bool _held;

    /// <summary>The callback that started the work: the turn an abandonment recorded in the call state names.</summary>
    public int Sequence { get; init; }

    public bool Abandoned => _abandoned;

    /// <summary>
    /// The work's callback was answered with a holding prompt: from then on the replay may land on another instance,
    /// and only the call state says whether that instance gave up on the turn (<see cref="AbandonedTurns"/>).
    /// </summary>
    public bool Held => _held;

    /// <summary>Called before the token is cancelled, so work that sees the cancellation also sees why.</summary>
    public void MarkAbandoned() => _abandoned = true;

    public void MarkHeld() => _held = true;
}
