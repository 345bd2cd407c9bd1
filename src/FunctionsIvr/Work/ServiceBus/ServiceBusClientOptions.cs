using Azure.Core;

namespace FunctionsIvr.Work.ServiceBus;

/// <summary>
/// Options for <see cref="ServiceBusRestClient"/>. Retries, transport and diagnostics come from Azure.Core's
/// <see cref="ClientOptions"/>; its default retry (3 times, exponential from 0.8 s, on 408/429/500/502/503/504 and
/// network errors) is safe for sends because every message carries a MessageId and the queues detect duplicates.
/// </summary>
public sealed class ServiceBusClientOptions : ClientOptions
{
    /// <summary>The Standard tier's limit; Premium accepts 1 MB over HTTP. Checked before sending.</summary>
    public const int StandardMaxMessageSizeInBytes = 256 * 1024;

    /// <summary>Largest message (body + broker and application properties) sent; larger ones fail without a request.</summary>
    public int MaxMessageSizeInBytes { get; set; } = StandardMaxMessageSizeInBytes;

    /// <summary>How long a SAS token this client makes is valid (the SDK's default); renewed 5 minutes before it ends.</summary>
    public TimeSpan SasTokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long one send waits for Service Bus to answer, as the app configures it (Azure.Core's default is 100 s): a
    /// namespace that takes the request and never answers fails a background send within about two minutes over all
    /// tries, inside the five-minute lock of the message being processed. The call path bounds its sends far shorter.
    /// </summary>
    public static readonly TimeSpan NetworkTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Clock for SAS token expiry.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
