using GrowthOs.Connector.Connections;
using GrowthOs.Contracts.Connections;
using GrowthOs.ServiceDefaults.Persistence;
using GrowthOs.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace GrowthOs.Connector.Tests;

/// <summary>
/// A credential that lapses (a Meta long-lived user token, which Meta renews from no server) turns its connection failing
/// when it does, saying when and what to do; one that does not lapse, or whose access tokens a refresh token renews, stays.
/// </summary>
public sealed class CredentialExpiryTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));

    public async Task InitializeAsync()
    {
        _database = await LocalInfrastructure.CreateDatabase("growthos_expiry");
        _dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
        await new SchemaMigrator(_dataSource, new SchemaMigrations("connector", typeof(ConnectionRegistry).Assembly), NullLogger<SchemaMigrator>.Instance)
            .StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_lapsed_long_lived_token_turns_its_connection_failing_saying_when_and_a_refresh_token_grant_does_not()
    {
        var options = Options.Create(new ConnectionOptions
        {
            EncryptionKeys = [new EncryptionKey { Id = "k1", Key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) }],
        });
        var registry = new ConnectionRegistry(_dataSource, new CredentialCipher(options), new ConnectionEventSignal(), _clock);
        var maintenance = new ConnectionMaintenance(null!, registry, options, NullLogger<ConnectionMaintenance>.Instance);
        async Task<Guid> Connect(string provider, string account, Credentials credentials) =>
            (await registry.Create(new NewConnection("expiry.myshopify.com", provider, account, null, "0 5 * * *", [], null, null, false), credentials,
                CheckResult.Active("Expiry", "EUR", "Europe/Rome", null, null), "tests", CancellationToken.None))!.Snapshot.ConnectionId;

        var longLived = await Connect(ConnectionProviders.Meta, "7300000042", new Credentials("EAAGlongLived", ExpiresAt: _clock.GetUtcNow().AddDays(60)));
        var google = await Connect(ConnectionProviders.Ga4, "312345678", new Credentials("ya29.access", "1//refresh", _clock.GetUtcNow().AddHours(1)));
        Assert.Equal(_clock.GetUtcNow().AddDays(60), (await registry.Get(longLived, CancellationToken.None))!.CredentialExpiresAt);
        Assert.Null((await registry.Get(google, CancellationToken.None))!.CredentialExpiresAt);

        _clock.Advance(TimeSpan.FromDays(59));
        Assert.Equal(0, await maintenance.FailLapsed(CancellationToken.None));
        _clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, await maintenance.FailLapsed(CancellationToken.None));

        var failing = (await registry.Get(longLived, CancellationToken.None))!.Snapshot;
        Assert.Equal(ConnectionStatuses.Failing, failing.Status);
        Assert.Contains("The Meta token expired at 2027-02-04 09:00:00Z", failing.StatusReason);
        Assert.DoesNotContain("EAAG", failing.StatusReason);
        Assert.Equal(ConnectionStatuses.Active, (await registry.Get(google, CancellationToken.None))!.Snapshot.Status);
        Assert.Equal(0, await maintenance.FailLapsed(CancellationToken.None));

        // A new token replaces the lapsed one and its expiry; a system user's token does not lapse.
        await registry.Replace(longLived, ConnectionProviders.Meta, new Credentials("EAAGsystemUser"), CheckResult.Active(null, null, null, null, "ACTIVE"),
            CancellationToken.None);
        Assert.Null((await registry.Get(longLived, CancellationToken.None))!.CredentialExpiresAt);
    }
}
