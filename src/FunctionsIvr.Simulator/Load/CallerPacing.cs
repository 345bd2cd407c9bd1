namespace FunctionsIvr.Simulator.Load;

/// <summary>
/// How fast a simulated caller goes. A real caller listens to each prompt and takes time to press keys, so a call in
/// progress sends a callback every second or few, not back to back: before every callback but the first the caller
/// pauses <see cref="Think"/>, spread by <see cref="Jitter"/>. The first calls do not all ring at the same instant
/// either: each of them starts at a random moment within <see cref="RampUp"/>.
/// </summary>
public sealed record CallerPacing
{
    /// <summary>Back to back: the pause is zero and every call starts at once (a throughput test, not a call load).</summary>
    public static readonly CallerPacing None = new();

    /// <summary>The mean pause between an answer and the caller's next callback; zero = back to back.</summary>
    public TimeSpan Think { get; init; }

    /// <summary>0..1: a pause is drawn uniformly from <see cref="Think"/> × [1 − Jitter, 1 + Jitter].</summary>
    public double Jitter { get; init; }

    /// <summary>The calls of the first wave start at random moments within this; later calls start as earlier ones end.</summary>
    public TimeSpan RampUp { get; init; }

    /// <summary>The pause before the caller's next callback.</summary>
    public TimeSpan NextPause(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (Think <= TimeSpan.Zero) return TimeSpan.Zero;
        var jitter = Math.Clamp(Jitter, 0, 1);
        var factor = 1 - jitter + (2 * jitter * random.NextDouble());
        return TimeSpan.FromMilliseconds(Math.Round(Think.TotalMilliseconds * factor));
    }

    /// <summary>When call <paramref name="index"/> rings, from the start of the run: within the ramp-up for the first wave, else at once.</summary>
    public TimeSpan StartDelay(int index, int firstWave, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return RampUp <= TimeSpan.Zero || index >= firstWave
            ? TimeSpan.Zero
            : TimeSpan.FromMilliseconds(Math.Round(RampUp.TotalMilliseconds * random.NextDouble()));
    }
}
