using FunctionsIvr.Hosting;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Calls;

/// <summary>
/// The date a moment fell on in the business's time zone (<see cref="CallEngineOptions.TimeZone"/>): the date said to a
/// caller (an ERP that writes times in UTC would otherwise have a complaint opened at 00:30 in Warsaw said as the day
/// before), and the business day a once-a-day notice counts in.
/// </summary>
public sealed class BusinessDates(IOptions<CallEngineOptions> options)
{
    private readonly TimeZoneInfo _zone = TimeZones.Find(options.Value.TimeZone) ?? TimeZoneInfo.Utc;

    public DateOnly DateOf(DateTimeOffset moment) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(moment, _zone).DateTime);
}
