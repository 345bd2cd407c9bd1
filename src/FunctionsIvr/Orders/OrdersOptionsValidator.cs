using FunctionsIvr.Hosting;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Orders;

/// <summary>Startup check of <see cref="OrdersOptions"/>.</summary>
public sealed class OrdersOptionsValidator : IValidateOptions<OrdersOptions>
{
    public ValidateOptionsResult Validate(string? name, OrdersOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var checks = new SettingChecks(OrdersOptions.SectionName);
        checks.Range(nameof(OrdersOptions.MaxQuantity), options.MaxQuantity, 1, 1_000_000);
        checks.Range(nameof(OrdersOptions.ResendAfter), options.ResendAfter, TimeSpan.FromSeconds(10), TimeSpan.FromHours(1));
        checks.Range(nameof(OrdersOptions.RecommitAfter), options.RecommitAfter, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1));
        checks.Range(nameof(OrdersOptions.SendTimeout), options.SendTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));
        checks.Range(nameof(OrdersOptions.ExpiryGrace), options.ExpiryGrace, TimeSpan.Zero, TimeSpan.FromHours(1));
        return checks.Result;
    }
}
