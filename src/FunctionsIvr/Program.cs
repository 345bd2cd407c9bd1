var builder = WebApplication.CreateBuilder(args);

var app = builder.Build();
app.MapGet("/", () => Results.Ok());
app.Run();

public partial class Program;
