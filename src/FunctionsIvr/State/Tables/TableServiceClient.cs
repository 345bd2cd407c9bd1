using Azure;
using Azure.Core;

namespace FunctionsIvr.State.Tables;

/// <summary>
/// The account's Table service, shaped like Azure.Data.Tables' <c>TableServiceClient</c>: one pipeline (one token
/// cache, one connection pool) shared by every <see cref="TableClient"/> it hands out.
/// </summary>
public sealed class TableServiceClient
{
    private readonly TableServiceContext _context;

    public TableServiceClient(string connectionString, TableClientOptions? options = null)
        => _context = TableServiceContext.Create(connectionString, options);

    public TableServiceClient(Uri endpoint, TableSharedKeyCredential credential, TableClientOptions? options = null)
        => _context = TableServiceContext.Create(endpoint, credential, options);

    /// <summary>Entra ID: tokens for <c>https://storage.azure.com/.default</c>; the endpoint must be https.</summary>
    public TableServiceClient(Uri endpoint, TokenCredential tokenCredential, TableClientOptions? options = null)
        => _context = TableServiceContext.Create(endpoint, tokenCredential, options);

    public TableServiceClient(Uri endpoint, AzureSasCredential credential, TableClientOptions? options = null)
        => _context = TableServiceContext.Create(endpoint, credential, options);

    public string AccountName => _context.AccountName;

    public Uri Uri => _context.Endpoint;

    public TableClient GetTableClient(string tableName) => new(_context, tableName);

    public Task<Response<TableItem>?> CreateTableIfNotExistsAsync(string tableName, CancellationToken cancellationToken = default) =>
        GetTableClient(tableName).CreateIfNotExistsAsync(cancellationToken);

    public Task<Response> DeleteTableAsync(string tableName, CancellationToken cancellationToken = default) =>
        GetTableClient(tableName).DeleteAsync(cancellationToken);
}
