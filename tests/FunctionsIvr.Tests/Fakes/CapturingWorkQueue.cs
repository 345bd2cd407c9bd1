using FunctionsIvr.Work;

namespace FunctionsIvr.Tests.Fakes;

/// <summary>
/// The work queue at the process edge: records what was sent and drops a repeated MessageId per queue, as Service Bus
/// duplicate detection does. <see cref="FailSends"/> makes sends fail like an unreachable namespace.
/// </summary>
public sealed class CapturingWorkQueue : IWorkQueue
{
    private readonly Lock gate = new();
    private readonly List<WorkMessage> accepted = [];
    private readonly List<WorkMessage> duplicates = [];

    /// <summary>Sends to fail from now on (0: none; <see cref="int.MaxValue"/>: all).</summary>
    public int FailSends { get; set; }

    /// <summary>Runs before a send is accepted (e.g. to look at the outbox at that moment).</summary>
    public Action<WorkMessage>? OnSend { get; set; }

    public IReadOnlyList<WorkMessage> Accepted
    {
        get { lock (gate) return accepted.ToList(); }
    }

    public IReadOnlyList<WorkMessage> Duplicates
    {
        get { lock (gate) return duplicates.ToList(); }
    }

    public IReadOnlyList<WorkMessage> On(string queueName) => Accepted.Where(m => m.QueueName == queueName).ToList();

    public Task SendAsync(WorkMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (gate)
        {
            if (FailSends > 0)
            {
                FailSends--;
                throw new HttpRequestException("queue unreachable");
            }
        }

        OnSend?.Invoke(message);
        lock (gate)
        {
            if (accepted.Any(m => m.QueueName == message.QueueName && m.MessageId == message.MessageId)) duplicates.Add(message);
            else accepted.Add(message);
        }

        return Task.CompletedTask;
    }
}
