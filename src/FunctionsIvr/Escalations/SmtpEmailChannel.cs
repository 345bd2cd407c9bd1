using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using System.Security.Cryptography;
using System.Text;
using FunctionsIvr.Hosting;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Escalations;

/// <summary>
/// Sends the escalation as an e-mail (plain text with an HTML alternative) through <see cref="SmtpClient"/>: to the
/// configured relay, or, with no <c>Escalations:Email:Host</c>, as <c>.eml</c> files into the pickup folder. The
/// Message-ID comes from the EscalationId, so a repeat sent by another process is recognisable as the same mail.
/// SMTP 4xx, connection failures and timeouts are transient; 5xx (unknown mailbox, refused sender, failed
/// authentication) permanent.
/// </summary>
internal sealed class SmtpEmailChannel(
    EmailChannelOptions options,
    string pickupDirectory,
    EscalationText text,
    ILogger<SmtpEmailChannel> logger) : IEscalationChannel
{
    public EscalationChannel Channel => EscalationChannel.Email;

    public async Task<string> DeliverAsync(EscalationDelivery delivery, CancellationToken cancellationToken = default)
    {
        var escalation = delivery.Escalation;
        if (string.IsNullOrWhiteSpace(delivery.To) || !MailAddress.TryCreate(delivery.To, delivery.ToName, out var to))
            throw new EscalationDeliveryException(Channel, isTransient: false, $"'{delivery.To}' is not an e-mail address.");
        // SmtpClient sends 7-bit addresses only (no SMTPUTF8): an address like józef@… fails the same way on every try.
        if (!Ascii.IsValid(to.User))
            throw new EscalationDeliveryException(Channel, isTransient: false,
                $"'{delivery.To}' has letters outside ASCII before the @, which this SMTP client cannot send; give the person an ASCII address.");

        var from = new MailAddress(options.From);
        var messageId = MessageIdFor(escalation.EscalationId, from.Host);
        using var message = new MailMessage
        {
            From = from,
            Subject = text.Subject(escalation),
            SubjectEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
            // Mail text lines end in CRLF whatever the platform.
            Body = text.PlainText(escalation, delivery.Notes).ReplaceLineEndings("\r\n"),
            BodyEncoding = Encoding.UTF8,
            // Quoted-printable keeps mostly-ASCII text legible even in a text editor, unlike base64.
            BodyTransferEncoding = TransferEncoding.QuotedPrintable,
            IsBodyHtml = false,
            Priority = HelpdeskTicket.PriorityFor(escalation) >= TicketPriority.High ? MailPriority.High : MailPriority.Normal,
        };
        message.To.Add(to);
        var html = AlternateView.CreateAlternateViewFromString(text.Html(escalation, delivery.Notes).ReplaceLineEndings("\r\n"), Encoding.UTF8, MediaTypeNames.Text.Html);
        html.TransferEncoding = TransferEncoding.QuotedPrintable;
        message.AlternateViews.Add(html);
        message.Headers.Add("Message-ID", messageId);
        message.Headers.Add("X-FunctionsIvr-Escalation", escalation.EscalationId);

        using var client = CreateClient();
        // SmtpClient.Timeout only governs synchronous sends; the async send is bounded by this token instead.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            if (!options.IsConfigured) Directory.CreateDirectory(pickupDirectory);
            await client.SendMailAsync(message, timeout.Token);
        }
        catch (SmtpException e)
        {
            // SmtpFailedRecipientException included: its StatusCode is the RCPT answer.
            var status = (int)e.StatusCode;
            var transient = e.StatusCode == SmtpStatusCode.GeneralFailure || status is >= 400 and < 500;
            var reason = e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;
            throw new EscalationDeliveryException(Channel, transient, $"SMTP {(status > 0 ? status.ToString(System.Globalization.CultureInfo.InvariantCulture) : "failure")}: {reason}", e)
            {
                StatusCode = status > 0 ? status : null,
            };
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EscalationDeliveryException(Channel, isTransient: true, $"SMTP did not finish within {options.Timeout}.", e);
        }
        catch (IOException e)
        {
            throw new EscalationDeliveryException(Channel, isTransient: true, $"Could not write the e-mail: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new EscalationDeliveryException(Channel, isTransient: false, $"Could not write the e-mail: {e.Message}", e);
        }

        Log.EmailSent(logger, Redact.Id(escalation.EscalationId), messageId, options.IsConfigured ? $"{options.Host}:{options.Port}" : pickupDirectory);
        return $"Message-ID {messageId}";
    }

    /// <summary>
    /// <c>&lt;escalation.{id}@{domain}&gt;</c>: the id made safe for the header (a short hash is added when anything
    /// had to be replaced, so different ids never share a Message-ID).
    /// </summary>
    internal static string MessageIdFor(string escalationId, string domain)
    {
        var safe = new StringBuilder(escalationId.Length);
        foreach (var c in escalationId) safe.Append(char.IsAsciiLetterOrDigit(c) || "-_+=".Contains(c, StringComparison.Ordinal) ? c : '-');
        var local = "escalation." + safe;
        if (!string.Equals(safe.ToString(), escalationId, StringComparison.Ordinal))
            local += "." + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(escalationId)))[..12];
        return $"<{local}@{domain}>";
    }

    private SmtpClient CreateClient()
    {
        if (!options.IsConfigured)
        {
            return new SmtpClient
            {
                DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory,
                PickupDirectoryLocation = pickupDirectory,
            };
        }

        var client = new SmtpClient(options.Host, options.Port)
        {
            DeliveryMethod = SmtpDeliveryMethod.Network,
            EnableSsl = options.EnableSsl,
            Timeout = (int)options.Timeout.TotalMilliseconds,
        };
        if (!string.IsNullOrWhiteSpace(options.UserName))
            client.Credentials = new NetworkCredential(options.UserName, options.Password);
        return client;
    }
}
