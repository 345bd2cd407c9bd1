namespace FunctionsIvr.Calls;

/// <summary>
/// Limits of the flow engine, each checked at startup against the range in its comment (<see cref="CallEngineOptionsValidator"/>),
/// and how amounts and dates are said.
/// The answer budget and answer mode are protocol settings: <see cref="Ivr.IvrOptions"/>.
/// </summary>
public sealed class CallEngineOptions
{
    public const string SectionName = "Calls";

    /// <summary>How long slow work (an ERP read) may go on after a holding prompt was answered instead.</summary>
    /// <remarks>Allowed: 500–120,000.</remarks>
    public int WorkTimeoutMs { get; set; } = 10_000;

    /// <summary>
    /// How long one send of out-of-band work (an escalation, a call record change) may take on the call path before it
    /// counts as failed. A queue that is down must fail fast enough for the flow to tell the caller the truth in time.
    /// </summary>
    /// <remarks>Allowed: 100–30,000.</remarks>
    public int QueueSendTimeoutMs { get; set; } = 1000;

    /// <summary>
    /// How long parking work the queue did not take (one write to the state storage, for the outbox sweep to send) may
    /// take on the call path. Only when this fails too is the work lost.
    /// </summary>
    /// <remarks>Allowed: 100–30,000.</remarks>
    public int ParkWorkTimeoutMs { get; set; } = 500;

    /// <summary>
    /// Callbacks one call may have before it is ended politely; stops loops and abuse. Every part of a read-out (a prompt,
    /// a number, a date) is one callback, so the offers alone take up to 34: the limit leaves room for a caller who hears
    /// them twice and then orders.
    /// </summary>
    /// <remarks>Allowed: 5–1,000.</remarks>
    public int MaxStepsPerCall { get; set; } = 200;

    /// <summary>Holding prompts in a row while waiting for slow work, before the call takes the fallback.</summary>
    /// <remarks>Allowed: 0–10.</remarks>
    public int MaxHoldsPerStep { get; set; } = 2;

    /// <summary>Step changes within one callback (decision steps that answer nothing); more means a loop in the flow.</summary>
    /// <remarks>Allowed: 2–100.</remarks>
    public int MaxTransitionsPerCallback { get; set; } = 16;

    /// <summary>
    /// The currency the price prompts name (ISO 4217): an amount is said as two numbers, the whole units and then the
    /// hundredths, next to prompts recorded for this currency ("złotych" in the shipped recordings). An amount the ERP
    /// gives in any other currency is not said (<see cref="SpokenMoney"/>).
    /// </summary>
    /// <remarks>Allowed: three letters A–Z.</remarks>
    public string PromptCurrency { get; set; } = "PLN";

    /// <summary>
    /// The business's time zone (IANA id): a moment from the ERP (when a complaint was opened) is said as the date it was
    /// there, whatever offset the ERP wrote it with.
    /// </summary>
    /// <remarks>Allowed: a time zone this machine knows.</remarks>
    public string TimeZone { get; set; } = "Europe/Warsaw";
}
