using GrowthOs.Sandbox.DemoData;
using GrowthOs.Sandbox.Shopify.GraphQl;

namespace GrowthOs.Sandbox.Shopify;

/// <summary>
/// The query roots and mutations of one shop's Admin API, for one API version: its orders, products, inventory and
/// customers (filtered by Shopify's search syntax), its bulk operations (run, read, list, cancel) and its webhook subscriptions.
/// </summary>
public sealed class ShopifyAdmin(SandboxShopify sandbox, SandboxShop settings, string version, string resultsBaseUrl)
{
    public const string FirstVersionWithConcurrentBulkQueries = "2026-01";
    private const int ConcurrentBulkQueryLimit = 5;
    public const int MaxBulkQueryBytes = 65_535;

    public SandboxShop Settings => settings;
    public DemoShop Shop => sandbox.Shops.Get(settings);
    public string Version => version;
    public AdminSchema Schema => AdminSchema.For(version);

    public object? Query(string field, Arguments arguments) => field switch
    {
        "node" when arguments.String("id")?.StartsWith(SandboxBulkOperation.IdPrefix, StringComparison.Ordinal) == true =>
            sandbox.Operations.Find(settings.Domain, arguments.String("id")) is { } operation ? Report(operation) : null,
        "bulkOperation" => BulkOperationOf(arguments.String("id")),
        "currentBulkOperation" => arguments.String("type") == "MUTATION" ? null
            : sandbox.Operations.OfShop(settings.Domain).FirstOrDefault() is { } latest ? Report(latest) : null,
        "bulkOperations" => BulkOperations(arguments, new SearchQuery(arguments.String("query"))),
        "shop" => new ShopValue(settings),
        _ => ShopData(Shop, field, arguments),
    };

    /// <summary>The shop's own data: its orders, products, inventory items and customers (filtered by the search syntax), and any of them by id.</summary>
    public static object? ShopData(DemoShop shop, string field, Arguments arguments)
    {
        var search = new SearchQuery(arguments.String("query"));
        return field switch
        {
            "orders" => shop.Orders().Where(o => search.Matches("updated_at", o.UpdatedAt) && search.Matches("created_at", o.CreatedAt)),
            "products" => shop.Products.Where(p => search.Matches("updated_at", p.UpdatedAt) && search.Matches("created_at", p.CreatedAt)),
            "inventoryItems" => shop.InventoryItems.Where(i => search.Matches("updated_at", i.UpdatedAt)),
            "customers" => shop.Customers.Where(c => search.Matches("updated_at", c.UpdatedAt) && search.Matches("created_at", c.CreatedAt)),
            "node" => Node(shop, arguments.String("id")),
            _ => null,
        };
    }

    public object? Mutate(string field, Arguments arguments) => field switch
    {
        "bulkOperationRunQuery" => RunBulkQuery(arguments.String("query") ?? ""),
        "bulkOperationCancel" => Cancel(arguments.String("id")),
        "webhookSubscriptionCreate" => sandbox.Webhooks.Create(settings.Domain, version, arguments),
        _ => null,
    };

    private MutationPayload RunBulkQuery(string query)
    {
        if (query.Length > MaxBulkQueryBytes)
            return MutationPayload.Refused(
                new UserErrorValue(["query"], $"Query is too large ({query.Length} bytes; maximum is {MaxBulkQueryBytes} bytes)", "INVALID"));
        BulkQuery bulk;
        try
        {
            bulk = BulkQuery.Parse(Schema, query);
        }
        catch (BulkQueryException exception)
        {
            return new MutationPayload(null, exception.Messages.Select(m => new UserErrorValue(["query"], m, "INVALID")).ToList());
        }
        if (FailureSwitches.DeniedScope(settings, bulk.RootName) is { } scope)
            throw new FieldException($"Access denied for {bulk.RootName} field. Required access: `{scope}` access scope.", "ACCESS_DENIED",
                ("documentation", "https://shopify.dev/api/usage/access-scopes"), ("requiredAccess", $"`{scope}` access scope."));
        if (sandbox.Failures.Trip(settings, FailureSwitches.OperationInProgress))
            return MutationPayload.Refused(new UserErrorValue(null,
                "A bulk query operation for this app and shop is already in progress: gid://shopify/BulkOperation/1.", "OPERATION_IN_PROGRESS"));

        var limit = string.CompareOrdinal(version, FirstVersionWithConcurrentBulkQueries) >= 0 ? ConcurrentBulkQueryLimit : 1;
        var operation = sandbox.Operations.TryStart(settings.Domain, version, query, limit, out var blocking,
            settings.BulkOperationDurationMilliseconds);
        if (operation is null)
            return MutationPayload.Refused(limit == 1
                ? new UserErrorValue(null, $"A bulk query operation for this app and shop is already in progress: {blocking!.Id}.", "OPERATION_IN_PROGRESS")
                : new UserErrorValue(null, $"The maximum number of concurrent bulk query operations ({limit}) for this app and shop has been reached.",
                    "LIMIT_REACHED"));
        return new MutationPayload(Report(operation), []);
    }

    private MutationPayload Cancel(string? id)
    {
        if (sandbox.Operations.Find(settings.Domain, id) is not { } operation)
            return MutationPayload.Refused(new UserErrorValue(["id"], "Bulk operation does not exist"));
        if (!sandbox.Operations.TryCancel(operation, out var current))
        {
            var report = Report(current);
            return new MutationPayload(report,
                [new UserErrorValue(null, $"A bulk operation cannot be canceled when it is {report.Status.ToLowerInvariant()}")]);
        }
        return new MutationPayload(Report(current), []);
    }

    private BulkOperationReport? BulkOperationOf(string? id)
    {
        if (id is not null && !id.StartsWith(SandboxBulkOperation.IdPrefix, StringComparison.Ordinal))
            throw new FieldException($"Invalid id: {id}", "RESOURCE_NOT_FOUND");
        return sandbox.Operations.Find(settings.Domain, id) is { } operation ? Report(operation) : null;
    }

    private IEnumerable<BulkOperationReport> BulkOperations(Arguments arguments, SearchQuery search)
    {
        if (arguments.Int("first") is not null && arguments.Int("last") is not null)
            throw new FieldException("providing both first and last is not supported", "BAD_REQUEST");
        var reports = sandbox.Operations.OfShop(settings.Domain).Reverse().Select(Report)
            .Where(r => search.Matches("status", r.Status) && search.Matches("operation_type", "query") && search.Matches("created_at", r.Operation.CreatedAt));
        return arguments.String("sortKey") == "COMPLETED_AT" ? reports.OrderBy(r => r.CompletedAt ?? DateTimeOffset.MaxValue) : reports;
    }

    /// <summary>Any object of the shop by its global id; null when the shop has none with that id.</summary>
    private static object? Node(DemoShop shop, string? id)
    {
        var parts = id?.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts is not ["gid:", "shopify", var type, var key]) return null;
        var number = long.TryParse(key.Split('?')[0], out var parsed) ? parsed : -1;
        return type switch
        {
            "Order" => shop.Orders().FirstOrDefault(o => o.Id == number),
            "Product" => shop.Products.FirstOrDefault(p => p.Id == number),
            "ProductVariant" => shop.Products.SelectMany(p => p.Variants.Select(v => new VariantOf(p, v))).FirstOrDefault(v => v.Variant.Id == number),
            "InventoryItem" => shop.InventoryItems.FirstOrDefault(i => i.Id == number),
            "Location" => DemoCatalog.Locations.FirstOrDefault(l => l.Id == number),
            "Customer" => number >= 1 && number <= shop.Customers.Count ? shop.Customers[(int)number - 1] : null,
            _ => null,
        };
    }

    public BulkOperationReport Report(SandboxBulkOperation operation)
    {
        var status = sandbox.Operations.StatusOf(operation);
        var resultUrl = $"{resultsBaseUrl}/bulk-results/{operation.Number}.jsonl";
        switch (status)
        {
            case "COMPLETED" when FailureSwitches.Has(settings, FailureSwitches.FailedPartial):
                var partial = sandbox.Results.Stats(operation, settings, Shop, partial: true);
                return new BulkOperationReport(operation, "FAILED", "INTERNAL_SERVER_ERROR", sandbox.Operations.CompletedAt(operation),
                    partial.ObjectCount, partial.RootObjectCount, null, null, resultUrl + "?partial=true");
            case "COMPLETED" when FailureSwitches.Has(settings, FailureSwitches.Expired):
                return new BulkOperationReport(operation, "EXPIRED", null, sandbox.Operations.CompletedAt(operation), 0, 0, null, null, null);
            case "COMPLETED":
                var stats = sandbox.Results.Stats(operation, settings, Shop, partial: false);
                var hasData = stats.ObjectCount > 0;
                return new BulkOperationReport(operation, status, null, sandbox.Operations.CompletedAt(operation),
                    stats.ObjectCount, stats.RootObjectCount, hasData ? stats.FileSize : null, hasData ? resultUrl : null, null);
            case "RUNNING" or "CANCELING" or "CANCELED":
                var sofar = sandbox.Results.Stats(operation, settings, Shop, partial: false);
                var share = sandbox.Operations.Progress(operation);
                return new BulkOperationReport(operation, status, null, null, (long)(sofar.ObjectCount * share), (long)(sofar.RootObjectCount * share),
                    null, null, null);
            default:
                return new BulkOperationReport(operation, status, null, null, 0, 0, null, null, null);
        }
    }
}
