namespace FunctionsIvr.Work;

/// <summary>
/// Registered by a work queue that keeps its messages in process memory (the in-process queue), never by a durable one
/// (Service Bus). A restart loses what such a queue held, so anything sent before <see cref="StartedAt"/> went into a
/// queue that no longer exists: the outbox sweep sends orders still Queued from before then again.
/// </summary>
/// <param name="StartedAt">When this process's queue was created; every message it holds was sent at or after it.</param>
public sealed record VolatileWorkQueue(DateTimeOffset StartedAt);
