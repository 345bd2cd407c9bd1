using System.Globalization;
using System.Text.Json;
using FunctionsIvr.Calls.Orders;

namespace FunctionsIvr.Calls;

/// <summary>
/// Reads a short list back to the caller, one action per callback (a prompt, the digits of a code, a number, a date).
/// The parts are built once, from one ERP read, and kept in the call state under the step's name; the Session keeps
/// only the position, so "hear it again" costs no ERP call. When the call state no longer holds them (expired, or the
/// callback landed on an instance whose memory never had them), the flow reads the ERP again and goes on where it was.
/// </summary>
public static class Announcement
{
    /// <summary>Session key: the index of the part being said.</summary>
    public const string PositionKey = "ai";

    /// <summary>Session key while the parts are built again: the read-out step and the position to go on from.</summary>
    public const string RebuildKey = "ar";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A read-out step: says the stored parts one by one, then goes to <paramref name="next"/>.</summary>
    /// <param name="rebuild">The step that reads the ERP and starts this read-out, for when the call state lost the parts.</param>
    public static void Define(FlowBuilder flow, string step, string next, string rebuild)
    {
        ArgumentNullException.ThrowIfNull(flow);
        flow.Step(step)
            .Enter(async ctx =>
            {
                var parts = await ReadAsync(ctx, step);
                var position = Position(ctx);
                var rebuilt = ctx.Get(RebuildKey)?.StartsWith(step + ":", StringComparison.Ordinal) == true;
                ctx.Set(RebuildKey, null);
                if (parts is null)
                {
                    // Built again once; still missing then (a store that keeps nothing), the caller is not sent round again.
                    if (rebuilt)
                    {
                        ctx.Note($"{step}: read-out lost again after reading the ERP; on to the menu");
                        return CallContext.Goto(next);
                    }

                    ctx.Note($"{step}: read-out not in the call state (expired, or another instance's memory); read again from the ERP");
                    ctx.Set(RebuildKey, string.Create(CultureInfo.InvariantCulture, $"{step}:{position}"));
                    return CallContext.Goto(rebuild);
                }

                return position < parts.Count ? Say(ctx, parts[position]) : CallContext.Goto(next);
            })
            .Resume(ctx =>
            {
                ctx.Set(PositionKey, (Position(ctx) + 1).ToString(CultureInfo.InvariantCulture));
                return CallContext.Goto(step);
            });
    }

    /// <summary>Stores <paramref name="parts"/> for the read-out <paramref name="step"/> and goes there, from the first part.</summary>
    public static async Task<StepResult> StartAsync(CallContext ctx, string step, IReadOnlyList<Spoken> parts)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        // Saved like the other read-out lists: a replay of this callback on another instance saving first is no failure.
        await CallStateLists.SaveAsync(ctx, step, parts);
        // From the start, or where the caller was when the call state lost the parts.
        var resumeAt = ctx.Get(RebuildKey) is { } rebuilding && rebuilding.StartsWith(step + ":", StringComparison.Ordinal)
            ? rebuilding[(step.Length + 1)..]
            : null;
        ctx.Set(PositionKey, resumeAt);
        return CallContext.Goto(step);
    }

    /// <summary>Rewinds the read-out (e.g. "press 1 to hear it again") and returns its step name.</summary>
    public static string Restart(CallContext ctx, string step)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.Set(PositionKey, null);
        return step;
    }

    /// <returns>The parts, or null when the call state does not hold them.</returns>
    private static async Task<IReadOnlyList<Spoken>?> ReadAsync(CallContext ctx, string step)
    {
        var state = await ctx.LoadStateAsync();
        return state.Values.TryGetValue(step, out var json) ? JsonSerializer.Deserialize<List<Spoken>>(json, Json) ?? [] : null;
    }

    private static int Position(CallContext ctx) =>
        int.TryParse(ctx.Get(PositionKey), NumberStyles.None, CultureInfo.InvariantCulture, out var position) ? position : 0;

    private static StepResult Say(CallContext ctx, Spoken part) => part.Kind switch
    {
        SpokenKind.Prompt => ctx.Play(part.Value),
        SpokenKind.Digits => ctx.SayDigits(part.Value),
        SpokenKind.Number => ctx.SayNumber(long.Parse(part.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)),
        SpokenKind.Date => ctx.SayDate(DateOnly.ParseExact(part.Value, Spoken.DateFormat, CultureInfo.InvariantCulture)),
        _ => throw new InvalidOperationException($"Unknown spoken part kind {part.Kind}."),
    };
}

public enum SpokenKind
{
    Prompt,
    Digits,
    Number,
    Date,
}

/// <summary>One part of an <see cref="Announcement"/>; the factories apply the house rules for saying values.</summary>
public sealed record Spoken(SpokenKind Kind, string Value)
{
    internal const string DateFormat = "yyyy-MM-dd";

    public static Spoken Prompt(string name) => new(SpokenKind.Prompt, name);

    public static Spoken Number(long value) => new(SpokenKind.Number, value.ToString(CultureInfo.InvariantCulture));

    public static Spoken Date(DateOnly date) => new(SpokenKind.Date, date.ToString(DateFormat, CultureInfo.InvariantCulture));

    /// <summary>The digits of <paramref name="text"/> (a product code), or null when it has none.</summary>
    public static Spoken? DigitsOf(string? text) =>
        SpokenNumbers.Digits(text) is { Length: > 0 } digits ? new Spoken(SpokenKind.Digits, digits) : null;

    /// <summary>The digits among the last four characters of an identifier; whole identifiers are never read.</summary>
    public static Spoken? LastDigitsOf(string? identifier) =>
        string.IsNullOrEmpty(identifier) ? null : DigitsOf(identifier[^Math.Min(4, identifier.Length)..]);

    /// <summary>
    /// A price in whole units, then the hundredths as a second number only when they are not zero; only for an amount in
    /// the prompts' currency (<see cref="SpokenMoney"/>).
    /// </summary>
    public static IEnumerable<Spoken> Amount(decimal value)
    {
        var hundredths = SpokenNumbers.Hundredths(Math.Abs(value));
        yield return Number(hundredths / 100);
        if (hundredths % 100 != 0) yield return Number(hundredths % 100);
    }

}
