using FunctionsIvr.Hosting;

namespace FunctionsIvr.Tests.Hosting;

public sealed class TimerInfoTests
{
    [Fact]
    public void GetTimerInfo_MonitoredSchedule_ReadsStatusAndPastDue()
    {
        var timer = InvocationRequest.Parse(CapturedPayloads.TimerMonitored).GetTimerInfo();

        Assert.False(timer.IsPastDue);
        Assert.NotNull(timer.ScheduleStatus);
        Assert.Equal(new DateTimeOffset(2023, 10, 12, 20, 10, 0, TimeSpan.Zero), timer.ScheduleStatus.Last);
        Assert.Equal(new DateTimeOffset(2023, 10, 12, 20, 15, 0, TimeSpan.Zero), timer.ScheduleStatus.Next);
        Assert.Equal(new DateTimeOffset(2023, 10, 12, 20, 10, 0, TimeSpan.Zero).AddTicks(201234), timer.ScheduleStatus.LastUpdated);
    }

    [Fact]
    public void GetTimerInfo_UnmonitoredAndLate_NoStatusAndPastDue()
    {
        var timer = InvocationRequest.Parse(CapturedPayloads.TimerUnmonitoredPastDue).GetTimerInfo();

        Assert.True(timer.IsPastDue);
        Assert.Null(timer.ScheduleStatus);
    }

    [Fact]
    public void GetTimerInfo_StatusWithoutOffsets_TakenAsUtc()
    {
        var timer = InvocationRequest.Parse("""
            { "Data": { "timer": { "ScheduleStatus": { "Last": "2023-10-12T20:10:00", "Next": "2023-10-12T20:15:00" }, "IsPastDue": false } } }
            """).GetTimerInfo();

        Assert.Equal(new DateTimeOffset(2023, 10, 12, 20, 15, 0, TimeSpan.Zero), timer.ScheduleStatus!.Next);
        Assert.Null(timer.ScheduleStatus.LastUpdated);
    }

    [Fact]
    public void GetTimerInfo_ValueIsAJsonString_ParsedAsTheObjectInside()
    {
        var timer = InvocationRequest.Parse("""{ "Data": { "timer": "{\"IsPastDue\":true,\"ScheduleStatus\":null}" } }""").GetTimerInfo();

        Assert.True(timer.IsPastDue);
    }

    [Theory]
    [InlineData("""{ "Data": { "timer": 5 } }""")]
    [InlineData("""{ "Data": { "other": {} } }""")]
    public void GetTimerInfo_NoTimerObject_IsAPayloadError(string json)
    {
        Assert.Throws<InvalidInvocationPayloadException>(() => InvocationRequest.Parse(json).GetTimerInfo());
    }
}
