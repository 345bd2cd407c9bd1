using FunctionsIvr.Hosting;
using FunctionsIvr.State.Tables;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FunctionsIvr.Agents;

public static class AgentsRegistration
{
    /// <summary>
    /// Screen pops and the agent page: <see cref="AgentOptions"/> from <c>Agents</c>, the card store in Table Storage
    /// (table <c>agentcards</c>) when the call state is there (<c>StateStorage</c>), otherwise in memory.
    /// </summary>
    public static IHostApplicationBuilder AddAgentPages(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<AgentOptions>().Bind(builder.Configuration.GetSection(AgentOptions.SectionName))
            .Validate(o => o.ErpBudgetMs is > 0 and <= 1000, "Agents:ErpBudgetMs must be 1 to 1000 (it is spent inside the callback budget).")
            .Validate(o => o.CardWriteBudgetMs is > 0 and <= 1000, "Agents:CardWriteBudgetMs must be 1 to 1000 (it is spent inside the callback budget).")
            .Validate(o => o.CardsShown is > 0 and <= IAgentCardStore.KeptPerLogin, "Agents:CardsShown must be 1 to 10.")
            .Validate(o => o.PollMs is >= 250 and <= 10000, "Agents:PollMs must be 250 to 10000.")
            .ValidateLinkSettings(AgentOptions.SectionName, o => o.SigningKey, o => o.LinkLifetime)
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<AgentAccess>();
        builder.Services.TryAddSingleton<IAgentCardStore>(s => s.GetService<TableServiceClient>() is { } tables
            ? new TableAgentCardStore(tables, s.GetRequiredService<TimeProvider>(), s.GetRequiredService<ILogger<TableAgentCardStore>>())
            : new InMemoryAgentCardStore(s.GetRequiredService<TimeProvider>()));
        return builder;
    }
}
