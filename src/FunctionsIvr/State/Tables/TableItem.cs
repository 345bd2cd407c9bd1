namespace FunctionsIvr.State.Tables;

/// <summary>A table as the service lists it.</summary>
public sealed record TableItem(string Name);
