namespace GrowthOs.Transform.Loading;

/// <summary>Records read from the bulk file since the last committed chunk.</summary>
public sealed class RecordChunk : IChunk
{
    public List<OrderRecord> Orders { get; } = [];
    public List<LineItemRecord> LineItems { get; } = [];
    public List<ProductRecord> Products { get; } = [];
    public List<VariantRecord> Variants { get; } = [];
    public List<InventoryItemRecord> InventoryItems { get; } = [];
    public List<InventoryLevelRecord> InventoryLevels { get; } = [];
    public List<CustomerRecord> Customers { get; } = [];
    public List<RejectedRecord> Rejected { get; } = [];
    public int Count { get; private set; }

    /// <summary>
    /// Whether the two chunks hold a record with the same id, of any type: upserted at once, one would wait on the
    /// other's row. Ids are compared whatever their type, which can only find more overlaps than there are.
    /// </summary>
    public bool SharesKeysWith(RecordChunk other) => HoldsAnyOf(other.Ids());

    /// <summary>The ids of the chunk's records, of every type; taken before the chunk is upserted, which reorders it.</summary>
    public HashSet<long> Ids()
    {
        var ids = new HashSet<long>(Count);
        ForEachId(ids, static (set, id) => set.Add(id));
        return ids;
    }

    /// <summary>Whether the chunk holds a record with one of <paramref name="ids"/>.</summary>
    public bool HoldsAnyOf(HashSet<long> ids)
    {
        var shared = false;
        ForEachId(ids, (set, id) => shared |= set.Contains(id));
        return shared;
    }

    private void ForEachId<TState>(TState state, Action<TState, long> visit)
    {
        foreach (var r in Orders) visit(state, r.OrderId);
        foreach (var r in LineItems) visit(state, r.LineItemId);
        foreach (var r in Products) visit(state, r.ProductId);
        foreach (var r in Variants) visit(state, r.VariantId);
        foreach (var r in InventoryItems) visit(state, r.InventoryItemId);
        foreach (var r in InventoryLevels) visit(state, r.InventoryItemId);
        foreach (var r in Customers) visit(state, r.CustomerId);
    }

    /// <summary>The refunds read from the chunk's orders.</summary>
    public List<RefundRecord> RefundsOfOrders() => Orders.SelectMany(o => o.Refunds).ToList();

    /// <summary>The fulfillments read from the chunk's orders.</summary>
    public List<FulfillmentRecord> FulfillmentsOfOrders() => Orders.SelectMany(o => o.Fulfillments).ToList();

    /// <summary>Adds a parsed line; returns false for a line that holds no record the tables keep.</summary>
    public bool Add(BulkLineParser.Result result)
    {
        switch (result)
        {
            case BulkLineParser.Order { Record: var r }: Orders.Add(r); break;
            case BulkLineParser.LineItem { Record: var r }: LineItems.Add(r); break;
            case BulkLineParser.Product { Record: var r }: Products.Add(r); break;
            case BulkLineParser.Variant { Record: var r }: Variants.Add(r); break;
            case BulkLineParser.InventoryItem { Record: var r }: InventoryItems.Add(r); break;
            case BulkLineParser.InventoryLevel { Record: var r }: InventoryLevels.Add(r); break;
            case BulkLineParser.Customer { Record: var r }: Customers.Add(r); break;
            case BulkLineParser.Rejected { Record: var r }: Rejected.Add(r); break;
            default: return false;
        }
        Count++;
        return true;
    }

    public void Clear()
    {
        Orders.Clear();
        LineItems.Clear();
        Products.Clear();
        Variants.Clear();
        InventoryItems.Clear();
        InventoryLevels.Clear();
        Customers.Clear();
        Rejected.Clear();
        Count = 0;
    }
}
