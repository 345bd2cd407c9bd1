namespace FunctionsIvr.Tests.Faults;

/// <summary>The invariants every drill must keep.</summary>
internal static class DrillAssert
{
    /// <summary>
    /// Margin over the 1500 ms budget before a slow answer fails the drill: the report counts every answer over the
    /// budget exactly, the assertion only catches an answer that waited for the fault (seconds), not a busy machine.
    /// </summary>
    public const int BudgetMarginMs = 1500;

    /// <summary>How much earlier than asked a timer may seem to fire, measured by another clock (the timers count whole milliseconds).</summary>
    private static readonly TimeSpan TimerSlack = TimeSpan.FromMilliseconds(20);

    public static void Holds(FaultDrillReport report, DrillLedger ledger)
    {
        var invalid = report.Answers.Where(a => a.Problem is not null).Select(a => $"{a.Event}: {a.Problem}").ToList();
        Assert.True(invalid.Count == 0, "every answer is a valid IVR action: " + string.Join("; ", invalid));
        Assert.True(report.SlowestMs < FaultDrillReport.BudgetMs + BudgetMarginMs,
            $"the slowest answer took {report.SlowestMs:0} ms; the budget is {FaultDrillReport.BudgetMs} ms");

        foreach (var order in ledger.Orders)
        {
            var who = $"call {order.Call.CallId} (transaction {order.TransactionId ?? "none"}, outbox {order.Status ?? "none"})";
            Assert.True(order.ErpOrders <= 1, $"{who}: {order.ErpOrders} ERP orders from one transaction");
            if (order.Accepted)
            {
                Assert.NotNull(order.TransactionId);
                Assert.True(order.ErpOrders == 1 || ledger.Escalated(order.TransactionId),
                    $"{who}: the caller heard 'accepted' but the order is neither in the ERP nor escalated to a person");
            }
            else
            {
                Assert.True(order.ErpOrders == 0, $"{who}: ordered in the ERP though the caller never heard 'accepted'");
            }
        }

        foreach (var call in report.Calls.Where(c => c.Heard(DrillApp.CallbackPromisedPrompt)))
        {
            Assert.True(ledger.EscalationIds.Contains("callback-requested-" + call.CallId),
                $"call {call.CallId}: the caller was promised a call back but no escalation reached a person");
        }
    }

    /// <summary>
    /// Service Bus (the trigger host) redelivers a failed message at once, so the app must have held every failed
    /// delivery's answer for its retry delay: that pause is all that spreads a message's deliveries over time.
    /// </summary>
    public static void FailuresHeldForTheirRetryDelay(ServiceBusTriggerHost host)
    {
        var early = host.Deliveries
            .Where(d => d.Failed && d.Took < host.RetrySchedule.RetryDelayAfter(d.DeliveryCount) - TimerSlack)
            .Select(d => $"{d.Queue} {d.MessageId} delivery {d.DeliveryCount}: answered {d.Status} after {d.Took.TotalMilliseconds:0} ms, its retry delay is {host.RetrySchedule.RetryDelayAfter(d.DeliveryCount).TotalMilliseconds:0} ms")
            .ToList();
        Assert.True(early.Count == 0, "failed deliveries answered before their retry delay, so redelivered without a pause: " + string.Join("; ", early));
    }

    /// <summary>
    /// With only the queue down, out-of-band work is parked in the state storage, so every caller who asked for a call
    /// back during the outage is promised one and it reaches a person after the outage; nothing the calls sent is left
    /// parked once the sweep ran.
    /// </summary>
    public static void NothingRaisedDuringTheOutageLost(IEnumerable<DrillCall> callbacks, DrillLedger ledger)
    {
        foreach (var call in callbacks)
        {
            Assert.True(call.Heard(DrillApp.CallbackPromisedPrompt), $"call {call.CallId}: asked for a call back while only the queue was down, but was not promised one");
            Assert.True(ledger.EscalationIds.Contains("callback-requested-" + call.CallId),
                $"call {call.CallId}: the call back escalation raised during the outage never reached a person");
        }

        Assert.True(ledger.StillParked.Count == 0, "work parked during the outage was not sent by the sweep: " + string.Join(", ", ledger.StillParked));
    }
}
