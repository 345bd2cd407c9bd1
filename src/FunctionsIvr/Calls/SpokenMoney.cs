using FunctionsIvr.Hosting;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Calls;

/// <summary>
/// Whether an amount from the ERP may be said. Amounts are said as two numbers, the whole units and then the
/// hundredths, next to prompts recorded for one currency (<see cref="CallEngineOptions.PromptCurrency"/>). An amount in
/// any other currency is left out: said with those prompts, 12.50 EUR would be heard as 12 złoty 50 groszy. The
/// call log notes it and a warning tells on-call that the ERP and the recordings disagree.
/// </summary>
public sealed partial class SpokenMoney(IOptions<CallEngineOptions> options, ILogger<SpokenMoney> logger)
{
    public string PromptCurrency => options.Value.PromptCurrency;

    /// <summary>
    /// True when <paramref name="amount"/> is above zero and <paramref name="currency"/> is the prompts' currency; otherwise
    /// notes what was left unsaid and why. Zero or less is what an ERP sends for an item without a list price (price on
    /// request) or an order it has not priced: "0 złoty" would be heard as "free".
    /// </summary>
    /// <param name="amount">The amount as it would be said, rounded as the read-out rounds it (0.40 said in whole units is 0).</param>
    /// <param name="what">What the amount is, for the call log and the warning (<c>price of CEM-325-25</c>).</param>
    public bool CanSay(CallContext ctx, decimal amount, string? currency, string what)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        if (amount <= 0)
        {
            ctx.Note($"{what} not said: it comes to {amount.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            return false;
        }

        if (string.Equals(currency?.Trim(), PromptCurrency, StringComparison.OrdinalIgnoreCase)) return true;
        var given = string.IsNullOrWhiteSpace(currency) ? "no currency" : currency.Trim();
        ctx.Note($"{what} not said: in {given}, the prompts name {PromptCurrency}");
        Log.AmountNotSaid(logger, Redact.Id(ctx.CallId), what, given, PromptCurrency);
        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2501, Level = LogLevel.Warning,
            Message = "Call {CallId}: {What} not said: the ERP gives it in {Currency}, the prompts name {PromptCurrency} (Calls:PromptCurrency)")]
        public static partial void AmountNotSaid(ILogger logger, string callId, string what, string currency, string promptCurrency);
    }
}
