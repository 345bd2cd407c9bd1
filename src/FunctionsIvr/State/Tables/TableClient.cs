using System.Text.Json;
using Azure;
using Azure.Core;

namespace FunctionsIvr.State.Tables;

/// <summary>
/// One table over the Table Storage REST API, shaped like Azure.Data.Tables' <c>TableClient</c> (same method
/// names, parameters, return types and error behaviour), so moving to the SDK is a change of <c>using</c>.
/// Errors surface as <see cref="RequestFailedException"/> with the service's status and error code.
/// </summary>
public sealed class TableClient
{
    private const string NoMetadataJson = "application/json;odata=nometadata";
    private const string Json = "application/json";
    private static readonly RequestMethod Patch = new("PATCH");

    private readonly TableServiceContext _context;

    public TableClient(string connectionString, string tableName, TableClientOptions? options = null)
        : this(TableServiceContext.Create(connectionString, options), tableName)
    {
    }

    public TableClient(Uri endpoint, string tableName, TableSharedKeyCredential credential, TableClientOptions? options = null)
        : this(TableServiceContext.Create(endpoint, credential, options), tableName)
    {
    }

    public TableClient(Uri endpoint, string tableName, TokenCredential tokenCredential, TableClientOptions? options = null)
        : this(TableServiceContext.Create(endpoint, tokenCredential, options), tableName)
    {
    }

    public TableClient(Uri endpoint, string tableName, AzureSasCredential credential, TableClientOptions? options = null)
        : this(TableServiceContext.Create(endpoint, credential, options), tableName)
    {
    }

    internal TableClient(TableServiceContext context, string tableName)
    {
        TableKeys.ValidateTableName(tableName);
        _context = context;
        Name = tableName;
    }

    public string Name { get; }

    public string AccountName => _context.AccountName;

    /// <summary>The table's URI (<c>{endpoint}/{table}</c>).</summary>
    public Uri Uri => new(_context.Endpoint.AbsoluteUri.TrimEnd('/') + TablePaths.Table(Name));

    /// <summary>
    /// Quotes and escapes the interpolated values as OData literals, e.g.
    /// <c>CreateQueryFilter($"PartitionKey eq {callId} and Seq ge {from}")</c>.
    /// </summary>
    public static string CreateQueryFilter(FormattableString filter) => TableOdataFilter.Create(filter);

    /// <summary>Creates the table; a value of null (and no exception) when it already exists.</summary>
    public async Task<Response<TableItem>?> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = _context.CreateMessage(RequestMethod.Post, TablePaths.Tables);
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        TableServiceContext.SetJsonContent(message, JsonSerializer.SerializeToUtf8Bytes(new { TableName = Name }), NoMetadataJson);
        var response = await _context.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return response.Status switch
        {
            201 or 204 => Response.FromValue(new TableItem(Name), response),
            409 when ErrorCode(response) == TableErrorCode.TableAlreadyExists => null,
            _ => throw TableServiceContext.Failure(response),
        };
    }

    /// <summary>Deletes the table; a table that does not exist counts as deleted.</summary>
    public async Task<Response> DeleteAsync(CancellationToken cancellationToken = default)
    {
        using var message = _context.CreateMessage(RequestMethod.Delete, TablePaths.TableResource(Name));
        var response = await _context.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return response.Status is 204 or 404 ? response : throw TableServiceContext.Failure(response);
    }

    /// <summary>Inserts the entity; 409 <c>EntityAlreadyExists</c> when one with its keys is there. Sets its new ETag.</summary>
    public async Task<Response> AddEntityAsync<T>(T entity, CancellationToken cancellationToken = default) where T : TableEntity
    {
        ValidateEntity(entity);
        using var message = _context.CreateMessage(RequestMethod.Post, TablePaths.Table(Name));
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        TableServiceContext.SetJsonContent(message, TableEntityJson.Serialize(entity), NoMetadataJson);
        var response = await _context.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status is not (201 or 204)) throw TableServiceContext.Failure(response);
        SetETag(entity, response);
        return response;
    }

    /// <summary>The entity; 404 <c>ResourceNotFound</c> as an exception when it does not exist.</summary>
    public async Task<Response<T>> GetEntityAsync<T>(
        string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
        where T : TableEntity, new()
    {
        var (response, entity) = await GetEntityCoreAsync<T>(partitionKey, rowKey, select, cancellationToken).ConfigureAwait(false);
        return entity is null ? throw TableServiceContext.Failure(response) : Response.FromValue(entity, response);
    }

    /// <summary>The entity, or a response without a value when it does not exist (404 is not an error here).</summary>
    public async Task<NullableResponse<T>> GetEntityIfExistsAsync<T>(
        string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
        where T : TableEntity, new()
    {
        var (response, entity) = await GetEntityCoreAsync<T>(partitionKey, rowKey, select, cancellationToken).ConfigureAwait(false);
        if (entity is not null) return Response.FromValue(entity, response);
        return response.Status == 404 ? new MissingEntityResponse<T>(response) : throw TableServiceContext.Failure(response);
    }

    private async Task<(Response Response, T? Entity)> GetEntityCoreAsync<T>(
        string partitionKey, string rowKey, IEnumerable<string>? select, CancellationToken cancellationToken)
        where T : TableEntity, new()
    {
        TableKeys.Validate(partitionKey, nameof(partitionKey));
        TableKeys.Validate(rowKey, nameof(rowKey));
        using var message = _context.CreateMessage(RequestMethod.Get, TablePaths.Entity(Name, partitionKey, rowKey));
        var selected = select?.ToList();
        if (selected is { Count: > 0 }) message.Request.Uri.AppendQuery("$select", string.Join(',', selected), escapeValue: true);
        var response = await _context.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status != 200) return (response, null);
        using var document = JsonDocument.Parse(response.Content.ToMemory());
        return (response, TableEntityJson.Read<T>(document.RootElement, response.Headers.ETag ?? default));
    }

    /// <summary>
    /// Writes the entity whatever is there: Replace drops properties it lacks, Merge keeps them (the SDK's default).
    /// Sets its new ETag.
    /// </summary>
    public Task<Response> UpsertEntityAsync<T>(T entity, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
        where T : TableEntity =>
        WriteEntityAsync(entity, mode, ifMatch: null, cancellationToken);

    /// <summary>
    /// Updates an existing entity if its version is still <paramref name="ifMatch"/> (<see cref="ETag.All"/> for any):
    /// 412 <c>UpdateConditionNotSatisfied</c> when it changed, 404 when it is gone. Sets its new ETag.
    /// </summary>
    public Task<Response> UpdateEntityAsync<T>(
        T entity, ETag ifMatch, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
        where T : TableEntity
    {
        if (ifMatch == default)
        {
            throw new ArgumentException("An update needs the ETag it expects (ETag.All for any version).", nameof(ifMatch));
        }

        return WriteEntityAsync(entity, mode, ifMatch.ToString(), cancellationToken);
    }

    private async Task<Response> WriteEntityAsync<T>(T entity, TableUpdateMode mode, string? ifMatch, CancellationToken cancellationToken)
        where T : TableEntity
    {
        ValidateEntity(entity);
        var method = mode == TableUpdateMode.Replace ? RequestMethod.Put : Patch;
        using var message = _context.CreateMessage(method, TablePaths.Entity(Name, entity.PartitionKey, entity.RowKey));
        if (ifMatch is not null) message.Request.Headers.SetValue("If-Match", ifMatch);
        TableServiceContext.SetJsonContent(message, TableEntityJson.Serialize(entity), Json);
        var response = await _context.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status != 204) throw TableServiceContext.Failure(response);
        SetETag(entity, response);
        return response;
    }

    /// <summary>
    /// Deletes the entity if its version is still <paramref name="ifMatch"/> (default: any). A missing entity counts
    /// as deleted; a changed one gives 412.
    /// </summary>
    public async Task<Response> DeleteEntityAsync(
        string partitionKey, string rowKey, ETag ifMatch = default, CancellationToken cancellationToken = default)
    {
        TableKeys.Validate(partitionKey, nameof(partitionKey));
        TableKeys.Validate(rowKey, nameof(rowKey));
        using var message = _context.CreateMessage(RequestMethod.Delete, TablePaths.Entity(Name, partitionKey, rowKey));
        message.Request.Headers.SetValue("If-Match", ifMatch == default ? "*" : ifMatch.ToString());
        var response = await _context.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return response.Status is 204 or 404 ? response : throw TableServiceContext.Failure(response);
    }

    /// <summary>
    /// The entities matching <paramref name="filter"/> (build it with <see cref="CreateQueryFilter"/>), sorted by
    /// PartitionKey then RowKey, fetched <paramref name="maxPerPage"/> at a time (the service caps pages at 1000).
    /// </summary>
    public AsyncPageable<T> QueryAsync<T>(
        string? filter = null, int? maxPerPage = null, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
        where T : TableEntity, new()
    {
        if (maxPerPage is <= 0 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(maxPerPage), maxPerPage, "A page holds 1 to 1000 entities.");
        }

        return new TableQueryPageable<T>(_context, Name, filter, maxPerPage, select?.ToList(), cancellationToken);
    }

    /// <summary>
    /// Runs up to 100 operations on one partition as one atomic transaction. On failure nothing is applied and a
    /// <see cref="TableTransactionFailedException"/> names the failing operation. On success each sub-response
    /// carries its ETag, and the entities of writes get their new ETags.
    /// </summary>
    public async Task<Response<IReadOnlyList<Response>>> SubmitTransactionAsync(
        IEnumerable<TableTransactionAction> transactionActions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transactionActions);
        var actions = transactionActions.ToList();
        ValidateTransaction(actions);

        var (body, contentType) = TableBatchContent.Write(_context.Endpoint, Name, actions, Guid.NewGuid(), Guid.NewGuid());
        using var message = _context.CreateMessage(RequestMethod.Post, TablePaths.Batch);
        message.Request.Headers.SetValue("Content-Type", contentType);
        message.Request.Content = RequestContent.Create(body);
        var response = await _context.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status != 202) throw TableServiceContext.Failure(response);

        response.Headers.TryGetValue("Content-Type", out var responseType);
        var parts = TableBatchResponse.ParseAll(responseType ?? "", response.Content);
        var failed = parts.FirstOrDefault(p => p.Status >= 400);
        if (failed is not null) throw TransactionFailure(failed, actions.Count);
        if (parts.Count != actions.Count)
        {
            throw new RequestFailedException(response.Status, $"The batch answered {parts.Count} operations of {actions.Count}.", null, null);
        }

        for (var i = 0; i < actions.Count; i++)
        {
            if (actions[i].ActionType != TableTransactionActionType.Delete && parts[i].Headers.ETag is { } etag)
            {
                actions[i].Entity.ETag = etag;
            }
        }

        return Response.FromValue<IReadOnlyList<Response>>(parts, response);
    }

    private static TableTransactionFailedException TransactionFailure(TableBatchResponse failed, int actionCount)
    {
        var (code, message) = TablesRequestFailedDetailsParser.TryReadODataError(failed.Content);
        var index = TableBatchResponse.FailedIndex(message);
        if (index is not null && index >= actionCount) index = null;
        return new TableTransactionFailedException(
            failed.Status, message ?? $"The transaction failed with status {failed.Status}.", code, index);
    }

    private static void ValidateTransaction(List<TableTransactionAction> actions)
    {
        if (actions.Count is 0 or > 100)
        {
            throw new ArgumentException("A transaction holds 1 to 100 operations.", nameof(actions));
        }

        var partitionKey = actions[0].Entity.PartitionKey;
        var rowKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var action in actions)
        {
            ValidateEntity(action.Entity);
            if (!string.Equals(action.Entity.PartitionKey, partitionKey, StringComparison.Ordinal))
            {
                throw new ArgumentException("All operations of a transaction must share one PartitionKey.", nameof(actions));
            }

            if (!rowKeys.Add(action.Entity.RowKey))
            {
                throw new ArgumentException("A transaction may touch each entity only once.", nameof(actions));
            }
        }
    }

    private static void ValidateEntity(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        TableKeys.Validate(entity.PartitionKey, nameof(entity.PartitionKey));
        TableKeys.Validate(entity.RowKey, nameof(entity.RowKey));
    }

    private static void SetETag(TableEntity entity, Response response)
    {
        if (response.Headers.ETag is { } etag) entity.ETag = etag;
    }

    private static string? ErrorCode(Response response) =>
        TablesRequestFailedDetailsParser.TryReadODataError(response.Content).Code
        ?? (response.Headers.TryGetValue("x-ms-error-code", out var code) ? code : null);

    /// <summary>The "no such entity" answer of <see cref="GetEntityIfExistsAsync{T}"/>.</summary>
    private sealed class MissingEntityResponse<T>(Response response) : NullableResponse<T>
    {
        public override bool HasValue => false;
        public override T Value => throw new InvalidOperationException("The entity does not exist; check HasValue first.");
        public override Response GetRawResponse() => response;
    }
}
