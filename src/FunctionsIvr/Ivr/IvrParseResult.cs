namespace FunctionsIvr.Ivr;

/// <summary>
/// The outcome of reading one callback body: a <see cref="Request"/>, or an <see cref="Error"/> saying why not.
/// <see cref="Hash"/> is the Hash found in the body, kept even when the request was refused (a request without
/// UniqueCallId can still carry the right Hash); the endpoint filter clears it once it has been checked.
/// </summary>
public sealed record IvrParseResult
{
    private IvrParseResult(IvrRequest? request, IvrParseError? error, string? hash)
    {
        Request = request;
        Error = error;
        Hash = hash;
    }

    public IvrRequest? Request { get; }

    public IvrParseError? Error { get; }

    public string? Hash { get; init; }

    public bool Succeeded => Request is not null;

    public static IvrParseResult Success(IvrRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new(request, null, request.Hash);
    }

    public static IvrParseResult Failure(IvrParseErrorKind kind, string reason, string? hash = null) =>
        new(null, new IvrParseError(kind, reason), hash);

    /// <summary>The same result without the shared secret, for everything after the Hash check.</summary>
    public IvrParseResult WithoutHash() =>
        Request is null ? new(null, Error, null) : new(Request with { Hash = null }, null, null);
}

/// <summary>Why a body is not a usable callback. <see cref="Reason"/> is safe to log: it never quotes the body.</summary>
public sealed record IvrParseError(IvrParseErrorKind Kind, string Reason);

public enum IvrParseErrorKind
{
    /// <summary>No bytes, or only whitespace.</summary>
    EmptyBody,

    /// <summary>Not a JSON object, and no form field <c>request</c> holding one.</summary>
    NoRequestField,

    /// <summary>Not valid JSON, invalid UTF-8, or nested too deep.</summary>
    MalformedJson,

    /// <summary>Valid JSON, but the request is not an object.</summary>
    NotAnObject,

    /// <summary>The request object has no (or an empty) UniqueCallId.</summary>
    MissingUniqueCallId,
}
