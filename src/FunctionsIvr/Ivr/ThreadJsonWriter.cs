using System.Buffers;
using System.Text.Json;

namespace FunctionsIvr.Ivr;

/// <summary>
/// A JSON writer and its buffer kept in a <c>[ThreadStatic]</c> slot of the code that writes on every callback (the
/// Session, its signature, the answer): a new writer and buffer each time were a measurable share of a callback's
/// allocations. Use it between two awaits only, and copy out what must outlive the next use on the thread.
/// </summary>
internal sealed class ThreadJsonWriter
{
    private ThreadJsonWriter() => Json = new Utf8JsonWriter(Buffer);

    public ArrayBufferWriter<byte> Buffer { get; } = new(512);

    public Utf8JsonWriter Json { get; }

    /// <summary>The writer in <paramref name="slot"/> (created on the thread's first use), emptied.</summary>
    public static ThreadJsonWriter For(ref ThreadJsonWriter? slot)
    {
        var writer = slot ??= new ThreadJsonWriter();
        writer.Buffer.ResetWrittenCount();
        writer.Json.Reset();
        return writer;
    }
}
