using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FunctionsIvr.Hosting;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Escalations;

/// <summary>
/// Creates a ticket with <c>POST {Escalations:Ticket:Url}</c>, bearer token, <c>Idempotency-Key: EscalationId</c>.
/// 2xx created, 409 already created (both fine); 408, 429, 5xx, timeouts and unreachable are transient; any other
/// 4xx is permanent (the request itself is wrong: token, URL, fields).
/// </summary>
internal sealed class HelpdeskTicketChannel(
    IHttpClientFactory httpClientFactory,
    TicketChannelOptions options,
    EscalationText text,
    ILogger<HelpdeskTicketChannel> logger) : IEscalationChannel
{
    public const string HttpClientName = "Escalations.Ticket";

    public EscalationChannel Channel => EscalationChannel.Ticket;

    public async Task<string> DeliverAsync(EscalationDelivery delivery, CancellationToken cancellationToken = default)
    {
        var escalation = delivery.Escalation;
        var ticket = HelpdeskTicket.From(delivery, text);
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Url)
        {
            Content = JsonContent.Create(ticket, options: EscalationMessages.JsonOptions),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
        request.Headers.TryAddWithoutValidation("Idempotency-Key", escalation.EscalationId);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        var client = httpClientFactory.CreateClient(HttpClientName);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new EscalationDeliveryException(Channel, isTransient: true, $"Helpdesk unreachable: {e.Message}", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EscalationDeliveryException(Channel, isTransient: true, $"Helpdesk did not answer within {options.Timeout}.", e);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.Conflict)
            {
                var created = response.StatusCode != HttpStatusCode.Conflict;
                var receipt = TicketIdFrom(body) is { } id ? $"ticket {id}" : "ticket";
                if (!created) receipt += " (already created)";
                Log.TicketCreated(logger, Redact.Id(escalation.EscalationId), status, receipt);
                return receipt;
            }

            var transient = status is 408 or 429 or >= 500;
            throw new EscalationDeliveryException(Channel, transient, $"Helpdesk answered {status}: {Excerpt(body)}")
            {
                StatusCode = status,
            };
        }
    }

    /// <summary>Reads <c>id</c>, <c>ticketId</c> or <c>number</c> from a JSON answer, whichever the helpdesk uses.</summary>
    private static string? TicketIdFrom(string body)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object) return null;
            foreach (var name in new[] { "id", "ticketId", "number", "key" })
            {
                if (!json.RootElement.TryGetProperty(name, out var value)) continue;
                if (value.ValueKind is JsonValueKind.String or JsonValueKind.Number) return value.ToString();
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The start of an error answer, for the exception message: it reaches logs, the Functions host's invocation log and
    /// dead-letter tickets, and services echo what they were sent, the caller's number included, so numbers are masked.
    /// </summary>
    internal static string Excerpt(string body)
    {
        var flat = string.Join(' ', body.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (flat.Length == 0) return "(no body)";
        return Redact.PhoneNumbersIn(flat.Length <= 300 ? flat : flat[..300] + "…");
    }
}
