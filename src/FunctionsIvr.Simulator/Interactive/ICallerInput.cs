using FunctionsIvr.Simulator.Platform;

namespace FunctionsIvr.Simulator.Interactive;

/// <summary>Where the person at the phone decides what happens next: a terminal with prompts, or plain lines on stdin.</summary>
public interface ICallerInput
{
    /// <summary>The digits typed for a GetDTMF action ("" = timeout), or null when the caller hangs up (end of input).</summary>
    Task<string?> ReadDigitsAsync(AnsweredAction getDtmf, CancellationToken cancellationToken);

    /// <summary>The outcome of a Call… action, or null when the caller hangs up (end of input).</summary>
    Task<CallInput?> ReadCallStatusAsync(AnsweredAction call, CancellationToken cancellationToken);
}
