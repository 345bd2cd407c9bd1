using Microsoft.Extensions.Logging;

namespace FunctionsIvr.State.Tables;

internal static partial class Log
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Created table {Table}")]
    public static partial void TableCreated(ILogger logger, string table);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Debug, Message = "Table {Table} already exists")]
    public static partial void TableExists(ILogger logger, string table);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Could not create table {Table}; the next call tries again")]
    public static partial void TableCreateFailed(ILogger logger, string table, Exception exception);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "Table {Table} no longer exists (deleted since it was created); creating it again")]
    public static partial void TableGone(ILogger logger, string table);
}
