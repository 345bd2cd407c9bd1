namespace FunctionsIvr.Calls.Transfer;

/// <summary>Who picks up when the phone cannot help: a person first, then the team queue. Checked at startup (<see cref="TransferOptionsValidator"/>).</summary>
public sealed class TransferOptions
{
    public const string SectionName = "Transfer";

    /// <summary>PBX object login of the first person to try (an agent or a duty desk).</summary>
    /// <remarks>Required.</remarks>
    public string AgentLogin { get; set; } = "";

    /// <summary>PBX object login of the team queue tried when the person does not answer.</summary>
    /// <remarks>Required.</remarks>
    public string TeamQueue { get; set; } = "";

    /// <summary>Ring time for a person; the platform advises 10–20 s for a first attempt.</summary>
    /// <remarks>Allowed: 5–120 s.</remarks>
    public int AgentRingSeconds { get; set; } = 15;

    /// <summary>Ring time for the team queue.</summary>
    /// <remarks>Allowed: 5–300 s.</remarks>
    public int QueueRingSeconds { get; set; } = 30;

    /// <summary>After an apology for a failure, offer the team queue (true) or hang up (false).</summary>
    public bool FallbackToQueue { get; set; } = true;
}
