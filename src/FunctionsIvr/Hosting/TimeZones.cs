namespace FunctionsIvr.Hosting;

/// <summary>A time zone named in the settings (an IANA id such as <c>Europe/Warsaw</c>), looked up without throwing.</summary>
public static class TimeZones
{
    /// <summary>The zone, or null when the id is blank or this machine does not know it.</summary>
    public static TimeZoneInfo? Find(string? id)
    {
        if (string.IsNullOrWhiteSpace(id)) return null;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }
}
