using FunctionsIvr.Hosting;
using FunctionsIvr.Work;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Escalations;

public static class EscalationsHostBuilderExtensions
{
    /// <summary>
    /// Escalations to people: options under <c>Escalations</c> (validated at start), the ticket, e-mail and WhatsApp
    /// channels (or their local folders when not configured), <see cref="EscalationDispatcher"/> and the
    /// <see cref="SendEscalationProcessor"/> for the <c>escalations</c> queue (registered as an
    /// <see cref="IWorkProcessor"/>).
    /// </summary>
    public static IHostApplicationBuilder AddEscalations(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var contentRoot = builder.Environment.ContentRootPath;

        services.AddOptions<EscalationOptions>()
            .Bind(builder.Configuration.GetSection(EscalationOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EscalationOptions>, EscalationOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<EscalationText>();

        // Redirects are not followed: a 307 would send the ticket or message (the caller's number, the signed call log
        // link) to whatever host it names.
        services.AddHttpClient(HelpdeskTicketChannel.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(OutboundHttp.NoRedirects)
            .ConfigureHttpClient((sp, client) => client.Timeout = Options(sp).Ticket.Timeout);
        services.AddHttpClient(WhatsAppCloudChannel.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(OutboundHttp.NoRedirects)
            .ConfigureHttpClient((sp, client) => client.Timeout = Options(sp).WhatsApp.Timeout);

        services.AddSingleton<IEscalationChannel>(sp => CreateTicketChannel(sp, contentRoot));
        services.AddSingleton<IEscalationChannel>(sp => new SmtpEmailChannel(
            Options(sp).Email,
            Path.GetFullPath(Path.Combine(contentRoot, Options(sp).Email.PickupDirectory)),
            sp.GetRequiredService<EscalationText>(),
            sp.GetRequiredService<ILogger<SmtpEmailChannel>>()));
        services.AddSingleton<IEscalationChannel>(sp => CreateWhatsAppChannel(sp, contentRoot));

        services.TryAddSingleton<EscalationDispatcher>();
        services.AddWorkProcessor<SendEscalationProcessor>(QueueNames.Escalations, ServiceLifetime.Singleton);
        return builder;
    }

    private static EscalationOptions Options(IServiceProvider services) =>
        services.GetRequiredService<IOptions<EscalationOptions>>().Value;

    private static IEscalationChannel CreateTicketChannel(IServiceProvider services, string contentRoot)
    {
        var options = Options(services).Ticket;
        var text = services.GetRequiredService<EscalationText>();
        if (options.IsConfigured)
        {
            return new HelpdeskTicketChannel(
                services.GetRequiredService<IHttpClientFactory>(), options, text, services.GetRequiredService<ILogger<HelpdeskTicketChannel>>());
        }

        return new LocalFolderChannel(
            EscalationChannel.Ticket,
            Path.GetFullPath(Path.Combine(contentRoot, options.LocalFolder)),
            "Escalations:Ticket:Url is not set, so the ticket was written here instead of sent to a helpdesk.",
            delivery => System.Text.Json.JsonSerializer.SerializeToNode(HelpdeskTicket.From(delivery, text), EscalationMessages.JsonOptions)!,
            delivery => text.PlainText(delivery.Escalation, delivery.Notes),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<LocalFolderChannel>>());
    }

    private static IEscalationChannel CreateWhatsAppChannel(IServiceProvider services, string contentRoot)
    {
        var options = Options(services).WhatsApp;
        var text = services.GetRequiredService<EscalationText>();
        if (options.IsConfigured)
        {
            return new WhatsAppCloudChannel(
                services.GetRequiredService<IHttpClientFactory>(), options, text, services.GetRequiredService<ILogger<WhatsAppCloudChannel>>());
        }

        return new LocalFolderChannel(
            EscalationChannel.WhatsApp,
            Path.GetFullPath(Path.Combine(contentRoot, options.LocalFolder)),
            "Escalations:WhatsApp:PhoneNumberId is not set, so the message was written here instead of sent.",
            delivery => WhatsAppCloudChannel.BuildRequest(delivery, text, options),
            delivery => text.ShortText(delivery.Escalation, delivery.Notes),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<LocalFolderChannel>>());
    }
}
