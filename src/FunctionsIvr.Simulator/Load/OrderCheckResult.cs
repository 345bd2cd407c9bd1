namespace FunctionsIvr.Simulator.Load;

/// <summary>
/// The orders callers heard accepted, held against the orders the ERP holds for the same calls, call by call: each
/// accepted order must be exactly one order in the ERP carrying the call's id.
/// </summary>
public sealed record OrderCheckResult
{
    /// <summary>Times callers heard "order accepted".</summary>
    public required int Accepted { get; init; }

    /// <summary>Accepted orders matched by exactly one ERP order of the same call.</summary>
    public required int CommittedExactlyOnce { get; init; }

    /// <summary>ERP orders beyond the number the call's caller heard accepted (the same order committed twice).</summary>
    public required int Duplicates { get; init; }

    /// <summary>ERP orders of this run's calls whose caller never heard "accepted".</summary>
    public required int Unannounced { get; init; }

    /// <summary>Accepted orders with no ERP order of the call.</summary>
    public required int Missing { get; init; }

    /// <summary>Orders whose commit reached the ERP more than once (a redelivery: still one order, as it should be).</summary>
    public int CommitRedeliveries { get; init; }

    /// <summary>Prepared transactions still open in the ERP (reserved, neither committed nor released) when the check ended.</summary>
    public int OpenTransactions { get; init; }

    /// <summary>True when nothing was missing and no transaction was open; false when the wait ended by settling or timing out.</summary>
    public bool Drained { get; init; }

    /// <summary>How long the check waited for the commits after the last call ended.</summary>
    public TimeSpan Waited { get; init; }

    /// <summary>Why the ERP could not be read, when it could not.</summary>
    public string? Error { get; init; }

    public bool Passed => Error is null && Duplicates == 0 && Unannounced == 0 && Missing == 0;

    /// <summary>"yes", or "NO (…)" saying what is wrong.</summary>
    public string Verdict
    {
        get
        {
            // Open transactions are not this run's orders yet: prepared for a caller who never confirmed, released at expiry.
            if (Passed) return OpenTransactions == 0 ? "yes" : $"yes ({OpenTransactions} prepared transactions still open in the ERP, released when they expire)";
            if (Error is not null) return $"NO (the ERP's placed orders could not be read: {Error})";
            var wrong = new List<string>();
            if (Missing > 0) wrong.Add($"{Missing} missing");
            if (Duplicates > 0) wrong.Add($"{Duplicates} duplicates");
            if (Unannounced > 0) wrong.Add($"{Unannounced} committed without the caller hearing accepted");
            return $"NO ({CommittedExactlyOnce} of {Accepted} accepted committed exactly once; {string.Join(", ", wrong)})";
        }
    }
}
