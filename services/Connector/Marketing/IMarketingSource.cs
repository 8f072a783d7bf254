namespace GrowthOs.Connector.Marketing;

/// <summary>A marketing source the Connector reads a shop's daily figures from.</summary>
public interface IMarketingSource
{
    /// <summary>The source's name in messages and archive keys (<c>GrowthOs.Contracts.Marketing.MarketingSources</c>).</summary>
    string Source { get; }

    /// <summary>
    /// The shop's account with this source as its API names it (<c>act_…</c>, <c>customers/…</c>, <c>properties/…</c>), or null when none is
    /// configured.
    /// </summary>
    ValueTask<string?> AccountOf(string shop, CancellationToken cancellationToken);

    /// <summary>Every answer page of the shop's daily figures from <paramref name="since"/> to <paramref name="until"/> (inclusive).</summary>
    IAsyncEnumerable<MarketingPage> Fetch(string shop, DateOnly since, DateOnly until, CancellationToken cancellationToken);
}
