using System.ComponentModel.DataAnnotations;

namespace FunctionsIvr.Calls.Transfer;

/// <summary>Who picks up when the phone cannot help: a person first, then the team queue.</summary>
public sealed class TransferOptions
{
    public const string SectionName = "Transfer";

    /// <summary>PBX object login of the first person to try (an agent or a duty desk).</summary>
    [Required(ErrorMessage = "Transfer:AgentLogin (env Transfer__AgentLogin) is required: the PBX login of the first person to transfer to.")]
    public string AgentLogin { get; set; } = "";

    /// <summary>PBX object login of the team queue tried when the person does not answer.</summary>
    [Required(ErrorMessage = "Transfer:TeamQueue (env Transfer__TeamQueue) is required: the PBX login of the team queue.")]
    public string TeamQueue { get; set; } = "";

    /// <summary>Ring time for a person; the platform advises 10–20 s for a first attempt.</summary>
    [Range(5, 120)]
    public int AgentRingSeconds { get; set; } = 15;

    [Range(5, 300)]
    public int QueueRingSeconds { get; set; } = 30;

    /// <summary>After an apology for a failure, offer the team queue (true) or hang up (false).</summary>
    public bool FallbackToQueue { get; set; } = true;
}
