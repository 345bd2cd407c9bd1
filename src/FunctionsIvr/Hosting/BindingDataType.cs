namespace FunctionsIvr.Hosting;

/// <summary>The trigger binding's <c>dataType</c> in function.json; with <see cref="Binary"/> the host sends the body as base64.</summary>
public enum BindingDataType
{
    String,
    Binary,
}
