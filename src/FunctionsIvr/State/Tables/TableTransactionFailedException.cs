using Azure;

namespace FunctionsIvr.State.Tables;

/// <summary>
/// A transaction that the service rolled back: <see cref="RequestFailedException.Status"/> and
/// <see cref="RequestFailedException.ErrorCode"/> are the failing operation's, and
/// <see cref="FailedTransactionActionIndex"/> its zero-based position.
/// </summary>
public sealed class TableTransactionFailedException : RequestFailedException
{
    public TableTransactionFailedException(int status, string message, string? errorCode, int? failedTransactionActionIndex)
        : base(status, message, errorCode, innerException: null)
    {
        FailedTransactionActionIndex = failedTransactionActionIndex;
    }

    public int? FailedTransactionActionIndex { get; }
}
