using FunctionsIvr.Calls.Offers;
using FunctionsIvr.Calls.People;
using FunctionsIvr.Calls.Service;
using FunctionsIvr.Calls.Orders;
using FunctionsIvr.Calls.Products;
using FunctionsIvr.Calls.Transfer;
using FunctionsIvr.Calls.Welcome;
using FunctionsIvr.Ivr;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Calls;

public static class CallFlowRegistration
{
    /// <summary>The call flow engine, its options (validated at startup) and every flow module.</summary>
    public static IHostApplicationBuilder AddCallFlow(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<CallEngineOptions>().Bind(builder.Configuration.GetSection(CallEngineOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CallEngineOptions>, CallEngineOptionsValidator>());
        services.AddOptions<TransferOptions>().Bind(builder.Configuration.GetSection(TransferOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TransferOptions>, TransferOptionsValidator>());
        services.AddOptions<CampaignOptions>().Bind(builder.Configuration.GetSection(CampaignOptions.SectionName));
        // Bound with change tracking: the FAQ flow reads it through IOptionsMonitor (faq.json: AddFaq).
        services.AddOptions<FaqOptions>().Bind(builder.Configuration.GetSection(FaqOptions.SectionName));
        services.AddOptions<PromptOptions>()
            .Configure(o => builder.Configuration.GetSection(PromptOptions.SectionName).Bind(o.Numbers))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<PromptOptions>, PromptOptionsValidator>();

        services.AddSingleton<IFlowModule, WelcomeFlow>();
        services.AddSingleton<IFlowModule, TransferFlow>();
        services.AddSingleton<IFlowModule, OffersFlow>();
        services.AddSingleton<IFlowModule, ComplaintsFlow>();
        services.AddSingleton<IFlowModule, FaqFlow>();
        services.AddSingleton<IFlowModule, CallbackFlow>();
        services.AddSingleton<IFlowModule, EndingFlow>();
        services.AddSingleton<IFlowModule, OrderStatusFlow>();
        services.AddSingleton<IFlowModule, ChangeOrderFlow>();
        services.AddSingleton<IFlowModule, RepeatOrderFlow>();
        services.AddSingleton<IFlowModule, ProductLookupFlow>();
        services.AddSingleton<IFlowModule, TopProductsFlow>();
        services.AddSingleton(sp =>
        {
            var flow = new FlowBuilder();
            foreach (var module in sp.GetServices<IFlowModule>()) module.Define(flow);
            return flow.Build();
        });
        services.AddSingleton(sp => new CallActions(
            sp.GetRequiredService<IOptions<PromptOptions>>().Value.Numbers,
            sp.GetRequiredService<IOptions<IvrOptions>>().Value.SayParameterName));
        services.AddSingleton<SpokenMoney>();
        services.AddSingleton<BusinessDates>();
        services.AddSingleton<PendingTurns>();
        services.AddSingleton<CallEngine>();
        // One writer for every callback's call log line, stopped (and drained) with the app.
        services.AddSingleton<CallLogWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<CallLogWriter>());
        services.AddSingleton<CallPathWarmUp>();
        services.AddHostedService(sp => sp.GetRequiredService<CallPathWarmUp>());
        services.TryAddSingleton(TimeProvider.System);
        return builder;
    }

}
