using Microsoft.Extensions.Logging;

namespace FunctionsIvr.State.Tables;

/// <summary>
/// A table created on first use, once per process: the first caller sends "create if missing", everyone else
/// awaits that same attempt. A failed attempt is forgotten, so the next call tries again.
/// </summary>
internal sealed class CreateOnceTable(TableClient table, ILogger logger)
{
    private readonly Lock _gate = new();
    private Task? _creation;

    public string Name => table.Name;

    public async Task<TableClient> GetAsync(CancellationToken cancellationToken)
    {
        Task creation;
        lock (_gate)
        {
            if (_creation is null || _creation.IsFaulted || _creation.IsCanceled)
            {
                // Not tied to one caller's token: others may be waiting on the same attempt.
                _creation = CreateAsync();
            }

            creation = _creation;
        }

        await creation.WaitAsync(cancellationToken).ConfigureAwait(false);
        return table;
    }

    private async Task CreateAsync()
    {
        try
        {
            var created = await table.CreateIfNotExistsAsync(CancellationToken.None).ConfigureAwait(false);
            if (created is null) Log.TableExists(logger, table.Name);
            else Log.TableCreated(logger, table.Name);
        }
        catch (Exception e)
        {
            Log.TableCreateFailed(logger, table.Name, e);
            throw;
        }
    }
}
