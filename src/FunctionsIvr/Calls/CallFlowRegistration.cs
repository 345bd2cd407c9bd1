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
        services.AddOptions<CallEngineOptions>().Bind(builder.Configuration.GetSection(CallEngineOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TransferOptions>().Bind(builder.Configuration.GetSection(TransferOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CampaignOptions>().Bind(builder.Configuration.GetSection(CampaignOptions.SectionName));
        services.AddOptions<PromptOptions>()
            .Configure(o => builder.Configuration.GetSection(PromptOptions.SectionName).Bind(o.Numbers))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<PromptOptions>, PromptOptionsValidator>();

        services.AddSingleton<IFlowModule, WelcomeFlow>();
        services.AddSingleton<IFlowModule, TransferFlow>();
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
            SayParameterNames(builder.Configuration)));
        services.AddSingleton<PendingTurns>();
        services.AddSingleton<CallEngine>();
        services.TryAddSingleton(TimeProvider.System);
        return builder;
    }

    private static Dictionary<string, string> SayParameterNames(IConfiguration configuration)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [IvrActionTypes.SayNumber] = "Number",
            [IvrActionTypes.SayDigits] = "Digits",
            [IvrActionTypes.SayDate] = "Date",
            [IvrActionTypes.SayTime] = "Time",
        };
        configuration.GetSection("Ivr:SayParameterNames").Bind(names);
        return names;
    }
}
