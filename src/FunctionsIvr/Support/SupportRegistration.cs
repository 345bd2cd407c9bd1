namespace FunctionsIvr.Support;

public static class SupportRegistration
{
    /// <summary>The call log page: <see cref="SupportOptions"/> from <c>Support</c>.</summary>
    public static IHostApplicationBuilder AddSupportPages(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<SupportOptions>().Bind(builder.Configuration.GetSection(SupportOptions.SectionName));
        return builder;
    }
}
