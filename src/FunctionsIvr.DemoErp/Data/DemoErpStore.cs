using System.Globalization;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.DemoErp.Data;

/// <summary>
/// The ERP's data in memory, behind one lock: small enough that a demo never notices, and every operation
/// (reserve, commit, release) is atomic. Business refusals throw <see cref="ProblemException"/>.
/// Prepared transactions expire lazily: each operation first releases the stock of those past their expiry.
/// </summary>
public sealed class DemoErpStore
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly DemoErpOptions _options;

    private Dictionary<string, Contact> _contacts = [];
    private Dictionary<string, Product> _products = [];
    private Dictionary<string, Order> _orders = [];
    private Dictionary<string, Transaction> _transactions = [];
    private Dictionary<string, CallRecord> _calls = [];
    private List<Promotion> _promotions = [];
    private List<Complaint> _complaints = [];
    private List<string> _placedOrderIds = [];
    private int _nextOrder;

    public DemoErpStore(TimeProvider time, IOptions<DemoErpOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _options = options.Value;
        Reset();
    }

    /// <summary>Back to the seeded data; open transactions and call records are forgotten.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            _products = DemoData.Products()
                .Select(p => p with { Stock = p.Stock * _options.StockMultiplier })
                .ToDictionary(p => p.Code, StringComparer.OrdinalIgnoreCase);
            _contacts = DemoData.Contacts().ToDictionary(c => c.Id, StringComparer.Ordinal);
            var orders = DemoData.Orders(now, _products);
            _orders = orders.ToDictionary(o => o.Id, StringComparer.Ordinal);
            _complaints = [.. DemoData.Complaints(now, orders)];
            _promotions = [.. DemoData.Promotions(now)];
            _transactions = new(StringComparer.Ordinal);
            _calls = new(StringComparer.Ordinal);
            _placedOrderIds = [];
            _nextOrder = DemoData.FirstNewOrderSequence;
        }
    }

    // ---- contacts ----

    public ItemPage<Contact> Contacts(string? phone, int page, int pageSize)
    {
        lock (_lock)
        {
            IEnumerable<Contact> all = _contacts.Values.OrderBy(c => c.Id, StringComparer.Ordinal);
            if (phone is not null)
            {
                var normalized = Phone.Normalize(phone);
                all = normalized is null ? [] : all.Where(c => c.Phones.Contains(normalized));
            }

            return Paged(all.ToList(), page, pageSize);
        }
    }

    public Contact Contact(string id)
    {
        lock (_lock) return ContactOrThrow(id);
    }

    // ---- products ----

    public ItemPage<Product> Products(string? search, int page, int pageSize)
    {
        lock (_lock)
        {
            ExpireDue();
            var term = search?.Trim() ?? "";
            var ranked = _products.Values
                .Select(p => (Product: p, Rank: Rank(p, term)))
                .Where(x => x.Rank >= 0)
                .OrderBy(x => x.Rank).ThenBy(x => x.Product.Code, StringComparer.Ordinal)
                .Select(x => x.Product)
                .ToList();
            return Paged(ranked, page, pageSize);
        }

        static int Rank(Product p, string term)
        {
            if (term.Length == 0) return 0;
            if (p.Code.Equals(term, StringComparison.OrdinalIgnoreCase)) return 0;
            // Callers type codes on a phone keypad: digits only match a code by its digits (CEM-325-25 is 32525).
            if (term.All(char.IsAsciiDigit)) return KeypadDigits(p.Code) == term ? 0 : -1;
            if (p.Code.StartsWith(term, StringComparison.OrdinalIgnoreCase)) return 1;
            if (p.Name.StartsWith(term, StringComparison.OrdinalIgnoreCase)) return 2;
            if (p.Name.Contains(term, StringComparison.OrdinalIgnoreCase) || p.Code.Contains(term, StringComparison.OrdinalIgnoreCase)) return 3;
            return -1;
        }

        static string KeypadDigits(string code) => new(code.Where(char.IsAsciiDigit).ToArray());
    }

    // ---- orders ----

    public ItemPage<Order> Orders(string? contactId, IReadOnlyCollection<string> statuses, int page, int pageSize)
    {
        lock (_lock)
        {
            var orders = _orders.Values
                .Where(o => contactId is null || o.ContactId == contactId)
                .Where(o => statuses.Count == 0 || statuses.Contains(o.Status))
                .OrderByDescending(o => o.CreatedAt)
                .ToList();
            return Paged(orders, page, pageSize);
        }
    }

    public Order Order(string id)
    {
        lock (_lock) return _orders.TryGetValue(id, out var order) ? order : throw ProblemException.NotFound("Order", id);
    }

    public Order CreateOrder(CreateOrderRequest request)
    {
        lock (_lock)
        {
            ExpireDue();
            var contact = OrderingContact(request.ContactId);
            var lines = PriceAndTake(request.Lines);
            var now = _time.GetUtcNow();
            var order = new Order
            {
                Id = NewOrderId(out var sequence),
                Number = DemoData.OrderNumber(now.Year, sequence),
                ContactId = contact.Id,
                Status = OrderStatuses.Confirmed,
                CreatedAt = now,
                Lines = lines,
                Total = lines.Sum(l => l.LineTotal),
                EstimatedDelivery = DeliveryDate(now),
                CallId = request.CallId,
                Notes = request.Notes,
            };
            _orders[order.Id] = order;
            _placedOrderIds.Add(order.Id);
            return order;
        }
    }

    public Order UpdateOrder(string id, UpdateOrderRequest request)
    {
        lock (_lock)
        {
            ExpireDue();
            var order = _orders.TryGetValue(id, out var found) ? found : throw ProblemException.NotFound("Order", id);
            if (request.Status is not null && request.Status != OrderStatuses.Cancelled)
            {
                throw ProblemException.Validation("Only status 'cancelled' can be set by a client.", "status");
            }

            if (request.Status == OrderStatuses.Cancelled)
            {
                if (order.Status == OrderStatuses.Cancelled) return order;
                RequireChangeable(order);
                Release(order.Lines);
                return _orders[id] = order with { Status = OrderStatuses.Cancelled };
            }

            if (request.Lines is null) throw ProblemException.Validation("Give 'lines' to replace, or 'status': 'cancelled'.");
            RequireChangeable(order);
            Release(order.Lines);
            try
            {
                var lines = PriceAndTake(request.Lines);
                return _orders[id] = order with { Lines = lines, Total = lines.Sum(l => l.LineTotal) };
            }
            catch (ProblemException)
            {
                Take(order.Lines);
                throw;
            }
        }
    }

    // ---- two-phase commit ----

    public PreparedTransaction Prepare(PrepareTransactionRequest request)
    {
        lock (_lock)
        {
            ExpireDue();
            var ttl = request.TtlSeconds ?? _options.PrepareTtlSeconds;
            if (ttl is < 1 or > 3600) throw ProblemException.Validation("ttlSeconds must be between 1 and 3600.", "ttlSeconds");
            var contact = OrderingContact(request.ContactId);
            var lines = PriceAndTake(request.Lines);
            var now = _time.GetUtcNow();
            var transaction = new Transaction
            {
                Id = "tx-" + Guid.NewGuid().ToString("N")[..16],
                ContactId = contact.Id,
                OrderNumber = DemoData.OrderNumber(now.Year, _nextOrder++),
                Lines = lines,
                ExpiresAt = now.AddSeconds(ttl),
                EstimatedDelivery = DeliveryDate(now),
                CallId = request.CallId,
            };
            _transactions[transaction.Id] = transaction;
            return Prepared(transaction);
        }
    }

    public TransactionOutcome Commit(string? transactionId)
    {
        lock (_lock)
        {
            ExpireDue();
            var transaction = TransactionOrThrow(transactionId);
            transaction.CommitRequests++;
            switch (transaction.Status)
            {
                case TransactionStatuses.Committed:
                    return new(transaction.Id, transaction.Status, _orders[transaction.OrderId!]);
                case TransactionStatuses.Expired:
                    throw new ProblemException(410, ProblemTypes.TransactionExpired, "The transaction expired.",
                        "Its reservation was released at " + transaction.ExpiresAt.ToString("O", CultureInfo.InvariantCulture) + "; prepare again.");
                case TransactionStatuses.Aborted:
                    throw new ProblemException(409, ProblemTypes.TransactionAborted, "The transaction was aborted.", "An aborted transaction cannot be committed.");
            }

            var now = _time.GetUtcNow();
            var order = new Order
            {
                Id = NewOrderId(out _),
                Number = transaction.OrderNumber,
                ContactId = transaction.ContactId,
                Status = OrderStatuses.Confirmed,
                CreatedAt = now,
                Lines = transaction.Lines,
                Total = transaction.Lines.Sum(l => l.LineTotal),
                EstimatedDelivery = transaction.EstimatedDelivery,
                TransactionId = transaction.Id,
                CallId = transaction.CallId,
            };
            _orders[order.Id] = order;
            _placedOrderIds.Add(order.Id);
            transaction.Status = TransactionStatuses.Committed;
            transaction.OrderId = order.Id;
            return new(transaction.Id, transaction.Status, order);
        }
    }

    public TransactionOutcome Abort(string? transactionId)
    {
        lock (_lock)
        {
            ExpireDue();
            var transaction = TransactionOrThrow(transactionId);
            if (transaction.Status == TransactionStatuses.Committed)
            {
                throw new ProblemException(409, ProblemTypes.TransactionCommitted, "The transaction is committed.",
                    "Cancel the order instead (PATCH /orders/{id} with status 'cancelled').",
                    new Dictionary<string, object?> { ["orderId"] = transaction.OrderId });
            }

            if (transaction.Status == TransactionStatuses.Prepared)
            {
                Release(transaction.Lines);
                transaction.Status = TransactionStatuses.Aborted;
            }

            return new(transaction.Id, transaction.Status, null);
        }
    }

    // ---- what was placed since the seed (admin) ----

    /// <summary>
    /// Every order created since the seed (by <c>POST /orders</c> or a commit), oldest first, with the call it came from
    /// and how many commit requests its transaction received; and the transactions still prepared (holding stock).
    /// A load test compares these with the orders its callers heard accepted.
    /// </summary>
    public PlacedOrders PlacedOrders()
    {
        lock (_lock)
        {
            ExpireDue();
            var commits = _transactions.Values.Where(t => t.OrderId is not null).ToDictionary(t => t.OrderId!, t => t.CommitRequests, StringComparer.Ordinal);
            var orders = _placedOrderIds.Select(id => _orders[id]).Select(o => new PlacedOrder(
                o.Id, o.Number, o.ContactId, o.CallId, o.TransactionId, o.TransactionId is null ? null : commits.GetValueOrDefault(o.Id), o.Status)).ToList();
            return new PlacedOrders(orders, _transactions.Values.Count(t => t.Status == TransactionStatuses.Prepared));
        }
    }

    // ---- insights ----

    public IReadOnlyList<TopProduct> TopProducts(string contactId, int limit)
    {
        lock (_lock)
        {
            ContactOrThrow(contactId);
            return _orders.Values
                .Where(o => o.ContactId == contactId && o.Status != OrderStatuses.Cancelled)
                .SelectMany(o => o.Lines.Select(l => (Order: o, Line: l)))
                .GroupBy(x => x.Line.ProductCode, StringComparer.OrdinalIgnoreCase)
                .Select(g =>
                {
                    var product = _products[g.Key];
                    return new TopProduct(product.Code, product.Name, product.Unit, g.Sum(x => x.Line.Quantity),
                        g.Select(x => x.Order.Id).Distinct().Count(), g.Max(x => x.Order.CreatedAt), product.Price, product.Currency);
                })
                .OrderByDescending(t => t.OrderCount).ThenByDescending(t => t.LastOrderedAt).ThenBy(t => t.ProductCode, StringComparer.Ordinal)
                .Take(limit)
                .ToList();
        }
    }

    public IReadOnlyList<Recommendation> Recommendations(string contactId, int limit)
    {
        lock (_lock)
        {
            ExpireDue();
            ContactOrThrow(contactId);
            var bought = _orders.Values
                .Where(o => o.ContactId == contactId && o.Status != OrderStatuses.Cancelled)
                .SelectMany(o => o.Lines).Select(l => l.ProductCode)
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            var related = bought
                .SelectMany(code => DemoData.GoesWith.GetValueOrDefault(code, []).Select(other => (Other: other, Because: code)))
                .Where(x => !bought.Contains(x.Other) && _products[x.Other].Stock > 0)
                .GroupBy(x => x.Other)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => Recommend(_products[g.Key], "Często kupowane razem z: " + _products[g.First().Because].Name));
            var bestsellers = _orders.Values
                .Where(o => o.Status != OrderStatuses.Cancelled)
                .SelectMany(o => o.Lines).GroupBy(l => l.ProductCode)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => _products[g.Key])
                .Where(p => !bought.Contains(p.Code) && p.Stock > 0)
                .Select(p => Recommend(p, "Bestseller hurtowni"));
            return related.Concat(bestsellers).DistinctBy(r => r.ProductCode).Take(limit).ToList();
        }

        static Recommendation Recommend(Product p, string reason) => new(p.Code, p.Name, p.Unit, p.Price, p.Currency, reason);
    }

    public IReadOnlyList<Promotion> Promotions(string? contactId)
    {
        lock (_lock)
        {
            var segment = contactId is null ? null : ContactOrThrow(contactId).Segment;
            var today = DateOnly.FromDateTime(_time.GetUtcNow().Date);
            return _promotions
                .Where(p => p.ValidFrom <= today && today <= p.ValidTo)
                .Where(p => p.Segment is null || contactId is null || p.Segment == segment)
                .ToList();
        }
    }

    public IReadOnlyList<Complaint> Complaints(string? contactId, string? status)
    {
        lock (_lock)
        {
            if (contactId is not null) ContactOrThrow(contactId);
            return _complaints
                .Where(c => contactId is null || c.ContactId == contactId)
                .Where(c => status is null || c.Status == status)
                .OrderByDescending(c => c.OpenedAt)
                .ToList();
        }
    }

    // ---- call records ----

    public CallRecord CreateCall(CreateCallRecordRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.CallId)) throw ProblemException.Validation("callId is required.", "callId");
        if (string.IsNullOrWhiteSpace(request.FromNumber)) throw ProblemException.Validation("fromNumber is required.", "fromNumber");
        if (string.IsNullOrWhiteSpace(request.DialledNumber)) throw ProblemException.Validation("dialledNumber is required.", "dialledNumber");
        lock (_lock)
        {
            if (request.ContactId is not null) ContactOrThrow(request.ContactId);
            var record = new CallRecord
            {
                Id = "cr-" + Guid.NewGuid().ToString("N")[..12],
                CallId = request.CallId,
                FromNumber = Phone.Normalize(request.FromNumber) ?? request.FromNumber,
                DialledNumber = Phone.Normalize(request.DialledNumber) ?? request.DialledNumber,
                ContactId = request.ContactId,
                StartedAt = request.StartedAt ?? _time.GetUtcNow(),
                Card = request.Card,
            };
            _calls[record.Id] = record;
            return record;
        }
    }

    public CallRecord Call(string id)
    {
        lock (_lock) return _calls.TryGetValue(id, out var record) ? record : throw ProblemException.NotFound("Call record", id);
    }

    public CallRecord UpdateCall(string id, UpdateCallRecordRequest request)
    {
        lock (_lock)
        {
            var record = _calls.TryGetValue(id, out var found) ? found : throw ProblemException.NotFound("Call record", id);
            if (request.ContactId is not null) ContactOrThrow(request.ContactId);
            return _calls[id] = record with
            {
                ContactId = request.ContactId ?? record.ContactId,
                EndedAt = request.EndedAt ?? record.EndedAt,
                Outcome = request.Outcome ?? record.Outcome,
                OrderNumber = request.OrderNumber ?? record.OrderNumber,
                TransferredTo = request.TransferredTo ?? record.TransferredTo,
                Card = request.Card ?? record.Card,
            };
        }
    }

    // ---- inside the lock ----

    private void ExpireDue()
    {
        var now = _time.GetUtcNow();
        foreach (var transaction in _transactions.Values)
        {
            if (transaction.Status == TransactionStatuses.Prepared && transaction.ExpiresAt <= now)
            {
                Release(transaction.Lines);
                transaction.Status = TransactionStatuses.Expired;
            }
        }
    }

    private Contact ContactOrThrow(string id) =>
        _contacts.TryGetValue(id, out var contact) ? contact : throw ProblemException.NotFound("Contact", id);

    private Transaction TransactionOrThrow(string? id)
    {
        if (string.IsNullOrWhiteSpace(id)) throw ProblemException.Validation("transactionId is required.", "transactionId");
        return _transactions.TryGetValue(id, out var transaction) ? transaction : throw ProblemException.NotFound("Transaction", id);
    }

    private Contact OrderingContact(string? contactId)
    {
        if (string.IsNullOrWhiteSpace(contactId)) throw ProblemException.Validation("contactId is required.", "contactId");
        if (!_contacts.TryGetValue(contactId, out var contact))
        {
            throw new ProblemException(422, ProblemTypes.UnknownContact, "Unknown contact.", $"No contact with id '{contactId}'.",
                new Dictionary<string, object?> { ["contactId"] = contactId });
        }

        if (contact.Blocked)
        {
            throw new ProblemException(422, ProblemTypes.ContactBlocked, "The contact is blocked.",
                "Orders from this customer are not accepted; refer them to their account manager.",
                new Dictionary<string, object?> { ["contactId"] = contactId });
        }

        return contact;
    }

    /// <summary>Validates and prices the lines and takes their quantities off the stock, all or nothing.</summary>
    private List<OrderLine> PriceAndTake(IReadOnlyList<OrderLineRequest>? requested)
    {
        if (requested is null || requested.Count == 0) throw ProblemException.Validation("At least one line is required.", "lines");
        if (requested.Count > 50) throw ProblemException.Validation("At most 50 lines.", "lines");
        var lines = new List<OrderLine>(requested.Count);
        foreach (var line in requested)
        {
            if (string.IsNullOrWhiteSpace(line.ProductCode)) throw ProblemException.Validation("Each line needs a productCode.", "lines");
            if (line.Quantity <= 0 || line.Quantity > 100_000) throw ProblemException.Validation("quantity must be above 0 and at most 100000.", "lines");
            if (!_products.TryGetValue(line.ProductCode, out var product))
            {
                throw new ProblemException(422, ProblemTypes.UnknownProduct, "Unknown product.", $"No product with code '{line.ProductCode}'.",
                    new Dictionary<string, object?> { ["productCode"] = line.ProductCode });
            }

            lines.Add(DemoData.Line(product, line.Quantity));
        }

        foreach (var group in lines.GroupBy(l => l.ProductCode, StringComparer.OrdinalIgnoreCase))
        {
            var product = _products[group.Key];
            var wanted = group.Sum(l => l.Quantity);
            if (wanted > product.Stock)
            {
                throw new ProblemException(409, ProblemTypes.InsufficientStock, "Not enough stock.",
                    $"{product.Name}: {wanted.ToString(CultureInfo.InvariantCulture)} {product.Unit} wanted, {product.Stock.ToString(CultureInfo.InvariantCulture)} available.",
                    new Dictionary<string, object?> { ["productCode"] = product.Code, ["available"] = product.Stock });
            }
        }

        Take(lines);
        return lines;
    }

    private void Take(IEnumerable<OrderLine> lines)
    {
        foreach (var line in lines) _products[line.ProductCode] = _products[line.ProductCode] with { Stock = _products[line.ProductCode].Stock - line.Quantity };
    }

    private void Release(IEnumerable<OrderLine> lines)
    {
        foreach (var line in lines) _products[line.ProductCode] = _products[line.ProductCode] with { Stock = _products[line.ProductCode].Stock + line.Quantity };
    }

    private static void RequireChangeable(Order order)
    {
        if (!OrderStatuses.Changeable(order.Status))
        {
            throw new ProblemException(409, ProblemTypes.OrderNotChangeable, "The order can no longer be changed.",
                $"Order {order.Number} is {order.Status}.", new Dictionary<string, object?> { ["orderStatus"] = order.Status });
        }
    }

    private string NewOrderId(out int sequence)
    {
        sequence = _nextOrder++;
        return "o-" + sequence.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Two working days after the order (weekends skipped).</summary>
    private static DateOnly DeliveryDate(DateTimeOffset now)
    {
        var day = DateOnly.FromDateTime(now.Date);
        for (var added = 0; added < 2;)
        {
            day = day.AddDays(1);
            if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)) added++;
        }

        return day;
    }

    private static PreparedTransaction Prepared(Transaction t) => new()
    {
        TransactionId = t.Id,
        Status = t.Status,
        ExpiresAt = t.ExpiresAt,
        OrderNumber = t.OrderNumber,
        Lines = t.Lines,
        Total = t.Lines.Sum(l => l.LineTotal),
        EstimatedDelivery = t.EstimatedDelivery,
    };

    private static ItemPage<T> Paged<T>(List<T> all, int page, int pageSize) =>
        new(all.Skip((page - 1) * pageSize).Take(pageSize).ToList(), page, pageSize, all.Count);
}
