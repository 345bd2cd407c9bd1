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

    /// <summary>Clock for <c>x-ms-date</c> on signed requests.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
