using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsIvr.Hosting;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Escalations;

/// <summary>
/// The local stand-in for the ticket and WhatsApp channels: writes what would have been sent as an indented JSON
/// file, one per escalation (<c>{EscalationId}.json</c>, so a repeat overwrites its own file), with the message
/// text as lines a person can read.
/// </summary>
internal sealed class LocalFolderChannel(
    EscalationChannel channel,
    string folder,
    string why,
    Func<EscalationDelivery, JsonNode> payload,
    Func<EscalationDelivery, string> readable,
    TimeProvider timeProvider,
    ILogger<LocalFolderChannel> logger) : IEscalationChannel
{
    private static readonly JsonSerializerOptions FileJson = new()
    {
        WriteIndented = true,
        // Files are read by people: keep Polish letters, quotes and < > as they are.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public EscalationChannel Channel => channel;

    public string Folder => folder;

    public async Task<string> DeliverAsync(EscalationDelivery delivery, CancellationToken cancellationToken = default)
    {
        var escalation = delivery.Escalation;
        var lines = new JsonArray();
        foreach (var line in readable(delivery).Split('\n')) lines.Add(line.TrimEnd('\r'));
        var document = new JsonObject
        {
            ["channel"] = channel.ToString(),
            ["escalationId"] = escalation.EscalationId,
            ["to"] = delivery.To,
            ["writtenAt"] = timeProvider.GetUtcNow(),
            ["why"] = why,
            ["text"] = lines,
            ["payload"] = payload(delivery),
        };

        var path = Path.Combine(folder, FileNameFor(escalation.EscalationId));
        var temporary = path + ".tmp";
        try
        {
            Directory.CreateDirectory(folder);
            await File.WriteAllTextAsync(temporary, document.ToJsonString(FileJson), cancellationToken);
            File.Move(temporary, path, overwrite: true);
        }
        catch (IOException e)
        {
            throw new EscalationDeliveryException(channel, isTransient: true, $"Could not write {path}: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new EscalationDeliveryException(channel, isTransient: false, $"Could not write {path}: {e.Message}", e);
        }

        Log.WroteLocalFile(logger, Redact.Id(escalation.EscalationId), channel, path);
        return $"written to {path}";
    }

    /// <summary>The id made safe for a file name; a short hash is added when anything had to be replaced.</summary>
    internal static string FileNameFor(string escalationId)
    {
        var safe = new string(escalationId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray()).TrimStart('.');
        if (!string.Equals(safe, escalationId, StringComparison.Ordinal))
            safe += "-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(escalationId)))[..12];
        return safe + ".json";
    }
}
