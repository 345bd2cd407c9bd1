namespace FunctionsIvr.Functions;

/// <summary>Every Azure Function of the app: folder name = route = constant, so grep finds all three.</summary>
public static class FunctionNames
{
    public const string IvrCallback = Calls.IvrCallbackFunction.FunctionName;
    public const string AgentPage = Agents.AgentPageApi.PageFunction;
    public const string AgentCards = Agents.AgentPageApi.CardsFunction;
    public const string CallLogPage = Support.CallLogPageApi.FunctionName;
    public const string CommitOrder = "CommitOrder";
    public const string SendEscalation = "SendEscalation";
    public const string RecordCall = "RecordCall";
    public const string HandleDeadLetters = "HandleDeadLetters";
    public const string SweepOutbox = "SweepOutbox";
    public const string PurgeState = "PurgeState";
}
