namespace FunctionsIvr.Simulator.Platform;

/// <summary>The platform's <c>Error</c> object, sent when an action failed or the app's answer could not be used.</summary>
public sealed record PlatformError(string ErrorNo, string ErrorMsg);
