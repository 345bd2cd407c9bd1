using System.Globalization;
using FunctionsIvr.Erp;

namespace FunctionsIvr.CallRecords;

/// <summary>
/// What the ERP's record of a call should say after every update processed so far: each field holds the value of the
/// highest-numbered update that set it, with that number beside it. Kept in the call state store under its own key.
/// Updates reach the processor in any order (a failed one is redelivered after later ones succeeded), and one applied
/// late on its own would put an older outcome or card back on the record; the merged whole is what the ERP is sent.
/// </summary>
internal static class MergedCallRecord
{
    private const string NumberSuffix = "#";

    /// <summary>What every <see cref="StoreKey"/> starts with: the retention purge keeps these rows longer than call state.</summary>
    public const string StoreKeyPrefix = "callrecord-";

    /// <summary>The call state key: beside the call's own state, never the same row.</summary>
    public static string StoreKey(string callId) => StoreKeyPrefix + callId;

    /// <summary>Sets every field the update carries unless a higher-numbered update already set it.</summary>
    public static void Merge(Dictionary<string, string> fields, UpdateCallRecord update, int number)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(update);
        Set(fields, "outcome", update.Outcome, number);
        Set(fields, "orderNumber", update.OrderNumber, number);
        Set(fields, "transferredTo", update.TransferredTo, number);
        Set(fields, "card", update.Card, number);
        Set(fields, "endedAt", update.EndedAt?.ToString("O", CultureInfo.InvariantCulture), number);
    }

    public static UpdateCallRecordRequest ToRequest(IReadOnlyDictionary<string, string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return new UpdateCallRecordRequest
        {
            Outcome = fields.GetValueOrDefault("outcome"),
            OrderNumber = fields.GetValueOrDefault("orderNumber"),
            TransferredTo = fields.GetValueOrDefault("transferredTo"),
            Card = fields.GetValueOrDefault("card"),
            EndedAt = DateTimeOffset.TryParse(fields.GetValueOrDefault("endedAt"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var ended)
                ? ended
                : null,
        };
    }

    private static void Set(Dictionary<string, string> fields, string name, string? value, int number)
    {
        if (value is null) return;
        var setBy = int.TryParse(fields.GetValueOrDefault(name + NumberSuffix), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        if (number < setBy) return;
        fields[name] = value;
        fields[name + NumberSuffix] = number.ToString(CultureInfo.InvariantCulture);
    }
}
