using System.Net.Mail;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Escalations;

/// <summary>Checks <see cref="EscalationOptions"/> at start; every message names the configuration key to fix.</summary>
internal sealed partial class EscalationOptionsValidator : IValidateOptions<EscalationOptions>
{
    private const string Section = EscalationOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, EscalationOptions options)
    {
        var errors = new List<string>();

        if (!string.IsNullOrWhiteSpace(options.TeamEmail) && !MailAddress.TryCreate(options.TeamEmail, out _))
            errors.Add($"{Section}:TeamEmail '{options.TeamEmail}' is not an e-mail address.");
        if (options.PublicBaseUrl is { Length: > 0 } baseUrl && !IsHttpUrl(baseUrl))
            errors.Add($"{Section}:PublicBaseUrl must be an absolute http(s) URL, e.g. https://ivr.example.com.");
        if (options.FallbackAfterDeliveries < 1)
            errors.Add($"{Section}:FallbackAfterDeliveries must be 1 or more.");
        if (options.MaxDeliveryCount < 1)
            errors.Add($"{Section}:MaxDeliveryCount must be 1 or more (the escalations queue's maxDeliveryCount, 10).");
        if (string.IsNullOrWhiteSpace(options.TimeZone))
            errors.Add($"{Section}:TimeZone must name a time zone, e.g. Europe/Warsaw.");

        ValidateTicket(options.Ticket, errors);
        ValidateEmail(options.Email, errors);
        ValidateWhatsApp(options.WhatsApp, errors);

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateTicket(TicketChannelOptions ticket, List<string> errors)
    {
        const string key = Section + ":Ticket";
        if (ticket.Url is { } url && !(url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)))
            errors.Add($"{key}:Url must be an absolute http(s) URL.");
        if (ticket.IsConfigured && string.IsNullOrWhiteSpace(ticket.Token))
            errors.Add($"{key}:Token is required when {key}:Url is set.");
        if (!ticket.IsConfigured && !string.IsNullOrWhiteSpace(ticket.Token))
            errors.Add($"{key}:Url is required when {key}:Token is set.");
        CheckTimeout(ticket.Timeout, $"{key}:Timeout", errors);
        if (!ticket.IsConfigured && string.IsNullOrWhiteSpace(ticket.LocalFolder))
            errors.Add($"{key}:LocalFolder must name a folder when {key}:Url is not set.");
    }

    private static void ValidateEmail(EmailChannelOptions email, List<string> errors)
    {
        const string key = Section + ":Email";
        if (!MailAddress.TryCreate(email.From, out _))
            errors.Add($"{key}:From '{email.From}' is not an e-mail address.");
        CheckTimeout(email.Timeout, $"{key}:Timeout", errors);
        if (!email.IsConfigured)
        {
            if (!string.IsNullOrWhiteSpace(email.UserName))
                errors.Add($"{key}:Host is required when {key}:UserName is set.");
            if (string.IsNullOrWhiteSpace(email.PickupDirectory))
                errors.Add($"{key}:PickupDirectory must name a folder when {key}:Host is not set.");
            return;
        }

        if (email.Port is < 1 or > 65535)
            errors.Add($"{key}:Port must be between 1 and 65535 (587 for submission with STARTTLS).");
        else if (email.Port == 465 && email.EnableSsl)
            errors.Add($"{key}:Port 465 expects implicit TLS, which SmtpClient does not speak; use 587 with {key}:EnableSsl=true.");
        if (!string.IsNullOrWhiteSpace(email.UserName) && string.IsNullOrEmpty(email.Password))
            errors.Add($"{key}:Password is required when {key}:UserName is set.");
    }

    private static void ValidateWhatsApp(WhatsAppChannelOptions whatsApp, List<string> errors)
    {
        const string key = Section + ":WhatsApp";
        if (!(whatsApp.BaseUrl.IsAbsoluteUri && (whatsApp.BaseUrl.Scheme == Uri.UriSchemeHttps || whatsApp.BaseUrl.Scheme == Uri.UriSchemeHttp)))
            errors.Add($"{key}:BaseUrl must be an absolute http(s) URL.");
        if (!ApiVersionPattern().IsMatch(whatsApp.ApiVersion ?? ""))
            errors.Add($"{key}:ApiVersion must look like v21.0.");
        CheckTimeout(whatsApp.Timeout, $"{key}:Timeout", errors);
        if (whatsApp.IsConfigured && string.IsNullOrWhiteSpace(whatsApp.AccessToken))
            errors.Add($"{key}:AccessToken is required when {key}:PhoneNumberId is set.");
        if (!whatsApp.IsConfigured && !string.IsNullOrWhiteSpace(whatsApp.AccessToken))
            errors.Add($"{key}:PhoneNumberId is required when {key}:AccessToken is set.");
        if (whatsApp.PhoneNumberId is { Length: > 0 } id && !id.All(char.IsAsciiDigit))
            errors.Add($"{key}:PhoneNumberId is the numeric id Meta shows for the business number, not the number itself.");
        if (!string.IsNullOrWhiteSpace(whatsApp.TemplateName) && string.IsNullOrWhiteSpace(whatsApp.TemplateLanguage))
            errors.Add($"{key}:TemplateLanguage is required when {key}:TemplateName is set.");
        if (!whatsApp.IsConfigured && string.IsNullOrWhiteSpace(whatsApp.LocalFolder))
            errors.Add($"{key}:LocalFolder must name a folder when {key}:PhoneNumberId is not set.");
    }

    private static void CheckTimeout(TimeSpan timeout, string key, List<string> errors)
    {
        if (timeout <= TimeSpan.Zero || timeout > TimeSpan.FromMinutes(5))
            errors.Add($"{key} must be between 00:00:01 and 00:05:00.");
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    [GeneratedRegex(@"^v\d+\.\d+$")]
    private static partial Regex ApiVersionPattern();
}
