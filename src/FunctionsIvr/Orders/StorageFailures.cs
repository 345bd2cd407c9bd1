using Azure;

namespace FunctionsIvr.Orders;

/// <summary>
/// What state storage throws when it fails: <see cref="RequestFailedException"/> for an answer, or, once the client's
/// retries are spent on a storage that does not answer at all, Azure.Core's <see cref="AggregateException"/> of each
/// try's failure: a <see cref="RequestFailedException"/> when the connection was refused or reset, a
/// <see cref="TaskCanceledException"/> when it was accepted and nothing came back within the network timeout. (The
/// caller's own cancellation ends the retries at once and is never aggregated.)
/// </summary>
internal static class StorageFailures
{
    public static bool IsStorageFailure(Exception e) =>
        e is RequestFailedException
        || e is AggregateException aggregate && aggregate.InnerExceptions.Count > 0
        && aggregate.InnerExceptions.All(i => i is RequestFailedException or TaskCanceledException);

    /// <summary>The HTTP status of the (last) failure; 0 when storage never answered.</summary>
    public static int Status(Exception e) => e switch
    {
        RequestFailedException r => r.Status,
        AggregateException a when a.InnerExceptions.LastOrDefault() is RequestFailedException r => r.Status,
        _ => 0,
    };
}
