using FunctionsIvr.Hosting;

namespace FunctionsIvr.Tests.Hosting;

public class RedactTests
{
    [Theory]
    [InlineData("""{"fromNumber":"\u002B48600100200"}""", """{"fromNumber":"********200"}""")]
    [InlineData("""{"callerNumber" : "+48 600 100 200"}""", """{"callerNumber" : "********200"}""")]
    [InlineData("""{"phone":"600-100-200"}""", """{"phone":"******200"}""")]
    [InlineData("""{"contactPhone":"+48600100200"}""", """{"contactPhone":"********200"}""")]
    [InlineData("""{"card":"call back on 48600100200 today"}""", """{"card":"call back on ********200 today"}""")]
    [InlineData("Caller +48 600 100 200 hung up", "Caller ********200 hung up")]
    // A line break, tab or no-break space inside a JSON string is written as an escape; its last letter or digit
    // must not hide the number after it.
    [InlineData("""{"card":"Call back:\n48600100200"}""", """{"card":"Call back:\n********200"}""")]
    [InlineData("""{"card":"Call back:\t48600100200"}""", """{"card":"Call back:\t********200"}""")]
    [InlineData("""{"card":"tel.\u00A048600100200"}""", """{"card":"tel.\u00A0********200"}""")]
    [InlineData("""{"card":"Tel.48600100200"}""", """{"card":"Tel.********200"}""")]
    public void PhoneNumbersIn_MasksEveryNumberTheWayTheCallerNumberIsMasked(string text, string expected) =>
        Assert.Equal(expected, Redact.PhoneNumbersIn(text));

    [Theory]
    [InlineData("""{"fromNumber":"anonymous"}""")]
    [InlineData("""{"startedAt":"2026-11-21T10:00:00.1234567\u002B01:00"}""")]
    [InlineData("""{"orderNumber":"ZS/2026/001400","transactionId":"tx-3003","number":2}""")]
    [InlineData("""{"elapsed":"12.1234567","product":"PUST1234567"}""")]
    public void PhoneNumbersIn_LeavesWhatIsNotAPhoneNumberReadable(string text) =>
        Assert.Equal(text, Redact.PhoneNumbersIn(text));

    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("1", "#")]
    [InlineData("4711#", "#####")]
    [InlineData("12345678901234567890123456789012", "################################")]
    [InlineData("1234567890123456789012345678901234567890", "################################")]
    public void Digits_KeepsOnlyTheLengthUpTo32(string? digits, string expected) =>
        Assert.Equal(expected, Redact.Digits(digits));
}
