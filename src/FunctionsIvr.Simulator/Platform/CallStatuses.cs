namespace FunctionsIvr.Simulator.Platform;

/// <summary>The EventData values of a CallStatus event, in the platform's spelling (note <c>Noanswer</c>).</summary>
public static class CallStatuses
{
    public const string Answer = "Answer";
    public const string Busy = "Busy";
    public const string Noanswer = "Noanswer";
    public const string Cancel = "Cancel";
    public const string Error = "Error";

    public static readonly IReadOnlyList<string> All = [Answer, Busy, Noanswer, Cancel, Error];

    /// <summary>Accepts any casing (and <c>NoAnswer</c>) from a person and returns the platform's spelling.</summary>
    public static bool TryNormalize(string? text, out string status)
    {
        var trimmed = text?.Trim() ?? "";
        status = All.FirstOrDefault(s => string.Equals(s, trimmed, StringComparison.OrdinalIgnoreCase)) ?? "";
        return status.Length > 0;
    }
}
