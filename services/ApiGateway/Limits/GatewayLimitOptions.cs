using System.ComponentModel.DataAnnotations;

namespace GrowthOs.ApiGateway.Limits;

public sealed class GatewayLimitOptions
{
    public const string Section = "Limits";

    /// <summary>Reads (GET, HEAD) a key may make a minute.</summary>
    [Range(1, 1_000_000)] public int ReadsPerMinute { get; set; } = 600;

    /// <summary>Actions (any other method) a key may make a minute.</summary>
    [Range(1, 1_000_000)] public int WritesPerMinute { get; set; } = 30;

    /// <summary>Requests a minute from one client address without a valid key (so keys cannot be guessed quickly).</summary>
    [Range(1, 1_000_000)] public int AnonymousPerMinute { get; set; } = 60;

    /// <summary>Syncs, backfills and replays a shop may be sent an hour, whichever keys send them (each takes Shopify's bulk slots).</summary>
    [Range(1, 1_000_000)] public int ShopRunsPerHour { get; set; } = 20;

    /// <summary>Largest request body, except replay uploads.</summary>
    [Range(1024, 1L << 40)] public long MaxBodyBytes { get; set; } = 1 << 20;

    /// <summary>Longest value of a query parameter; a longer one is refused naming the parameter.</summary>
    [Range(16, 8192)] public int MaxParameterLength { get; set; } = 1024;

    /// <summary>Largest replay upload (streamed through to the Ingest-Saga, never held here).</summary>
    [Range(1024, 1L << 40)] public long MaxReplayBodyBytes { get; set; } = 512L << 20;

    /// <summary>
    /// The proxies (addresses, or networks as <c>10.0.0.0/8</c>) in front of the gateway whose <c>X-Forwarded-For</c>
    /// and <c>X-Forwarded-Proto</c> name the client: the address the per-address limit and the audit log see. None by
    /// default: a client's own X-Forwarded-For is ignored, whoever sends it.
    /// </summary>
    public List<string> KnownProxies { get; set; } = [];
}
