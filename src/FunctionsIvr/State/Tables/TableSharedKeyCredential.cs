namespace FunctionsIvr.State.Tables;

/// <summary>A storage account name and key, for SharedKeyLite signing (as Azure.Data.Tables' credential of that name).</summary>
public sealed class TableSharedKeyCredential
{
    private byte[] _key;

    public TableSharedKeyCredential(string accountName, string accountKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountName);
        AccountName = accountName;
        _key = DecodeKey(accountKey);
    }

    public string AccountName { get; }

    /// <summary>Swaps the key in place (key rotation) without rebuilding clients.</summary>
    public void SetAccountKey(string accountKey) => Volatile.Write(ref _key, DecodeKey(accountKey));

    /// <summary>The HMAC key: storage keys are Base64, and the decoded bytes are what signs.</summary>
    internal byte[] KeyBytes => Volatile.Read(ref _key);

    private static byte[] DecodeKey(string accountKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountKey);
        try
        {
            return Convert.FromBase64String(accountKey);
        }
        catch (FormatException e)
        {
            // The key itself stays out of the message: it is a secret.
            throw new ArgumentException("The storage account key is not valid Base64.", nameof(accountKey), e);
        }
    }
}
