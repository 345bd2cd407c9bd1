using System.Text.Json;
using FunctionsIvr.Work;

namespace FunctionsIvr.Orders;

/// <summary>
/// The <c>order-commits</c> queue's message: commit this prepared ERP transaction. Written into the outbox with the
/// entry, so the sweep can re-send exactly the same body.
/// </summary>
public sealed record CommitOrder(string TransactionId, string CallId, string ContactId, string OrderNumber, DateTimeOffset PreparedAt)
{
    public const string Subject = "CommitOrder";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>MessageId = transaction id (duplicate detection keeps a re-send single), CorrelationId = call id.</summary>
    public static WorkMessage ToWorkMessage(string transactionId, string callId, string body) => new()
    {
        QueueName = QueueNames.OrderCommits,
        MessageId = transactionId,
        Subject = Subject,
        Body = body,
        CorrelationId = callId,
    };

    /// <summary>Reads a message body; throws <see cref="MalformedCommitOrderException"/> when it is not a commit command.</summary>
    public static CommitOrder Parse(string? body, string messageId)
    {
        if (string.IsNullOrWhiteSpace(body)) throw new MalformedCommitOrderException(messageId, "the body is empty");
        CommitOrder? command;
        try
        {
            command = JsonSerializer.Deserialize<CommitOrder>(body, Json);
        }
        catch (JsonException e)
        {
            // JsonException names the path and position, never the values.
            throw new MalformedCommitOrderException(messageId, e.Message, e);
        }

        if (command is null) throw new MalformedCommitOrderException(messageId, "the body is JSON null");
        if (string.IsNullOrWhiteSpace(command.TransactionId)) throw new MalformedCommitOrderException(messageId, "transactionId is empty");
        return command;
    }
}
