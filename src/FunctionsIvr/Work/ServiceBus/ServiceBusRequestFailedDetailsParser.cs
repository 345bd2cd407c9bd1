using System.Xml;
using System.Xml.Linq;
using Azure;
using Azure.Core;

namespace FunctionsIvr.Work.ServiceBus;

/// <summary>Reads Service Bus's XML error body, <c>&lt;Error&gt;&lt;Code&gt;401&lt;/Code&gt;&lt;Detail&gt;…&lt;/Detail&gt;&lt;/Error&gt;</c>.</summary>
public sealed class ServiceBusRequestFailedDetailsParser : RequestFailedDetailsParser
{
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
            error = new ResponseError(code, detail);
            return true;
        }
        catch (XmlException)
        {
            return false;
        }
    }
}
