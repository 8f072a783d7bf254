using System.Text.Json.Serialization;

namespace GrowthOs.Transform.Api;

/// <summary>A variant out of stock, low or overstocked in the latest inventory snapshot, with its sales velocity and days of cover.</summary>
public sealed record InventoryAlert(
    long VariantId,
    long? ProductId,
    string? Sku,
    string? ProductTitle,
    string? VariantTitle,
    int QuantityAvailable,
    int Locations,
    [property: JsonPropertyName("units_sold_30d")] int UnitsSold30d,
    decimal DailyVelocity,
    decimal? DaysOfCover,
    string StockStatus,
    string VelocityTier,
    string Severity);
