using Azure;

namespace FunctionsIvr.State.Tables;

/// <summary>One operation of an entity group transaction (<see cref="TableClient.SubmitTransactionAsync"/>).</summary>
public sealed class TableTransactionAction(TableTransactionActionType actionType, TableEntity entity, ETag etag = default)
{
    public TableTransactionActionType ActionType { get; } = actionType;
    public TableEntity Entity { get; } = entity ?? throw new ArgumentNullException(nameof(entity));

    /// <summary>For updates and deletes: the version that must still be current; <c>default</c> means any (<c>*</c>).</summary>
    public ETag ETag { get; } = etag;
}

public enum TableTransactionActionType
{
    Add,
    UpdateMerge,
    UpdateReplace,
    Delete,
    UpsertMerge,
    UpsertReplace,
}
