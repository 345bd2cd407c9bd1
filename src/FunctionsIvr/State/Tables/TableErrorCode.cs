namespace FunctionsIvr.State.Tables;

/// <summary>Error codes Table Storage puts in <c>odata.error.code</c> (the ones this app acts on).</summary>
public static class TableErrorCode
{
    public const string TableAlreadyExists = "TableAlreadyExists";
    public const string TableNotFound = "TableNotFound";
    public const string TableBeingDeleted = "TableBeingDeleted";
    public const string EntityAlreadyExists = "EntityAlreadyExists";
    public const string ResourceNotFound = "ResourceNotFound";
    public const string UpdateConditionNotSatisfied = "UpdateConditionNotSatisfied";
    public const string InvalidInput = "InvalidInput";
    public const string AuthorizationFailure = "AuthorizationFailure";
}
