using System.Text;
using FunctionsIvr.Erp;
using FunctionsIvr.Ivr;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Calls;

/// <summary>
/// Cold start: while the server starts and the first callback is on its way, builds on the other core what that
/// callback needs — the call flows, the Session codec, the callback parser, the ERP client and its contract's
/// serialization metadata — instead of on the caller's time. Touches nothing outside the process: no ERP, no storage, no queue.
/// </summary>
public sealed partial class CallPathWarmUp(IServiceProvider services, ILogger<CallPathWarmUp> logger) : IHostedService
{
    private static readonly byte[] SampleCallback = Encoding.UTF8.GetBytes(
        """{"request":{"FromNumber":"","ToNumber":"","ChannelStatus":"Connected","UniqueCallId":"warm-up","Event":{"EventName":"Connected","EventData":""},"Session":null}}""");

    /// <summary>Done when the head start is over (successfully or not).</summary>
    public Task Completed { get; private set; } = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Completed = Task.Run(WarmUp, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void WarmUp()
    {
        try
        {
            services.GetRequiredService<CallEngine>();
            var codec = services.GetRequiredService<SessionCodec>();
            var parsed = IvrRequestParser.Parse(SampleCallback, "application/json");
            var session = codec.EncodeToUtf8(new CallSession { Step = CallFlow.EndStep }, parsed.Request?.UniqueCallId ?? "warm-up");
            IvrResponseWriter.ToUtf8JsonWithSignedSession(IvrAction.Hangup(), session);
            using var document = System.Text.Json.JsonDocument.Parse(session);
            codec.Decode(document.RootElement, "warm-up");
            ErpClient.WarmUpSerialization();
            // The client, its HTTP handler chain and resilience pipeline (Polly checks its options on build: tens of ms).
            if (services.GetService<ErpClient>() is not null)
            {
                ErpResilience.WarmUp(services.GetRequiredService<IOptions<ErpClientOptions>>().Value);
            }
        }
        catch (Exception e)
        {
            // Only a head start: the first callback does the same work and reports a real problem itself.
            Log.Failed(logger, e);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2110, Level = LogLevel.Warning, Message = "Warm-up of the call path did not finish")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}
