using GrowthOs.Contracts.Connections;
using GrowthOs.IngestSaga.BulkSync;
using GrowthOs.ServiceDefaults.Connections;
using GrowthOs.ServiceDefaults.Hosting;
using GrowthOs.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GrowthOs.IngestSaga.Runs;

/// <summary>The one check of the shop a request names: sync, replay and backfill alike.</summary>
public static class RequestedShop
{
    /// <summary>
    /// Null when this deployment syncs <paramref name="requested"/> (a connected shop, or one of BulkSync:Shops, whatever its
    /// case; a paused or failing connection is a 409 naming why) and the gateway's
    /// caller may act on it, with <paramref name="shop"/> spelled as the configuration spells it, so a shop's rows never
    /// split by the case a request used; otherwise the problem naming what is wrong. The shop acted on is the one the
    /// gateway authorized and signed: a request naming no shop takes it, one naming another is refused, and a caller
    /// limited to some shops reaches no other whatever the request says.
    /// </summary>
    public static ProblemHttpResult? Check(HttpContext http, BulkSyncOptions settings, string? requested, out string shop)
    {
        shop = "";
        var caller = GatewayCaller.Of(http);
        if (string.IsNullOrWhiteSpace(requested)) requested = caller?.Shop;
        if (string.IsNullOrWhiteSpace(requested)) return Problems.InvalidParameter("shop", "shop is required.");
        if (caller?.Shop is { } authorized && !string.Equals(authorized, requested.Trim(), StringComparison.OrdinalIgnoreCase))
            return Problems.InvalidParameter("shop", $"The request names shop {requested.Trim()}, but the gateway authorized it for {authorized}.");
        if (caller is not null && !caller.MayReach(requested))
            return Problems.Forbidden($"The caller '{caller.Caller}' may not read or act on {requested.Trim()}.");
        var synced = settings.Shops.FirstOrDefault(s => string.Equals(s, requested.Trim(), StringComparison.OrdinalIgnoreCase));
        if (synced is null && http.RequestServices.GetService<ShopConnections>()?.Of(requested) is { } connection)
        {
            if (!connection.Syncs)
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"The shop's connection is {connection.Status}",
                    detail: connection.Status == ConnectionStatuses.Paused
                        ? $"{connection.ShopDomain} is paused: resume its connection ({connection.ConnectionId}) to sync it."
                        : $"{connection.ShopDomain}'s connection ({connection.ConnectionId}) is {connection.Status}: {connection.StatusReason}",
                    extensions: new Dictionary<string, object?> { ["parameter"] = "shop" });
            synced = connection.ShopDomain;
        }
        if (synced is null)
            return Problems.InvalidParameter("shop", $"Shop '{requested.Trim()}' is not connected (POST /api/connections) nor one of BulkSync:Shops.");
        shop = synced;
        return null;
    }

    /// <summary>
    /// The shop a request that may name none acts on: the one it names, else the one the gateway authorized, else (for a
    /// caller not limited to some shops) the deployment's first.
    /// </summary>
    public static string? OrDefault(HttpContext http, BulkSyncOptions settings, string? requested) =>
        !string.IsNullOrWhiteSpace(requested) ? requested
        : GatewayCaller.Of(http) is { } caller ? caller.Shop ?? (caller.Shops.Count == 0 ? settings.Shops.FirstOrDefault() : null)
        : settings.Shops.FirstOrDefault();
}
