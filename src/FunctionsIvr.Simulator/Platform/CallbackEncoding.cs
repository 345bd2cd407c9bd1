namespace FunctionsIvr.Simulator.Platform;

/// <summary>How a callback body is put on the wire; the platform's own parser accepts all three.</summary>
public enum CallbackEncoding
{
    /// <summary><c>{"request":{…}}</c> as <c>application/json</c>, the documented shape.</summary>
    Json,

    /// <summary><c>request=&lt;urlencoded JSON&gt;</c> as <c>application/x-www-form-urlencoded</c>.</summary>
    Form,

    /// <summary>The request object without the <c>request</c> wrapper, as <c>application/json</c>.</summary>
    Bare,
}

public static class CallbackEncodings
{
    public static readonly IReadOnlyList<string> Names = ["json", "form", "bare"];

    public static bool TryParse(string? text, out CallbackEncoding encoding)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "JSON": encoding = CallbackEncoding.Json; return true;
            case "FORM": encoding = CallbackEncoding.Form; return true;
            case "BARE": encoding = CallbackEncoding.Bare; return true;
            default: encoding = default; return false;
        }
    }
}
