using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Azure;

namespace FunctionsIvr.State.Tables;

/// <summary>
/// A table row: keys, the server's Timestamp and ETag, and a dictionary of the other properties, like
/// Azure.Data.Tables' <c>TableEntity</c>. Values are <see cref="string"/>, <see cref="bool"/>, <see cref="int"/>,
/// <see cref="long"/>, <see cref="double"/>, <see cref="DateTimeOffset"/>, <see cref="Guid"/> or <see cref="byte"/>[];
/// a null value is not stored. The indexer returns null for a missing property instead of throwing.
/// </summary>
public class TableEntity : IDictionary<string, object?>
{
    private readonly Dictionary<string, object?> _properties = new(StringComparer.Ordinal);

    public TableEntity()
    {
    }

    public TableEntity(string partitionKey, string rowKey)
    {
        PartitionKey = partitionKey;
        RowKey = rowKey;
    }

    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";

    /// <summary>Set by the service on every write; ignored when sent.</summary>
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>The version read; <c>default</c> for an entity never read from the service.</summary>
    public ETag ETag { get; set; }

    public object? this[string key]
    {
        get => _properties.GetValueOrDefault(key);
        set => _properties[key] = value;
    }

    public string? GetString(string key) => Get<string>(key);

    public bool? GetBoolean(string key) => GetStruct<bool>(key);

    public int? GetInt32(string key) => GetStruct<int>(key);

    /// <summary>An Int64 property; an Int32 one widens (the service types small numbers as Int32).</summary>
    public long? GetInt64(string key) => this[key] is int small ? small : GetStruct<long>(key);

    /// <summary>A Double property; an Int32 one widens (a double without fraction written unannotated reads back as Int32).</summary>
    public double? GetDouble(string key) => this[key] is int small ? small : GetStruct<double>(key);

    public DateTimeOffset? GetDateTimeOffset(string key) =>
        this[key] is DateTime dateTime ? new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)) : GetStruct<DateTimeOffset>(key);

    public Guid? GetGuid(string key) => GetStruct<Guid>(key);

    public byte[]? GetBinary(string key) => this[key] switch
    {
        null => null,
        byte[] bytes => bytes,
        BinaryData data => data.ToArray(),
        var other => throw WrongType(key, typeof(byte[]), other),
    };

    private T? Get<T>(string key) where T : class => this[key] switch
    {
        null => null,
        T value => value,
        var other => throw WrongType(key, typeof(T), other),
    };

    private T? GetStruct<T>(string key) where T : struct => this[key] switch
    {
        null => null,
        T value => value,
        var other => throw WrongType(key, typeof(T), other),
    };

    private static InvalidOperationException WrongType(string key, Type wanted, object actual) =>
        new($"Property '{key}' is {actual.GetType().Name}, not {wanted.Name}.");

    public ICollection<string> Keys => _properties.Keys;
    public ICollection<object?> Values => _properties.Values;
    public int Count => _properties.Count;
    public bool IsReadOnly => false;

    public void Add(string key, object? value) => _properties.Add(key, value);
    public bool ContainsKey(string key) => _properties.ContainsKey(key);
    public bool Remove(string key) => _properties.Remove(key);
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value) => _properties.TryGetValue(key, out value);
    public void Add(KeyValuePair<string, object?> item) => _properties.Add(item.Key, item.Value);
    public void Clear() => _properties.Clear();
    public bool Contains(KeyValuePair<string, object?> item) => ((ICollection<KeyValuePair<string, object?>>)_properties).Contains(item);

    public void CopyTo(KeyValuePair<string, object?>[] array, int arrayIndex) =>
        ((ICollection<KeyValuePair<string, object?>>)_properties).CopyTo(array, arrayIndex);

    public bool Remove(KeyValuePair<string, object?> item) => ((ICollection<KeyValuePair<string, object?>>)_properties).Remove(item);
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _properties.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
