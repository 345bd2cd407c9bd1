namespace FunctionsIvr.State.Tables;

/// <summary>How an update treats properties the sent entity lacks: Replace drops them, Merge keeps them.</summary>
public enum TableUpdateMode
{
    Merge,
    Replace,
}
