using GrowthOs.Sandbox.DemoData;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GrowthOs.Sandbox.Tests;

public sealed class DemoShopsTests
{
    [Fact]
    public void Each_shop_ends_its_data_on_its_own_yesterday_as_of_the_configured_moment_whatever_the_clock_says()
    {
        var options = new SandboxOptions
        {
            AnchorAt = new DateTimeOffset(2028, 3, 12, 20, 0, 0, TimeSpan.Zero),
            Shops =
            [
                new SandboxShop { Domain = "tokyo.myshopify.com", AccessToken = "t", TimeZone = "Asia/Tokyo", Days = 20 },
                new SandboxShop { Domain = "new-york.myshopify.com", AccessToken = "t", TimeZone = "America/New_York", Days = 20 },
            ],
        };
        // Days after the configured moment: a shop first asked for now has the days it would have had then.
        var shops = new DemoShops(Options.Create(options),
            new FakeTimeProvider(new DateTimeOffset(2028, 3, 15, 1, 0, 0, TimeSpan.Zero)));

        // 20:00 UTC is already the 13th in Tokyo and still the 12th in New York.
        Assert.Equal(new DateOnly(2028, 3, 12), shops.Get(options.Shops[0]).LastDay);
        Assert.Equal(new DateOnly(2028, 3, 11), shops.Get(options.Shops[1]).LastDay);
    }
}
