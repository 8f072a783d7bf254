using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace GrowthOs.Sandbox.DemoData;

/// <summary>
/// A fleet of demo shops made from one setting, for a load of many shops (<c>bench/run.sh fleet</c>): shop n of
/// <see cref="Shops"/> is <c>{DomainPrefix}{n:0000}.myshopify.com</c>, with a Meta ad account, a Google Ads customer and
/// a GA4 property of its own, each drawn from the shop's sales as a demo shop's are. They join the shops and accounts
/// listed in the settings, with credentials made from n (<see cref="ShopToken"/> and the others), so that a client of the
/// fleet knows them without reading these settings.
/// </summary>
public sealed class FleetSandboxOptions
{
    [Range(0, 100_000, ErrorMessage = "Sandbox:Fleet:Shops must be between 0 and 100000.")]
    public int Shops { get; set; }

    [RegularExpression("^[a-z][a-z0-9-]{0,40}$", ErrorMessage = "Sandbox:Fleet:DomainPrefix must be lower-case letters, digits and dashes.")]
    public string DomainPrefix { get; set; } = "fleet-";

    [Range(1, 3650)]
    public int Days { get; set; } = 400;

    [Range(1, 100_000)]
    public int OrdersPerDay { get; set; } = 30;

    public string CurrencyCode { get; set; } = "USD";

    public string TimeZone { get; set; } = "UTC";

    /// <summary>Shop n's seed is this plus n, so that no two shops have the same orders.</summary>
    public int Seed { get; set; } = 1_000;

    public string Domain(int n) => string.Create(CultureInfo.InvariantCulture, $"{DomainPrefix}{n:0000}.myshopify.com");

    public static string ShopToken(int n) => string.Create(CultureInfo.InvariantCulture, $"shpat_sandbox_fleet_{n}");

    /// <summary>The ad account's digits (the API names it act_{id}).</summary>
    public static string MetaAccount(int n) => string.Create(CultureInfo.InvariantCulture, $"71{n:00000000}");

    public static string MetaToken(int n) => string.Create(CultureInfo.InvariantCulture, $"EAAGsandboxFleetMeta{n}");

    /// <summary>Ten digits, as a Google Ads customer id.</summary>
    public static string GoogleAdsCustomer(int n) => string.Create(CultureInfo.InvariantCulture, $"72{n:00000000}");

    public static string GoogleAdsRefreshToken(int n) => string.Create(CultureInfo.InvariantCulture, $"1//sandbox-fleet-google-ads-{n}");

    public static string Ga4Property(int n) => string.Create(CultureInfo.InvariantCulture, $"73{n:0000000}");

    public static string Ga4RefreshToken(int n) => string.Create(CultureInfo.InvariantCulture, $"1//sandbox-fleet-ga4-{n}");

    /// <summary>Adds the fleet's shops and accounts to <paramref name="sandbox"/>'s (shops 1 to <see cref="Shops"/>).</summary>
    public void AddTo(SandboxOptions sandbox)
    {
        for (var n = 1; n <= Shops; n++)
        {
            var domain = Domain(n);
            sandbox.Shops.Add(new SandboxShop
            {
                Domain = domain, AccessToken = ShopToken(n), Seed = Seed + n, Days = Days, OrdersPerDay = OrdersPerDay, CurrencyCode = CurrencyCode,
                TimeZone = TimeZone,
            });
            sandbox.Meta.AdAccounts.Add(new SandboxAdAccount { Id = MetaAccount(n), AccessToken = MetaToken(n), Shop = domain, TimeZone = TimeZone });
            sandbox.GoogleAds.Customers.Add(new SandboxAdsCustomer
            {
                Id = GoogleAdsCustomer(n), AccessToken = $"ya29.sandboxFleetGoogleAds{n}", RefreshToken = GoogleAdsRefreshToken(n), Shop = domain,
                TimeZone = TimeZone,
            });
            sandbox.Ga4.Properties.Add(new SandboxGa4Property
            {
                Id = Ga4Property(n), AccessToken = $"ya29.sandboxFleetGa4{n}", RefreshToken = Ga4RefreshToken(n), Shop = domain, TimeZone = TimeZone,
            });
        }
    }
}
