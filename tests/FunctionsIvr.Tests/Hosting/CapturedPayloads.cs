namespace FunctionsIvr.Tests.Hosting;

/// <summary>
/// Invocation payloads shaped like the ones the Functions host sends (research notes §3.2–3.4: anthonychu's captured
/// .NET payload, the azfunc Go library's extension-5 fixtures, the host's own serializer rules).
/// </summary>
internal static class CapturedPayloads
{
    /// <summary>Service Bus extension 5: body double-encoded, scalars JSON-encoded, dates unquoted, body properties promoted.</summary>
    public const string ServiceBusDoubleEncoded = """
        { "Data": { "msg": "\"{\\\"orderId\\\":42}\"" },
          "Metadata": { "DeliveryCount": "1", "SequenceNumber": "1",
            "MessageId": "\"088fb2b9a1c34e0f9d6f1c2b3a4d5e6f\"", "LockToken": "\"4e77aa31-2d7c-4c5b-9a51-2f0e6f1d3c11\"",
            "ContentType": "\"application/json\"", "Subject": "\"CommitOrder\"", "CorrelationId": "\"call-7731\"",
            "EnqueuedTimeUtc": "2023-10-12T20:13:49", "EnqueuedTime": "2023-10-12T20:13:49+00:00", "ExpiresAtUtc": "2023-10-26T20:13:49",
            "ApplicationProperties": { "tenant": "a", "attempt": 2, "urgent": true }, "UserProperties": { "tenant": "a", "attempt": 2, "urgent": true },
            "MessageActions": {}, "Client": { "FullyQualifiedNamespace": "ns.servicebus.windows.net", "IsClosed": false },
            "sys": { "MethodName": "CommitOrder", "UtcNow": "2023-10-12T20:13:50.1234567Z", "RandGuid": "5b0e2a8e-6b1f-4a7e-9f55-0d3c2b1a0f9e" },
            "orderId": "42" } }
        """;

    /// <summary>The Go library's extension-5 fixture style: body single-encoded.</summary>
    public const string ServiceBusSingleEncoded = """
        { "Data": { "msg": "{\"message\":\"hello\"}" },
          "Metadata": { "DeliveryCount": "3", "MessageId": "\"m-1\"", "ContentType": "\"application/json\"",
            "EnqueuedTimeUtc": "2023-10-12T20:13:49", "ApplicationProperties": {},
            "sys": { "MethodName": "CommitOrder", "UtcNow": "2023-10-12T20:13:50Z", "RandGuid": "x" } } }
        """;

    /// <summary>An older host: everything quoted, the time with Z, Label instead of Subject, UserProperties only.</summary>
    public const string ServiceBusOlderHostQuoted = """
        { "Data": { "msg": "\"plain text body\"" },
          "Metadata": { "DeliveryCount": "\"2\"", "MessageId": "\"m-2\"", "Label": "\"SendEscalation\"",
            "EnqueuedTimeUtc": "\"2020-05-01T10:00:00Z\"", "UserProperties": { "channel": "email" } } }
        """;

    /// <summary>A message from a dead-letter queue: Service Bus stamps the reason into the application properties.</summary>
    public const string ServiceBusDeadLettered = """
        { "Data": { "msg": "\"{\\\"transactionId\\\":\\\"tx-9\\\"}\"" },
          "Metadata": { "DeliveryCount": "1", "MessageId": "\"tx-9\"", "Subject": "\"CommitOrder\"",
            "EnqueuedTimeUtc": "2023-10-12T20:13:49", "DeadLetterSource": "\"order-commits\"",
            "ApplicationProperties": { "DeadLetterReason": "MaxDeliveryCountExceeded", "DeadLetterErrorDescription": "Message could not be consumed after 10 delivery attempts." } } }
        """;

    /// <summary>A timer with schedule monitoring.</summary>
    public const string TimerMonitored = """
        { "Data": { "timer": { "Schedule": { "AdjustForDST": true },
            "ScheduleStatus": { "Last": "2023-10-12T20:10:00+00:00", "Next": "2023-10-12T20:15:00+00:00", "LastUpdated": "2023-10-12T20:10:00.0201234+00:00" },
            "IsPastDue": false } },
          "Metadata": { "sys": { "MethodName": "SweepOutbox", "UtcNow": "2023-10-12T20:15:00.0040000Z", "RandGuid": "r" } } }
        """;

    /// <summary>A timer without monitoring (ScheduleStatus null), firing late.</summary>
    public const string TimerUnmonitoredPastDue = """
        { "Data": { "timer": { "Schedule": { "AdjustForDST": true }, "ScheduleStatus": null, "IsPastDue": true } },
          "Metadata": { "sys": { "MethodName": "SweepOutbox", "UtcNow": "2023-10-12T20:15:07Z", "RandGuid": "r" } } }
        """;
}
