using GrowthOs.IngestSaga.BulkSync;
using GrowthOs.ServiceDefaults.Hosting;

namespace GrowthOs.IngestSaga.Runs;

/// <summary>The one check of the shop a request names: sync, replay and backfill alike.</summary>
public static class RequestedShop
{
    /// <summary>
    /// Null when this deployment syncs <paramref name="requested"/> (BulkSync:Shops, whatever its case), with
    /// <paramref name="shop"/> spelled as the configuration spells it, so a shop's rows never split by the case a
    /// request used; otherwise the problem naming what is wrong.
    /// </summary>
    public static IResult? Check(BulkSyncOptions settings, string? requested, out string shop)
    {
        shop = "";
        if (string.IsNullOrWhiteSpace(requested)) return Problems.InvalidParameter("shop", "shop is required.");
        var synced = settings.Shops.FirstOrDefault(s => string.Equals(s, requested.Trim(), StringComparison.OrdinalIgnoreCase));
        if (synced is null)
            return Problems.InvalidParameter("shop", $"Shop '{requested}' is not one of the shops this deployment syncs (BulkSync:Shops).");
        shop = synced;
        return null;
    }
}
