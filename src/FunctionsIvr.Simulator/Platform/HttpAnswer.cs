namespace FunctionsIvr.Simulator.Platform;

/// <summary>What came back over HTTP for one callback, and how long it took.</summary>
/// <param name="StatusCode">Null when no HTTP answer arrived at all (see <paramref name="TransportError"/>).</param>
/// <param name="ContentType">The full Content-Type header, null when absent.</param>
/// <param name="TransportError">Why no answer arrived: refused connection, the platform's max wait passed…</param>
public sealed record HttpAnswer(int? StatusCode, string? ContentType, byte[] Body, TimeSpan Elapsed, string? TransportError = null)
{
    public static HttpAnswer Failed(string error, TimeSpan elapsed) => new(null, null, [], elapsed, error);
}
