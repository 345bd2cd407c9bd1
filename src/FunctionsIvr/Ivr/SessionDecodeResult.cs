namespace FunctionsIvr.Ivr;

/// <summary>
/// What <see cref="SessionCodec.Decode"/> made of the Session the platform sent back: none yet (first callback),
/// a verified <see cref="CallSession"/>, or a refusal with its reason.
/// </summary>
public sealed record SessionDecodeResult
{
    private SessionDecodeResult(SessionDecodeStatus status, CallSession? session, SessionInvalidReason? reason, bool signedWithPreviousKey)
    {
        Status = status;
        Session = session;
        Reason = reason;
        SignedWithPreviousKey = signedWithPreviousKey;
    }

    public static SessionDecodeResult Missing { get; } = new(SessionDecodeStatus.Missing, null, null, false);

    public SessionDecodeStatus Status { get; }

    /// <summary>Set only when <see cref="Status"/> is <see cref="SessionDecodeStatus.Valid"/>.</summary>
    public CallSession? Session { get; }

    /// <summary>Set only when <see cref="Status"/> is <see cref="SessionDecodeStatus.Invalid"/>.</summary>
    public SessionInvalidReason? Reason { get; }

    /// <summary>Verified with <c>Ivr:PreviousSessionKey</c>: a call that started before the key was rotated.</summary>
    public bool SignedWithPreviousKey { get; }

    public bool IsValid => Status == SessionDecodeStatus.Valid;

    public static SessionDecodeResult Valid(CallSession session, bool signedWithPreviousKey = false) =>
        new(SessionDecodeStatus.Valid, session ?? throw new ArgumentNullException(nameof(session)), null, signedWithPreviousKey);

    public static SessionDecodeResult Invalid(SessionInvalidReason reason) => new(SessionDecodeStatus.Invalid, null, reason, false);
}

public enum SessionDecodeStatus
{
    /// <summary>No Session: the first callback of a call.</summary>
    Missing,
    Valid,
    Invalid,
}

public enum SessionInvalidReason
{
    /// <summary>The signature does not match the content: edited, or signed with a key we no longer know.</summary>
    Tampered,

    /// <summary>A genuine Session, but issued for another UniqueCallId (replayed).</summary>
    OtherCall,

    /// <summary>Written by a version of the app this one does not read.</summary>
    UnknownVersion,

    /// <summary>Not an object of the expected shape (missing or extra keys, wrong types).</summary>
    Malformed,

    /// <summary>Larger than <c>Ivr:SessionMaxBytes</c>.</summary>
    TooLarge,
}
