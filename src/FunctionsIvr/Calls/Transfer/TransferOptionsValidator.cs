using FunctionsIvr.Hosting;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Calls.Transfer;

/// <summary>Startup check of <see cref="TransferOptions"/>: somebody to transfer to, and ring times the PBX accepts.</summary>
public sealed class TransferOptionsValidator : IValidateOptions<TransferOptions>
{
    public ValidateOptionsResult Validate(string? name, TransferOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var checks = new SettingChecks(TransferOptions.SectionName);
        checks.Required(nameof(TransferOptions.AgentLogin), options.AgentLogin, "the PBX login of the first person to transfer to");
        checks.Required(nameof(TransferOptions.TeamQueue), options.TeamQueue, "the PBX login of the team queue");
        checks.Range(nameof(TransferOptions.AgentRingSeconds), options.AgentRingSeconds, 5, 120);
        checks.Range(nameof(TransferOptions.QueueRingSeconds), options.QueueRingSeconds, 5, 300);
        return checks.Result;
    }
}
