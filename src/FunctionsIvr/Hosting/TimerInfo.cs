using System.Text.Json;

namespace FunctionsIvr.Hosting;

/// <summary>
/// A timer trigger's value as the host sends it (<c>Data.timer</c>):
/// <c>{"Schedule":{…},"ScheduleStatus":{"Last","Next","LastUpdated"}|null,"IsPastDue":false}</c>.
/// <see cref="ScheduleStatus"/> is null when the schedule is not monitored.
/// </summary>
public sealed record TimerInfo(bool IsPastDue, TimerScheduleStatus? ScheduleStatus)
{
    /// <exception cref="InvalidInvocationPayloadException">The value is not a timer object.</exception>
    public static TimerInfo FromJson(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            // Defensive: a host that serialised the object to a string first.
            try
            {
                using var inner = JsonDocument.Parse(InvocationJson.Unwrap(value.GetString()!));
                return FromJson(inner.RootElement);
            }
            catch (JsonException e)
            {
                throw new InvalidInvocationPayloadException("The timer value is a string that is not a JSON object.", e);
            }
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidInvocationPayloadException($"The timer value is {value.ValueKind}, not an object.");
        }

        var isPastDue = InvocationJson.TryGetProperty(value, "IsPastDue", out var pastDue)
            && (pastDue.ValueKind == JsonValueKind.True || string.Equals(InvocationJson.ScalarText(pastDue), "true", StringComparison.OrdinalIgnoreCase));
        TimerScheduleStatus? status = null;
        if (InvocationJson.TryGetProperty(value, "ScheduleStatus", out var statusElement) && statusElement.ValueKind == JsonValueKind.Object)
        {
            status = new TimerScheduleStatus(Date(statusElement, "Last"), Date(statusElement, "Next"), Date(statusElement, "LastUpdated"));
        }
        return new TimerInfo(isPastDue, status);
    }

    private static DateTimeOffset? Date(JsonElement status, string name) =>
        InvocationJson.TryGetProperty(status, name, out var value) ? InvocationJson.ParseDate(InvocationJson.ScalarText(value)) : null;
}

/// <summary>When the timer last fired, fires next, and when that record was written (null when the host left it out).</summary>
public sealed record TimerScheduleStatus(DateTimeOffset? Last, DateTimeOffset? Next, DateTimeOffset? LastUpdated);
