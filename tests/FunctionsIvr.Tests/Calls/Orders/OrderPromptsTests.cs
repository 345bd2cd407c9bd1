using System.Reflection;
using System.Text.Json;
using FunctionsIvr.Calls;
using FunctionsIvr.Calls.Orders;
using FunctionsIvr.Calls.Products;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsIvr.Tests.Calls.Orders;

public class OrderPromptsTests
{
    public static TheoryData<string> OrderAndProductPrompts()
    {
        var data = new TheoryData<string>();
        foreach (var name in Names(typeof(OrderPrompts)).Concat(Names(typeof(ProductPrompts)))) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(OrderAndProductPrompts))]
    public void Prompt_MappedInTheShippedAppSettings(string prompt)
    {
        Assert.True(ShippedPromptNumbers().ContainsKey(prompt), $"appsettings.json has no Prompts:{prompt}");
    }

    [Fact]
    public void ShippedPromptNumbers_AreUnique()
    {
        var duplicates = ShippedPromptNumbers().GroupBy(p => p.Value).Where(g => g.Count() > 1).Select(g => g.Key).ToList();

        Assert.Empty(duplicates);
    }

    [Fact]
    public void Flow_DeclaresEveryOrderAndProductPrompt()
    {
        using var call = new EngineHarness();
        var declared = call.Services.GetRequiredService<CallFlow>().Prompts;

        Assert.All(Names(typeof(OrderPrompts)).Concat(Names(typeof(ProductPrompts))), name => Assert.Contains(name, declared));
    }

    private static IEnumerable<string> Names(Type prompts) =>
        prompts.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);

    private static Dictionary<string, string> ShippedPromptNumbers()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "appsettings.json")));
        return settings.RootElement.GetProperty("Prompts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
    }
}
