namespace FunctionsIvr.Simulator.Load;

/// <summary>Reports on the reporting thread: <see cref="Progress{T}"/> would post to the thread pool and may arrive late or out of order.</summary>
public sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
