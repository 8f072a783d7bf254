using System.Globalization;
using GrowthOs.ApiGateway.Security;
using GrowthOs.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GrowthOs.ApiGateway.Audit;

/// <summary>The gateway's own routes, for admin keys: the audit log (the keys are <see cref="Security.ApiKeyEndpoints"/>).</summary>
public static class AdminEndpoints
{
    public const int MaxLimit = 1000;

    public static WebApplication MapAdminEndpoints(this WebApplication app)
    {
        app.MapGet("/api/audit", Read).RequireAuthorization(Roles.Admin);
        return app;
    }

    private static async Task<Results<Ok<AuditPage>, ProblemHttpResult>> Read(HttpRequest request, AuditLog audit, CancellationToken cancellation)
    {
        var query = request.Query;
        string? shop = query["shop"], key = query["key"];
        if (shop is not null && ShopDomains.Validate(shop) is { } badShop) return Problems.InvalidParameter("shop", badShop);
        if (key is not null && (key.Length is 0 or > 64)) return Problems.InvalidParameter("key", "key is an API key's id, 1-64 characters.");
        if (!Instant(query["from"], out var from))
            return Problems.InvalidParameter("from", "from must be an ISO 8601 date or time, like 2026-11-01 or 2026-11-01T06:00:00Z.");
        if (!Instant(query["to"], out var to))
            return Problems.InvalidParameter("to", "to must be an ISO 8601 date or time, like 2026-12-01 or 2026-12-01T06:00:00Z.");
        if (from is not null && to is not null && to <= from) return Problems.InvalidParameter("to", "to must be after from.");
        long? before = null;
        if (query["before"].ToString() is { Length: > 0 } b)
        {
            if (!long.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
                return Problems.InvalidParameter("before", "before must be an entry id, a positive whole number.");
            before = value;
        }
        if (!QueryValues.TryInt(query["limit"], 1, MaxLimit, out var requestedLimit))
            return Problems.InvalidParameter("limit", $"limit must be a whole number from 1 to {MaxLimit}.");
        var limit = requestedLimit ?? 100;

        var entries = await audit.Read(shop is null ? null : ShopDomains.Normalize(shop), key, from, to, before, limit, cancellation);
        // Actions tried without a key, counted per minute: they name no shop or key, so they answer a read that names neither.
        var anonymous = shop is null && key is null && before is null ? await audit.ReadAnonymous(from, to, limit, cancellation) : [];
        return TypedResults.Ok(new AuditPage(
            entries,
            entries.Count == limit ? entries[^1].EntryId : (long?)null,
            anonymous.Select(a => new AuditAnonymousRefusal(a.Minute, a.Method, a.Path, a.Client, a.Refused)).ToList()));
    }

    /// <summary>
    /// An optional ISO 8601 date (midnight UTC) or date and time; false when present and not one, or outside the
    /// system's dates (<see cref="QueryValues.FirstDate"/> to <see cref="QueryValues.LastDate"/>).
    /// </summary>
    private static bool Instant(string? value, out DateTimeOffset? instant)
    {
        instant = null;
        if (string.IsNullOrEmpty(value)) return true;
        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            || DateOnly.FromDateTime(parsed.UtcDateTime) < QueryValues.FirstDate
            || DateOnly.FromDateTime(parsed.UtcDateTime) > QueryValues.LastDate)
            return false;
        instant = parsed;
        return true;
    }
}
