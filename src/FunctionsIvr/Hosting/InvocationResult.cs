using Microsoft.AspNetCore.Http;

namespace FunctionsIvr.Hosting;

/// <summary>
/// The answer to the Functions host: <c>{"Outputs":{…},"Logs":[…],"ReturnValue":…}</c>. Output keys must be the
/// binding names exactly as in function.json; each entry of <see cref="Logs"/> lands in the invocation's log
/// (Application Insights). Never sent empty or as <c>null</c>: the host would not complete the invocation.
/// </summary>
public sealed class InvocationResult
{
    public Dictionary<string, object?> Outputs { get; init; } = new(StringComparer.Ordinal);

    public List<string> Logs { get; init; } = [];

    public object? ReturnValue { get; init; }

    public static InvocationResult WithLogs(params IEnumerable<string> logs) => new() { Logs = [.. logs] };

    /// <summary>The result as an HTTP answer: PascalCase names, <c>application/json</c>, the given status.</summary>
    public IResult ToHttpResult(int statusCode = StatusCodes.Status200OK) =>
        Results.Json(this, InvocationJson.Options, InvocationJson.ContentType, statusCode);
}
