using FunctionsIvr.Erp;

namespace FunctionsIvr.Tests.Erp;

public class PhoneNumbersTests
{
    [Theory]
    [InlineData("48600100200", "+48600100200")]
    [InlineData("+48600100200", "+48600100200")]
    [InlineData("600100200", "+48600100200")]
    [InlineData("600 100 200", "+48600100200")]
    [InlineData("600-100-200", "+48600100200")]
    [InlineData("+48 (22) 555-01-23", "+48225550123")]
    [InlineData("0048600100200", "+48600100200")]
    [InlineData("46701234567", "+46701234567")]
    [InlineData("0044 20 7946 0958", "+442079460958")]
    public void Normalize_CommonWritings_E164(string input, string expected)
    {
        Assert.Equal(expected, PhoneNumbers.Normalize(input));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("anonymous")]
    [InlineData("1234")]
    [InlineData("+48 600 100 200 ext 5")]
    [InlineData("1234567890123456")]
    public void Normalize_NotAPhoneNumber_Null(string? input)
    {
        Assert.Null(PhoneNumbers.Normalize(input));
    }
}
