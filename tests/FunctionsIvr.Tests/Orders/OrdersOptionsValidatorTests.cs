using FunctionsIvr.Orders;

namespace FunctionsIvr.Tests.Orders;

public class OrdersOptionsValidatorTests
{
    private readonly OrdersOptionsValidator _validator = new();

    [Fact]
    public void Defaults_Valid() => Assert.True(_validator.Validate(null, new OrdersOptions()).Succeeded);

    [Fact]
    public void TimesAtTheirBounds_Valid()
    {
        var options = new OrdersOptions
        {
            ResendAfter = TimeSpan.FromSeconds(10), SendTimeout = TimeSpan.FromMilliseconds(100), ExpiryGrace = TimeSpan.Zero,
        };

        Assert.True(_validator.Validate(null, options).Succeeded);
    }

    [Fact]
    public void SendTimeoutTooShort_NamesTheKeyAndTheRangeAsTheSettingIsWritten()
    {
        var result = _validator.Validate(null, new OrdersOptions { SendTimeout = TimeSpan.FromMilliseconds(50) });

        Assert.Equal(
            "Orders:SendTimeout (env Orders__SendTimeout) is 0:00:00.05; it must be between 0:00:00.1 and 0:00:30.",
            Assert.Single(result.Failures!));
    }

    [Fact]
    public void EveryValueOutOfRange_AllReported()
    {
        var options = new OrdersOptions
        {
            MaxQuantity = 0, ResendAfter = TimeSpan.FromHours(2), SendTimeout = TimeSpan.FromMinutes(1), ExpiryGrace = TimeSpan.FromSeconds(-1),
        };

        var failures = _validator.Validate(null, options).Failures!.ToList();

        Assert.Equal(4, failures.Count);
        Assert.Contains("Orders:MaxQuantity (env Orders__MaxQuantity) is 0; it must be between 1 and 1000000.", failures);
        Assert.Contains("Orders:ResendAfter (env Orders__ResendAfter) is 2:00:00; it must be between 0:00:10 and 1:00:00.", failures);
        Assert.Contains("Orders:ExpiryGrace (env Orders__ExpiryGrace) is -0:00:01; it must be between 0:00:00 and 1:00:00.", failures);
    }
}
