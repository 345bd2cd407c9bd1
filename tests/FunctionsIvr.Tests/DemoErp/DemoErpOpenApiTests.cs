using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using YamlDotNet.RepresentationModel;

namespace FunctionsIvr.Tests.DemoErp;

/// <summary>The reference ERP and the published contract describe the same operations, so neither drifts unnoticed.</summary>
public class DemoErpOpenApiTests
{
    [Fact]
    public void ContractDocument_AndDemoErpRoutes_NameTheSameOperations()
    {
        using var factory = new WebApplicationFactory<FunctionsIvr.DemoErp.Program>();
        var served = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => m + " " + Normalize(e.RoutePattern.RawText!)))
            .Where(op => !op.Contains(" /admin", StringComparison.Ordinal))
            .ToHashSet();

        var documented = ContractOperations();

        Assert.Equal(documented.Order(), served.Order());
    }

    private static HashSet<string> ContractOperations()
    {
        var yaml = new YamlStream();
        using (var reader = File.OpenText(Path.Combine(RepositoryRoot(), "docs", "erp-middleware.openapi.yaml"))) yaml.Load(reader);
        var paths = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["paths"];
        return paths.Children
            .SelectMany(path => ((YamlMappingNode)path.Value).Children.Keys
                .Select(method => ((YamlScalarNode)method).Value!.ToUpperInvariant() + " " + ((YamlScalarNode)path.Key).Value))
            .ToHashSet();
    }

    private static string Normalize(string route) => route.Length > 1 ? route.TrimEnd('/') : route;

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FunctionsIvr.sln"))) return dir.FullName;
        }

        throw new DirectoryNotFoundException("FunctionsIvr.sln not found above " + AppContext.BaseDirectory);
    }
}
