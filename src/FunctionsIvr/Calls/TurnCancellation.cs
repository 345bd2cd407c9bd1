using System.Diagnostics.CodeAnalysis;

namespace FunctionsIvr.Calls;

/// <summary>
/// Stops the work of one callback. It fires for two reasons that call for different endings: the work's time limit
/// (its result may still reach the caller through a replay on another instance), and the engine giving up on it
/// (<see cref="Abandoned"/>: the caller hears the apology instead, so nothing the work did may stand as if announced).
/// It also holds this instance's side of the turn's one decision: the work letting its outcome stand, or the engine
/// giving up on it, whichever comes first (<see cref="TryLetStand"/>, <see cref="TryAbandon"/>).
/// </summary>
internal sealed class TurnCancellation : CancellationTokenSource
{
    private const int Open = 0;
    private const int Stood = 1;
    private const int GivenUp = 2;

    private int _decision;
    private TurnOutcome? _standing;
    private int _held;

    /// <summary>The callback that started the work.</summary>
    public int Sequence { get; init; }

    /// <summary>
    /// The callback that first carried the work's input: <see cref="Sequence"/>, or earlier for a replay of a held
    /// callback. Every work of the turn, on whatever instance, shares its decision (<see cref="HeldTurns"/>).
    /// </summary>
    public int Turn { get; init; }

    public bool Abandoned => Volatile.Read(ref _decision) == GivenUp;

    /// <summary>The work let its outcome stand (<see cref="TryLetStand"/>) before any give-up here.</summary>
    public bool HasStood => Volatile.Read(ref _decision) == Stood;

    /// <summary>
    /// The work's callback was answered with a holding prompt, or the work replays one: its turn may be given up on by
    /// another instance, and only the call state says so (<see cref="HeldTurns"/>).
    /// </summary>
    public bool Held => Volatile.Read(ref _held) == 1;

    /// <summary>The work's side: false when the engine here gave up on the turn first.</summary>
    public bool TryLetStand(TurnOutcome outcome)
    {
        _standing = outcome;
        return Interlocked.CompareExchange(ref _decision, Stood, Open) != GivenUp;
    }

    /// <summary>
    /// The engine's side, before it cancels the work: false, with the work's outcome, when the work let it stand first.
    /// </summary>
    public bool TryAbandon([NotNullWhen(false)] out TurnOutcome? standing)
    {
        if (Interlocked.CompareExchange(ref _decision, GivenUp, Open) == Stood)
        {
            standing = _standing!;
            return false;
        }

        standing = null;
        return true;
    }

    /// <summary>Given up on whatever this instance decided: the call state's decision went against the work.</summary>
    public void MarkAbandoned() => Volatile.Write(ref _decision, GivenUp);

    /// <summary>
    /// From now on the turn may be given up on elsewhere. The work marks its decision, then reads <see cref="Held"/>; this
    /// marks held, then reads the decision (both with full fences), so at least one of the two sees the other: a work
    /// that stood too early to see the mark is returned here, and the engine writes the turn's row for it.
    /// </summary>
    /// <returns>The work's outcome when it had already let it stand; null otherwise.</returns>
    public TurnOutcome? MarkHeld()
    {
        // Held already: a work that stood after the first mark saw it and wrote the row itself.
        if (Interlocked.Exchange(ref _held, 1) == 1) return null;
        return Volatile.Read(ref _decision) == Stood ? _standing : null;
    }
}
