using FunctionsIvr.DemoErp.Hosting;

namespace FunctionsIvr.DemoErp;

/// <summary>
/// The reference ERP middleware: the whole contract of docs/erp-middleware.openapi.yaml over seeded in-memory data.
/// <c>dotnet run --project src/FunctionsIvr.DemoErp</c> listens on http://127.0.0.1:5081 unless urls are given.
/// Not top-level statements: the app's own <c>Program</c> lives in the global namespace, and tests host both.
/// </summary>
public partial class Program
{
    public const string DefaultUrl = "http://127.0.0.1:5081";

    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"])
            && string.IsNullOrEmpty(builder.Configuration["http_ports"])
            && string.IsNullOrEmpty(builder.Configuration["https_ports"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.AddDemoErp();

        var app = builder.Build();
        app.MapDemoErp();
        app.Run();
    }
}
