using Azure;

namespace FunctionsIvr.Orders;

/// <summary>
/// What state storage throws when it fails: <see cref="RequestFailedException"/> for an answer, or, once the client's
/// retries are spent on a storage that does not answer at all (connection refused, reset), Azure.Core's
/// <see cref="AggregateException"/> of them.
/// </summary>
internal static class StorageFailures
{
    public static bool IsStorageFailure(Exception e) =>
        e is RequestFailedException
        || e is AggregateException aggregate && aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(i => i is RequestFailedException);

    /// <summary>The HTTP status of the (last) failure; 0 when storage never answered.</summary>
    public static int Status(Exception e) => e switch
    {
        RequestFailedException r => r.Status,
        AggregateException a when a.InnerExceptions.LastOrDefault() is RequestFailedException r => r.Status,
        _ => 0,
    };
}
