namespace GrowthOs.Connector.Marketing;

/// <summary>A Google Ads customer or a GA4 property connected to a shop at run time, with the refresh token its owner granted.</summary>
public sealed record GoogleConnectedAccount(string Shop, string Account, string? LoginCustomerId, string RefreshToken)
{
    public override string ToString() => $"{Shop}: {Account} (token redacted)";
}
