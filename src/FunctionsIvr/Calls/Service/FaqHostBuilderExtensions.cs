using Microsoft.Extensions.Configuration.Json;

namespace FunctionsIvr.Calls.Service;

public static class FaqHostBuilderExtensions
{
    public const string DefaultPath = "faq.json";

    /// <summary>
    /// Adds the FAQ file (<c>faq.json</c> in the content root, next to appsettings.json; optional) to configuration with
    /// reload on change, so an edit reaches the next call without a restart. It goes right after the appsettings files,
    /// so environment variables (<c>Faq__Topics__0__Prompt</c>) still override it. The <see cref="FaqOptions"/> binding
    /// and the FAQ flow come with <c>AddCallFlow</c>.
    /// </summary>
    /// <param name="path">Relative to the content root, or absolute.</param>
    public static IHostApplicationBuilder AddFaq(this IHostApplicationBuilder builder, string path = DefaultPath)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var source = new JsonConfigurationSource { Path = path, Optional = true, ReloadOnChange = true };
        source.ResolveFileProvider();
        source.EnsureDefaults(builder.Configuration);

        var sources = builder.Configuration.Sources;
        var lastAppSettings = -1;
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i] is JsonConfigurationSource { Path: { } p } && p.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase)) lastAppSettings = i;
        }

        if (lastAppSettings < 0) sources.Add(source);
        else sources.Insert(lastAppSettings + 1, source);
        return builder;
    }
}
