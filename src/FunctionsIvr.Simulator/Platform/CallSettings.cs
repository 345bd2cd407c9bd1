namespace FunctionsIvr.Simulator.Platform;

/// <summary>What the platform knows about one call before it starts: where the app is, the caller and the panel settings.</summary>
public sealed record CallSettings
{
    public static readonly Uri DefaultUrl = new("http://127.0.0.1:7071/api/ivr");
    public const string DefaultFromNumber = "48600100200";
    public const string DefaultToNumber = "48221234567";
    public static readonly TimeSpan DefaultBudget = TimeSpan.FromMilliseconds(1500);
    /// <summary>The panel's max wait as docs/deploy.md sets it: past it the real platform takes its fallback.</summary>
    public static readonly TimeSpan DefaultMaxWait = TimeSpan.FromMilliseconds(3000);

    public Uri Url { get; init; } = DefaultUrl;

    /// <summary>The panel's shared secret; null leaves <c>Hash</c> out of the callback, as an unconfigured panel does.</summary>
    public string? Hash { get; init; }

    public CallbackEncoding Encoding { get; init; } = CallbackEncoding.Json;

    public string FromNumber { get; init; } = DefaultFromNumber;

    public string ToNumber { get; init; } = DefaultToNumber;

    /// <summary>The time the app promises to answer in; an answer slower than this is reported as an overrun.</summary>
    public TimeSpan Budget { get; init; } = DefaultBudget;

    /// <summary>The panel's "max wait for the app response": past it the platform gives up (app timeout).</summary>
    public TimeSpan MaxWait { get; init; } = DefaultMaxWait;
}
