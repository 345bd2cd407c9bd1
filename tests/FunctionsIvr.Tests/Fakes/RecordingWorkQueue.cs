using System.Text.Json;
using FunctionsIvr.Work;

namespace FunctionsIvr.Tests.Fakes;

/// <summary>
/// The work queue at the process edge: records what was sent and, like Service Bus duplicate detection, drops a
/// message whose MessageId the queue already has. Can be told to fail the next sends.
/// </summary>
public sealed class RecordingWorkQueue : IWorkQueue
{
    private readonly Lock _gate = new();
    private readonly List<WorkMessage> _accepted = [];
    private int _failuresToCome;
    private int _attempts;

    public IReadOnlyList<WorkMessage> Accepted
    {
        get
        {
            lock (_gate) return _accepted.ToList();
        }
    }

    /// <summary>Every send, accepted, dropped as a duplicate or failed.</summary>
    public int Attempts
    {
        get
        {
            lock (_gate) return _attempts;
        }
    }

    public IReadOnlyList<WorkMessage> On(string queueName) => Accepted.Where(m => m.QueueName == queueName).ToList();

    public T Body<T>(WorkMessage message, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize<T>(message.Body, options) ?? throw new InvalidOperationException("null body");

    /// <summary>The next <paramref name="count"/> sends throw, as an unreachable queue does.</summary>
    public void FailNext(int count)
    {
        lock (_gate) _failuresToCome = count;
    }

    public Task SendAsync(WorkMessage message, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _attempts++;
            if (_failuresToCome > 0)
            {
                _failuresToCome--;
                throw new HttpRequestException("queue unreachable");
            }

            if (!_accepted.Any(m => m.QueueName == message.QueueName && m.MessageId == message.MessageId)) _accepted.Add(message);
        }

        return Task.CompletedTask;
    }
}
