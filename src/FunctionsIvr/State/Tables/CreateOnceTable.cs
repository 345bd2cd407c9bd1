using Azure;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.State.Tables;

/// <summary>
/// A table created on first use, once per process: the first caller sends "create if missing", everyone else
/// awaits that same attempt. A failed attempt is forgotten, so the next call tries again. So is one whose table
/// was deleted since (404 <c>TableNotFound</c>, e.g. a table deleted to clear it): <see cref="RunAsync{T}"/>
/// creates it again and runs the operation once more, instead of every write failing until the app restarts.
/// </summary>
internal sealed class CreateOnceTable(TableClient table, ILogger logger)
{
    private readonly Lock _gate = new();
    private Task? _creation;

    public string Name => table.Name;

    /// <summary>
    /// Runs <paramref name="operation"/> on the created table; when the service answers that the table does not
    /// exist, creates it again and runs the operation a second time.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<TableClient, Task<T>> operation, CancellationToken cancellationToken)
    {
        var creation = CreationAsync();
        await creation.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await operation(table).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404 && e.ErrorCode == TableErrorCode.TableNotFound)
        {
            Log.TableGone(logger, table.Name);
            lock (_gate)
            {
                // Only the attempt this operation relied on: a caller may already have started the next one.
                if (ReferenceEquals(_creation, creation)) _creation = null;
            }
        }

        await CreationAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return await operation(table).ConfigureAwait(false);
    }

    public Task RunAsync(Func<TableClient, Task> operation, CancellationToken cancellationToken) =>
        RunAsync(async t =>
        {
            await operation(t).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    private Task CreationAsync()
    {
        lock (_gate)
        {
            if (_creation is null || _creation.IsFaulted || _creation.IsCanceled)
            {
                // Not tied to one caller's token: others may be waiting on the same attempt.
                _creation = CreateAsync();
            }

            return _creation;
        }
    }

    private async Task CreateAsync()
    {
        try
        {
            var created = await table.CreateIfNotExistsAsync(CancellationToken.None).ConfigureAwait(false);
            if (created is null) Log.TableExists(logger, table.Name);
            else Log.TableCreated(logger, table.Name);
        }
        catch (RequestFailedException e) when (e.Status == 409 && e.ErrorCode == TableErrorCode.TableBeingDeleted)
        {
            // Storage not ready yet (a table deleted moments ago), not a conflict of the caller's write: the stores'
            // callers read 409 as "that entity exists already".
            Log.TableCreateFailed(logger, table.Name, e);
            throw new RequestFailedException(503, $"Table {table.Name} is still being deleted; it can be created again shortly.", e.ErrorCode, e);
        }
        catch (Exception e)
        {
            Log.TableCreateFailed(logger, table.Name, e);
            throw;
        }
    }
}
