using System.Net.Http.Json;
using System.Text.Json;

namespace FunctionsIvr.Simulator.Load;

/// <summary>
/// After a load run, reads the ERP's placed orders (<c>GET /admin/placed-orders</c>, the DemoErp's admin switch) until
/// the commits have drained, and holds them against what the callers heard, call by call. The commits run out of
/// band (the app's queue), so the first look may come too early: it polls until nothing is missing and no prepared
/// transaction is open, or nothing changed for <see cref="OrderCheckOptions.Settle"/>, or the drain timeout passed.
/// </summary>
public sealed class ErpOrderCheck(HttpClient http, OrderCheckOptions options, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<OrderCheckResult> RunAsync(IReadOnlyDictionary<string, int> acceptedByCall, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(acceptedByCall);
        var started = time.GetTimestamp();
        var lastChange = started;
        string? lastState = null;
        while (true)
        {
            var elapsed = time.GetElapsedTime(started);
            OrderCheckResult result;
            try
            {
                result = Compare(acceptedByCall, await ReadAsync(cancellationToken));
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                result = Empty(acceptedByCall) with { Error = e.Message };
            }

            var state = $"{result.CommittedExactlyOnce}/{result.Duplicates}/{result.Unannounced}/{result.Missing}/{result.OpenTransactions}/{result.Error}";
            if (state != lastState)
            {
                lastState = state;
                lastChange = time.GetTimestamp();
            }

            var drained = result.Error is null && result.Missing == 0 && result.OpenTransactions == 0;
            if (drained || time.GetElapsedTime(lastChange) >= options.Settle || elapsed >= options.DrainTimeout)
            {
                return result with { Drained = drained, Waited = elapsed };
            }

            await Task.Delay(options.PollInterval, time, cancellationToken);
        }
    }

    /// <summary>Per call: min(accepted, orders) matched exactly once, the rest duplicates, unannounced or missing.</summary>
    public static OrderCheckResult Compare(IReadOnlyDictionary<string, int> acceptedByCall, PlacedOrdersDocument placed)
    {
        ArgumentNullException.ThrowIfNull(acceptedByCall);
        ArgumentNullException.ThrowIfNull(placed);
        var ofThisRun = placed.Orders
            .Where(o => o.CallId is not null && acceptedByCall.ContainsKey(o.CallId))
            .GroupBy(o => o.CallId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        int exactlyOnce = 0, duplicates = 0, unannounced = 0, missing = 0;
        foreach (var (callId, accepted) in acceptedByCall)
        {
            var orders = ofThisRun.GetValueOrDefault(callId)?.Count ?? 0;
            exactlyOnce += Math.Min(accepted, orders);
            missing += Math.Max(0, accepted - orders);
            if (accepted == 0) unannounced += orders;
            else duplicates += Math.Max(0, orders - accepted);
        }

        return new OrderCheckResult
        {
            Accepted = acceptedByCall.Values.Sum(),
            CommittedExactlyOnce = exactlyOnce,
            Duplicates = duplicates,
            Unannounced = unannounced,
            Missing = missing,
            CommitRedeliveries = ofThisRun.Values.SelectMany(o => o).Count(o => o.CommitRequests > 1),
            OpenTransactions = placed.OpenTransactions,
        };
    }

    private static OrderCheckResult Empty(IReadOnlyDictionary<string, int> acceptedByCall) => new()
    {
        Accepted = acceptedByCall.Values.Sum(),
        CommittedExactlyOnce = 0,
        Duplicates = 0,
        Unannounced = 0,
        Missing = acceptedByCall.Values.Sum(),
    };

    private async Task<PlacedOrdersDocument> ReadAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(options.ErpUrl.ToString().TrimEnd('/') + "/admin/placed-orders"));
        request.Headers.Add("X-Api-Key", options.ApiKey);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        using var response = await http.SendAsync(request, timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET /admin/placed-orders answered {(int)response.StatusCode}", null, response.StatusCode);
        }

        return await response.Content.ReadFromJsonAsync<PlacedOrdersDocument>(Json, timeout.Token)
               ?? throw new JsonException("GET /admin/placed-orders answered null");
    }
}

/// <summary>The body of the DemoErp's <c>GET /admin/placed-orders</c>, as far as the check reads it.</summary>
public sealed record PlacedOrdersDocument(IReadOnlyList<PlacedOrderEntry> Orders, int OpenTransactions);

public sealed record PlacedOrderEntry(string Id, string? Number, string? CallId, string? TransactionId, int? CommitRequests);
