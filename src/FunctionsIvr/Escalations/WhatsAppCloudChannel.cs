using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsIvr.Hosting;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Escalations;

/// <summary>
/// Sends a WhatsApp message through the Cloud API: <c>POST {BaseUrl}/{ApiVersion}/{PhoneNumberId}/messages</c> with a
/// bearer token; free text, or the configured template. Errors come back as Graph API error objects; 429, 5xx and
/// the throttling codes are transient, the rest (expired token, invalid number, template not found) permanent, which
/// makes the dispatcher fall back to e-mail. A 200 means accepted, not delivered: a free-text message outside the
/// recipient's 24-hour window fails afterwards (131047), reported only to a status webhook, so the dispatcher does
/// not count free text as confirmed.
/// </summary>
internal sealed class WhatsAppCloudChannel(
    IHttpClientFactory httpClientFactory,
    WhatsAppChannelOptions options,
    EscalationText text,
    ILogger<WhatsAppCloudChannel> logger) : IEscalationChannel
{
    public const string HttpClientName = "Escalations.WhatsApp";

    /// <summary>
    /// Graph/Cloud API codes worth another try: 1 and 2 (temporarily unavailable), 4 and 80007 (rate limits),
    /// 130429 (throughput), 131000 (something went wrong), 131016 (service overloaded), 131048 (spam rate limit),
    /// 131056 (pair rate limit), 133004 (server temporarily unavailable).
    /// </summary>
    private static readonly HashSet<int> TransientCodes = [1, 2, 4, 80007, 130429, 131000, 131016, 131048, 131056, 133004];

    public EscalationChannel Channel => EscalationChannel.WhatsApp;

    public async Task<string> DeliverAsync(EscalationDelivery delivery, CancellationToken cancellationToken = default)
    {
        var escalationId = Redact.Id(delivery.Escalation.EscalationId);
        var payload = BuildRequest(delivery, text, options);
        var url = new Uri($"{options.BaseUrl.AbsoluteUri.TrimEnd('/')}/{options.ApiVersion}/{Uri.EscapeDataString(options.PhoneNumberId!)}/messages");
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(payload) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.AccessToken);

        var client = httpClientFactory.CreateClient(HttpClientName);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new EscalationDeliveryException(Channel, isTransient: true, $"WhatsApp Cloud API unreachable: {e.Message}", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EscalationDeliveryException(Channel, isTransient: true, $"WhatsApp Cloud API did not answer within {options.Timeout}.", e);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                var messageId = MessageIdFrom(body) ?? "(no message id)";
                Log.WhatsAppSent(logger, escalationId, messageId);
                return $"message id {messageId}";
            }

            var error = CloudApiError.Parse(body);
            var transient = status is 408 or 429 or >= 500 || (error?.Code is { } code && TransientCodes.Contains(code));
            var description = error is null
                ? HelpdeskTicketChannel.Excerpt(body)
                // Some errors name the recipient's number (e.g. #131030, not in the allowed list); the codes stay as they are.
                : $"(#{error.Code}{(error.Subcode is { } sub ? $"/{sub}" : "")}) {Redact.PhoneNumbersIn(error.Message)}{(error.Details is { } d ? $" - {Redact.PhoneNumbersIn(d)}" : "")}";
            throw new EscalationDeliveryException(Channel, transient, $"WhatsApp Cloud API answered {status} {description}")
            {
                StatusCode = status,
            };
        }
    }

    /// <summary>The Cloud API request body: a template when one is configured, otherwise free text.</summary>
    internal static JsonObject BuildRequest(EscalationDelivery delivery, EscalationText text, WhatsAppChannelOptions options)
    {
        var to = NormalizeNumber(delivery.To)
            ?? throw new EscalationDeliveryException(EscalationChannel.WhatsApp, isTransient: false,
                $"'{Redact.Phone(delivery.To)}' is not a WhatsApp number in international format.");

        var message = new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["recipient_type"] = "individual",
            ["to"] = to,
        };
        if (string.IsNullOrWhiteSpace(options.TemplateName))
        {
            message["type"] = "text";
            message["text"] = new JsonObject
            {
                ["preview_url"] = false,
                ["body"] = text.ShortText(delivery.Escalation, delivery.Notes),
            };
            return message;
        }

        var parameters = new JsonArray();
        foreach (var value in text.TemplateParameters(delivery.Escalation))
            parameters.Add(new JsonObject { ["type"] = "text", ["text"] = value });
        message["type"] = "template";
        message["template"] = new JsonObject
        {
            ["name"] = options.TemplateName,
            ["language"] = new JsonObject { ["code"] = options.TemplateLanguage },
            ["components"] = new JsonArray(new JsonObject { ["type"] = "body", ["parameters"] = parameters }),
        };
        return message;
    }

    /// <summary>Digits only, country code first (<c>+48 600-100-200</c> and <c>0048600100200</c> become <c>48600100200</c>).</summary>
    internal static string? NormalizeNumber(string? number)
    {
        if (string.IsNullOrWhiteSpace(number)) return null;
        var digits = new string(number.Where(char.IsAsciiDigit).ToArray());
        if (digits.StartsWith("00", StringComparison.Ordinal)) digits = digits[2..];
        return digits.Length is >= 8 and <= 15 ? digits : null;
    }

    private static string? MessageIdFrom(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("messages", out var messages)
                && messages.ValueKind == JsonValueKind.Array && messages.GetArrayLength() > 0
                && messages[0].TryGetProperty("id", out var id)
                ? id.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary><c>{"error":{"message","type","code","error_subcode","error_data":{"details"},"fbtrace_id"}}</c>.</summary>
    private sealed record CloudApiError(int? Code, int? Subcode, string Message, string? Details)
    {
        public static CloudApiError? Parse(string body)
        {
            try
            {
                using var json = JsonDocument.Parse(body);
                if (json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty("error", out var error)
                    || error.ValueKind != JsonValueKind.Object) return null;
                return new CloudApiError(
                    Int(error, "code"),
                    Int(error, "error_subcode"),
                    error.TryGetProperty("message", out var message) ? message.ToString() : "(no message)",
                    error.TryGetProperty("error_data", out var data) && data.ValueKind == JsonValueKind.Object
                        && data.TryGetProperty("details", out var details) ? details.ToString() : null);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private static int? Int(JsonElement element, string name)
        {
            if (!element.TryGetProperty(name, out var value)) return null;
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)) return number;
            return value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), out number) ? number : null;
        }
    }
}
