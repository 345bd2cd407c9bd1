namespace FunctionsIvr.Simulator.Scenarios;

/// <summary>A scenario file that cannot be run as written; the message names the file and what to fix.</summary>
public sealed class ScenarioFormatException : Exception
{
    public ScenarioFormatException()
    {
    }

    public ScenarioFormatException(string message) : base(message)
    {
    }

    public ScenarioFormatException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
