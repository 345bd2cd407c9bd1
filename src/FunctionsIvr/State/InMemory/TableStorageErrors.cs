using Azure;

namespace FunctionsIvr.State.InMemory;

/// <summary>
/// The errors Table Storage answers with, so code written against the in-memory stores handles the same
/// <see cref="RequestFailedException"/> statuses and error codes it will meet in Azure.
/// </summary>
internal static class TableStorageErrors
{
    public static RequestFailedException EntityAlreadyExists(string what) =>
        new(409, $"The specified entity already exists: {what}.", "EntityAlreadyExists", null);

    public static RequestFailedException UpdateConditionNotSatisfied(string what) =>
        new(412, $"The update condition specified in the request was not satisfied: {what} was changed since it was read.", "UpdateConditionNotSatisfied", null);

    public static RequestFailedException ResourceNotFound(string what) =>
        new(404, $"The specified resource does not exist: {what}.", "ResourceNotFound", null);

    /// <summary>A fresh weak ETag, shaped like the ones Table Storage hands out.</summary>
    public static ETag NewETag() => new($"W/\"mem'{Guid.NewGuid():N}'\"");
}
