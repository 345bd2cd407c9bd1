using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Azure;
using Azure.Core;

namespace FunctionsIvr.Work.ServiceBus;

/// <summary>
/// Reads Service Bus's XML error body, <c>&lt;Error&gt;&lt;Code&gt;401&lt;/Code&gt;&lt;Detail&gt;…&lt;/Detail&gt;&lt;/Error&gt;</c>.
/// A 403 means a quota of the queue (it is full, too many connections) or a message too large; only the detail tells
/// them apart, so one about the message's size gets the code <see cref="MessageSizeExceeded"/> (the one the sender gives
/// a message it finds too large before sending) instead of the bare "403".
/// </summary>
public sealed partial class ServiceBusRequestFailedDetailsParser : RequestFailedDetailsParser
{
    /// <summary>The error code of a message over the size limit, whoever found it (the sender or the service).</summary>
    public const string MessageSizeExceeded = nameof(MessageSizeExceeded);

    public override bool TryParse(Response response, out ResponseError? error, out IDictionary<string, string>? data)
    {
        ArgumentNullException.ThrowIfNull(response);
        data = null;
        error = null;
        var content = response.Content;
        if (content is null || content.ToMemory().IsEmpty) return false;
        try
        {
            var root = XElement.Parse(content.ToString());
            if (root.Name.LocalName != "Error") return false;
            var code = root.Elements().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value;
            var detail = root.Elements().FirstOrDefault(e => e.Name.LocalName == "Detail")?.Value;
            if (response.Status == 403 && detail is not null && IsAboutMessageSize(detail)) code = MessageSizeExceeded;
            error = new ResponseError(code, detail);
            return true;
        }
        catch (XmlException)
        {
            return false;
        }
    }

    /// <summary>
    /// Names the message's size, not the queue's ("The maximum entity size has been reached", which is the queue full).
    /// The wording is not documented, hence several forms.
    /// </summary>
    internal static bool IsAboutMessageSize(string detail) => MessageSizeWording().IsMatch(detail);

    [GeneratedRegex(@"MessageSizeExceeded|message size|message\b[^.]*\b(is larger than|exceeds)|too large", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MessageSizeWording();
}
