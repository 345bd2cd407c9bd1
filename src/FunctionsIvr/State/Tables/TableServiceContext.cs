using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace FunctionsIvr.State.Tables;

/// <summary>What every table request shares: the endpoint, the pipeline (auth, retry) and the error parser.</summary>
internal sealed class TableServiceContext
{
    /// <summary>Azure Storage's Entra ID scope (resource <c>https://storage.azure.com/</c>).</summary>
    public const string StorageScope = "https://storage.azure.com/.default";

    private static readonly RequestFailedDetailsParser ErrorParser = new TablesRequestFailedDetailsParser();

    private TableServiceContext(Uri endpoint, string accountName, HttpPipeline pipeline)
    {
        Endpoint = endpoint;
        AccountName = accountName;
        Pipeline = pipeline;
    }

    /// <summary>The service endpoint with no trailing slash and no query.</summary>
    public Uri Endpoint { get; }

    public string AccountName { get; }

    public HttpPipeline Pipeline { get; }

    public static TableServiceContext Create(string connectionString, TableClientOptions? options)
    {
        var parsed = TableConnectionString.Parse(connectionString);
        return parsed.SasCredential is { } sas
            ? Create(parsed.TableEndpoint, sas, options)
            : Create(parsed.TableEndpoint, parsed.SharedKeyCredential!, options);
    }

    public static TableServiceContext Create(Uri endpoint, TableSharedKeyCredential credential, TableClientOptions? options)
    {
        ArgumentNullException.ThrowIfNull(credential);
        options ??= new TableClientOptions();
        return Build(endpoint, credential.AccountName, options, perCall: null, new TableSharedKeyLitePolicy(credential, options.TimeProvider));
    }

    public static TableServiceContext Create(Uri endpoint, TokenCredential credential, TableClientOptions? options)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return Build(endpoint, AccountNameOf(endpoint), options ?? new TableClientOptions(), perCall: null,
            new BearerTokenAuthenticationPolicy(credential, StorageScope));
    }

    public static TableServiceContext Create(Uri endpoint, AzureSasCredential credential, TableClientOptions? options)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return Build(endpoint, AccountNameOf(endpoint), options ?? new TableClientOptions(), new TableSasPolicy(credential), perRetry: null);
    }

    private static string AccountNameOf(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return TableConnectionString.AccountNameFromEndpoint(endpoint);
    }

    private static TableServiceContext Build(
        Uri endpoint, string accountName, TableClientOptions options, HttpPipelinePolicy? perCall, HttpPipelinePolicy? perRetry)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsAbsoluteUri || endpoint.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException("The table endpoint must be an absolute http(s) URI.", nameof(endpoint));
        }

        var pipelineOptions = new HttpPipelineOptions(options)
        {
            RequestFailedDetailsParser = ErrorParser,
            ResponseClassifier = new ResponseClassifier(),
        };
        if (perCall is not null) pipelineOptions.PerCallPolicies.Add(perCall);
        if (perRetry is not null) pipelineOptions.PerRetryPolicies.Add(perRetry);
        var normalized = new Uri(endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/'));
        return new TableServiceContext(normalized, accountName, HttpPipelineBuilder.Build(pipelineOptions));
    }

    /// <summary>A request with the headers every Table operation needs (version, OData, JSON with type annotations).</summary>
    public HttpMessage CreateMessage(RequestMethod method, string encodedPath)
    {
        var message = Pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(Endpoint);
        request.Uri.AppendPath(encodedPath, escape: false);
        request.Headers.SetValue("x-ms-version", TableClientOptions.ServiceVersion);
        request.Headers.SetValue("DataServiceVersion", "3.0");
        request.Headers.SetValue("Accept", "application/json;odata=minimalmetadata");
        return message;
    }

    public static void SetJsonContent(HttpMessage message, byte[] json, string contentType)
    {
        message.Request.Headers.SetValue("Content-Type", contentType);
        message.Request.Content = RequestContent.Create(json);
    }

    public async Task<Response> SendAsync(HttpMessage message, CancellationToken cancellationToken)
    {
        await Pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return message.Response;
    }

    public static RequestFailedException Failure(Response response) => new(response, null, ErrorParser);
}
