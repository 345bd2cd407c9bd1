using Azure.Core;

namespace FunctionsIvr.State.Tables;

/// <summary>
/// Options for <see cref="TableServiceClient"/> and <see cref="TableClient"/>, shaped like Azure.Data.Tables':
/// retries, transport and diagnostics come from Azure.Core's <see cref="ClientOptions"/> (defaults: 3 retries,
/// exponential from 0.8 s, on 408/429/500/502/503/504 and network errors).
/// </summary>
public sealed class TableClientOptions : ClientOptions
{
    /// <summary>The REST version every request pins (<c>x-ms-version</c>); the one Azure.Data.Tables sends by default.</summary>
    public const string ServiceVersion = "2020-12-06";

    /// <summary>
    /// How long one try waits for Table Storage to answer, as the app configures it (Azure.Core's default is 100 s). A
    /// storage that takes the request and never answers then fails within about two minutes over all tries, inside a
    /// queue message's five-minute lock, instead of about seven; a Table Storage operation normally takes milliseconds.
    /// </summary>
    public static readonly TimeSpan NetworkTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Clock for <c>x-ms-date</c> on signed requests.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
